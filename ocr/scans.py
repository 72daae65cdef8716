"""Scans (image-only PDFs and images) to text through ocrmypdf with Tesseract."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import img2pdf
from PIL import Image, ImageSequence, UnidentifiedImageError

from ocr.clean import clean_thai_text
from ocr.ocrmypdf_exec import OcrmypdfOptions, run_ocrmypdf
from ocr.page_reader import PageReading, StampReading, read_page
from ocr.pages import PdfiumError, pdf_page_count, render_scan_page
from ocr.result import TextResult
from ocr.text_lines import TextLine, lines_from_words, stamp_line
from schemas.errors import InputFileError, OcrError

A4_WIDTH_INCHES = 8.27
MAX_PIXELS = 120_000_000  # a 600-dpi A0 page; bigger is a decompression bomb
MAX_RENDER_SIDE = 7000  # pixels: a 600-dpi A4 page; larger pages are read smaller


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


def ocr_pdf(source: Path, work: Path, options: OcrmypdfOptions,
            max_pages: int = 200) -> TextResult:
    """Read a scanned PDF page by page with `ocr.page_reader`; keep a PDF/A copy.

    Each page is rendered at its scan resolution and read once (layout,
    Tesseract on the body, the project's digit model, stamps apart). The
    archival copy is ocrmypdf's PDF/A of the original pages, made without a
    second OCR (``--tesseract-timeout 0``); if it cannot be made the file is
    still read and a warning says so.
    """
    started = time.monotonic()
    try:
        count = pdf_page_count(source)
    except PdfiumError as exc:
        raise InputFileError("ไฟล์ PDF เสียหายหรืออ่านไม่ได้ (corrupt or unreadable PDF)",
                             str(exc)) from exc
    pages: list[str] = []
    stamps: list[StampReading] = []
    boxed: list[TextLine] = []
    doubtful: list[str] = []
    languages = "tha" if options.languages.startswith("tha") else options.languages
    wanted = {int(n) for n in options.pages.split(",")} if options.pages else None
    for number in range(1, min(count, max_pages) + 1):
        if wanted is not None and number not in wanted:
            pages.append("")  # read from its own text layer by the caller
            continue
        image, dpi = render_scan_page(source, number, max_side=MAX_RENDER_SIDE)
        reading = read_page(image, dpi, languages)
        pages.append(reading.text)
        doubtful += reading.doubtful_digits
        boxed += _boxed_lines(reading, number, image.size, dpi)
        stamps += [stamp for stamp in reading.stamps if number == 1 or stamp.lines]
    warnings = [] if count <= max_pages else [f"อ่านเฉพาะ {max_pages} หน้าแรก (first {max_pages} "
                                              f"of {count} pages read)"]
    archival = work / "archival.pdf"
    try:
        warnings += run_ocrmypdf(source, archival, work / "sidecar.txt",
                                 replace(options, ocr=False))
    except OcrError as exc:
        warnings.append(f"PDF/A not made: {exc}")
    raw = "\f".join(pages)
    return TextResult(
        text=clean_thai_text(raw),
        raw_text=raw,
        method="ocr",
        page_count=len(pages),
        archival_pdf=archival if archival.exists() else None,
        warnings=warnings,
        seconds=time.monotonic() - started,
        stamp_lines=[line for stamp in stamps for line in stamp.lines],
        stamps=[list(stamp.lines) for stamp in stamps],
        lines=[line.as_json() for line in boxed],
        doubtful_digits=doubtful,
    )


def _boxed_lines(reading: PageReading, page: int, size: tuple[int, int],
                 dpi: int) -> list[TextLine]:
    """The page's body lines and stamps with their boxes (where the review queue crops)."""
    lines = lines_from_words(reading.words, page, size, dpi)
    for stamp in reading.stamps:
        zone = stamp.zone
        if stamp.lines:
            lines.append(stamp_line(page, " ".join(stamp.lines),
                                    (zone.x0, zone.y0, zone.x1, zone.y1), size, dpi))
    return lines


def ocr_image(source: Path, work: Path, options: OcrmypdfOptions, max_pages: int) -> TextResult:
    """OCR an image file (jpg, png, tiff, gif, bmp, webp)."""
    return ocr_pdf(image_to_pdf(source, work, max_pages), work, options, max_pages)
