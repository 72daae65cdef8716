"""Intake of scanned letters: OCR text cleaning and metadata extraction."""
