"""Thin wrapper around Tesseract for crops (pytesseract), single-threaded.

Tesseract's own OpenMP threads are several times slower than one thread
per core on 2 cores; pytesseract takes no environment, so the limit is set
in the process environment here, once, for every crop the project reads.
"""

from __future__ import annotations

import os

import pytesseract
from PIL import Image

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def read_image(image: Image.Image, languages: str, psm: int) -> str:
    """Tesseract's text of `image` with page-segmentation mode `psm`."""
    return str(pytesseract.image_to_string(image, lang=languages, config=f"--psm {psm}"))
