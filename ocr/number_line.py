"""Second reading of the letter-number (ที่) line, cut out on its own.

On a full page Tesseract sometimes merges the small ที่ label with the marks
of the line above and reads it as a digit (``ที่ 364/2559`` → ``1364/2559``).
The number's position comes from the PDF/A text layer; the strip around it
is rendered at 300 dpi and read again as a single line (``--psm 7``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytesseract
from PIL import ImageOps

from ocr.clean import clean_line

RENDER_DPI = 300
_NUMBER_WORD = re.compile(r"[0-9๐-๙]+\s*/\s*\S*[0-9๐-๙]")


def reread_number_line(pdf: Path, languages: str = "tha+eng") -> str | None:
    """The re-read text of the first number-like line in the top half of page 1, if any."""
    try:
        with pdfplumber.open(pdf) as document:
            page = document.pages[0]
            words = [w for w in page.extract_words()
                     if _NUMBER_WORD.search(w["text"]) and w["top"] < page.height / 2]
        if not words:
            return None
        word = words[0]
        rendered = pdfium.PdfDocument(str(pdf))
        try:
            image = rendered[0].render(scale=RENDER_DPI / 72).to_pil()
        finally:
            rendered.close()
    except (pdfium.PdfiumError, OSError, ValueError, IndexError):
        return None
    scale = RENDER_DPI / 72
    height = word["bottom"] - word["top"]
    strip = image.crop((0, int((word["top"] - 0.35 * height) * scale), image.width,
                        int((word["bottom"] + 0.3 * height) * scale)))
    text = pytesseract.image_to_string(ImageOps.grayscale(strip), lang=languages,
                                       config="--psm 7")
    line = clean_line(text.replace("\n", " "))
    return line or None
