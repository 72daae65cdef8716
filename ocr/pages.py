"""PDF pages as images, through PDFium, one call at a time per process.

PDFium is not thread-safe, and the intake runner (several threads) and the
web server (page images) render in the same process, so every PDFium call
of the project goes through `PDFIUM_LOCK`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

PDFIUM_LOCK = threading.Lock()
PdfiumError = pdfium.PdfiumError


def pdf_page_count(path: Path) -> int:
    """Number of pages of the PDF at `path`."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            return len(document)
        finally:
            document.close()


def render_pdf_page(path: Path, number: int = 1, *, dpi: int,
                    max_side: int | None = None) -> Image.Image:
    """Page `number` (1-based) of the PDF at `path` as an RGB image at `dpi`.

    With `max_side`, a huge page is scaled down so neither side passes it.

    Raises:
        IndexError: the PDF has no page `number`.
        PdfiumError: the PDF cannot be read.
    """
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            return _render(_page(document, number), dpi, max_side)
        finally:
            document.close()


def render_scan_page(path: Path, number: int = 1, *, max_side: int | None = None,
                     default_dpi: int = 300) -> tuple[Image.Image, int]:
    """Page `number` rendered at the resolution it was scanned at, and that dpi.

    The resolution is the page's largest image's pixels per inch of page
    width (`default_dpi` for a page with no image), kept within 100–600.
    The PDF is opened once for both.
    """
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(str(path))
        try:
            page = _page(document, number)
            dpi = _scan_dpi(page) or default_dpi
            return _render(page, dpi, max_side), dpi
        finally:
            document.close()


def _page(document: pdfium.PdfDocument, number: int) -> pdfium.PdfPage:
    if not 1 <= number <= len(document):
        raise IndexError(f"no page {number}")
    return document[number - 1]


def _render(page: pdfium.PdfPage, dpi: int, max_side: int | None) -> Image.Image:
    scale = dpi / 72
    if max_side is not None:
        width, height = page.get_size()  # PDF points, 1/72 inch
        scale = min(scale, max_side / max(width, height, 1))
    image = page.render(scale=scale).to_pil()
    page.close()
    return image.convert("RGB")


def _scan_dpi(page: pdfium.PdfPage) -> int:
    best = 0
    for obj in page.get_objects(filter=(pdfium.raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
        pixels = obj.get_px_size()[0]
        left, _, right, _ = obj.get_bounds()
        if right > left:
            best = max(best, round(pixels / ((right - left) / 72)))
    return min(600, max(100, best)) if best else 0

