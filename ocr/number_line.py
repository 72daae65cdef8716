"""Second reading of the letter-number (ที่) line, cut out on its own.

On a full page Tesseract sometimes merges the small ที่ label with the marks
of the line above and reads it as a digit (``ที่ 364/2559`` → ``1364/2559``).
The number's position comes from the PDF/A text layer; the strip around it
is cut from the page rendered at LINE_DPI and read again as a single line
(``--psm 7``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from PIL import Image, ImageOps

from ocr.clean import clean_line
from ocr.tesseract import read_image

LINE_DPI = 300
_NUMBER_WORD = re.compile(r"[0-9๐-๙]+\s*/\s*\S*[0-9๐-๙]")


def _number_word(pdf: Path) -> dict | None:  # type: ignore[type-arg]
    """pdfplumber's first number-like word in the top half of page 1."""
    try:
        with pdfplumber.open(pdf) as document:
            page = document.pages[0]
            return next((w for w in page.extract_words()
                         if _NUMBER_WORD.search(w["text"]) and w["top"] < page.height / 2),
                        None)
    except (OSError, ValueError, IndexError):
        return None


def reread_number_line(pdf: Path, page: Image.Image, languages: str = "tha+eng") -> str | None:
    """The number line of `pdf`, read again from `page` (its page 1 rendered at LINE_DPI)."""
    word = _number_word(pdf)
    if word is None:
        return None
    scale = LINE_DPI / 72
    height = word["bottom"] - word["top"]
    strip = page.crop((0, int((word["top"] - 0.35 * height) * scale), page.width,
                       int((word["bottom"] + 0.3 * height) * scale)))
    line = clean_line(read_image(ImageOps.grayscale(strip), languages, psm=7).replace("\n", " "))
    return line or None
