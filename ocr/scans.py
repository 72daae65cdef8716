"""Scans (image-only PDFs and images) to text through ocrmypdf with Tesseract."""

from __future__ import annotations

import time
from pathlib import Path

import img2pdf
from PIL import Image, ImageSequence, UnidentifiedImageError

from ocr.clean import clean_thai_text
from ocr.ocrmypdf_exec import OcrmypdfOptions, run_ocrmypdf
from ocr.number_line import LINE_DPI, reread_number_line
from ocr.pages import PdfiumError, render_pdf_page
from ocr.result import TextResult
from ocr.stamps import ZONE_DPI, stamp_lines
from schemas.errors import InputFileError

A4_WIDTH_INCHES = 8.27
MAX_PIXELS = 120_000_000  # a 600-dpi A0 page; bigger is a decompression bomb


def image_to_pdf(source: Path, work: Path, max_pages: int) -> Path:
    """Wrap an image (any frame count) in a PDF that keeps its resolution.

    Images with no DPI are taken to be A4 wide. Palette, alpha and GIF images
    are flattened to RGB or grey PNG first, since PDF has no alpha.
    """
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    frames: list[Path] = []
    try:
        with Image.open(source) as image:
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= max_pages:
                    break
                frames.append(_flatten(frame, work / f"frame-{index:04d}.png"))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise InputFileError("ไฟล์ภาพเสียหายหรืออ่านไม่ได้ (corrupt or unreadable image)",
                             str(exc)) from exc
    if not frames:
        raise InputFileError("ไฟล์ภาพไม่มีหน้า (image has no frames)")
    pdf = work / "rasterized.pdf"
    pdf.write_bytes(img2pdf.convert([str(frame) for frame in frames]))
    return pdf


def _flatten(frame: Image.Image, target: Path) -> Path:
    dpi = frame.info.get("dpi") or (0, 0)
    if not dpi[0] or dpi[0] < 50:
        guess = max(72, round(frame.width / A4_WIDTH_INCHES))
        dpi = (guess, guess)
    mode = "L" if frame.mode in ("1", "L", "LA", "I", "I;16") else "RGB"
    if frame.mode in ("RGBA", "LA", "P", "PA"):
        background = Image.new("RGBA", frame.size, "white")
        background.alpha_composite(frame.convert("RGBA"))
        frame = background
    frame.convert(mode).save(target, dpi=(round(dpi[0]), round(dpi[1])))
    return target


def ocr_pdf(source: Path, work: Path, options: OcrmypdfOptions) -> TextResult:
    """OCR a PDF; keep its PDF/A and the cleaned sidecar text."""
    started = time.monotonic()
    output = work / "archival.pdf"
    sidecar = work / "sidecar.txt"
    warnings = run_ocrmypdf(source, output, sidecar, options)
    raw = sidecar.read_text(encoding="utf-8", errors="replace") if sidecar.exists() else ""
    stamps, number_line = _second_readings(output if output.exists() else source,
                                           options.languages)
    return TextResult(
        text=clean_thai_text(raw),
        raw_text=raw,
        method="ocr",
        page_count=raw.count("\f") + 1 if raw else 0,
        archival_pdf=output if output.exists() else None,
        warnings=warnings,
        seconds=time.monotonic() - started,
        stamp_lines=stamps,
        number_line=number_line,
    )


def _second_readings(pdf: Path, languages: str) -> tuple[list[str], str | None]:
    """Stamp-zone lines and the re-read number line of page 1, from one rendering.

    These are hints for extraction, never a reason to fail a file: a page that
    cannot be rendered gives none.
    """
    try:
        page = render_pdf_page(pdf, 1, dpi=LINE_DPI)
    except (PdfiumError, OSError, IndexError):
        return [], None
    zones_page = page.reduce(LINE_DPI // ZONE_DPI)
    return stamp_lines(zones_page), reread_number_line(pdf, page, languages)


def ocr_image(source: Path, work: Path, options: OcrmypdfOptions, max_pages: int) -> TextResult:
    """OCR an image file (jpg, png, tiff, gif, bmp, webp)."""
    return ocr_pdf(image_to_pdf(source, work, max_pages), work, options)
