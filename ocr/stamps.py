"""Red stamps (ลับ…, ด่วน…) read from the top and bottom zones of a scan's first page.

Tesseract reading the whole page often misses the big stamped words, so the
zones where the regulation puts them (urgency top left, secrecy top and
bottom centre) are OCR'd again on their own: red ink is isolated when the
scan has colour, dark strokes otherwise, and Tesseract looks for sparse text.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageOps

from ocr.clean import clean_line
from ocr.tesseract import read_image

ZONE_DPI = 150  # the masks' thresholds were tuned at this resolution
TOP_ZONE = 0.16  # of the page height
BOTTOM_ZONE = 0.12
MAX_STAMP_CHARS = 15
MIN_RED_PIXELS = 200


def _zones(page: Image.Image) -> list[Image.Image]:
    width, height = page.size
    return [page.crop((0, 0, width, int(height * TOP_ZONE))),
            page.crop((0, int(height * (1 - BOTTOM_ZONE)), width, height))]


def ink_mask(zone: Image.Image) -> Image.Image:
    """Black-on-white image of the zone's red ink, or of its dark strokes if it has none."""
    pixels = np.asarray(zone).astype(np.int16)
    red = (pixels[..., 0] > 120) & (pixels[..., 0] - np.maximum(pixels[..., 1], pixels[..., 2]) > 50)
    if int(red.sum()) < MIN_RED_PIXELS:
        red = np.asarray(ImageOps.grayscale(zone)) < 110
    return Image.fromarray(np.where(red, 0, 255).astype(np.uint8))


def stamp_lines(page: Image.Image, languages: str = "tha") -> list[str]:
    """Short text lines found in the stamp zones of `page` (RGB, rendered at ZONE_DPI)."""
    lines: list[str] = []
    for zone in _zones(page):
        for raw in read_image(ink_mask(zone), languages, psm=11).splitlines():
            line = clean_line(raw)
            if line and len(line) <= MAX_STAMP_CHARS:
                lines.append(line)
    return lines
