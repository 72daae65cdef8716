"""Text out of files: ocrmypdf/Tesseract for scans, pdfplumber for born-digital PDFs,
Haystack converters for office files, and Thai clean-up of OCR output."""
