"""PDFs: their own text layer where it is sound, OCR where it is not."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from ocr import sniff
from ocr.ocrmypdf_exec import OcrmypdfOptions
from ocr.pdf_text import join_pages, read_pdf_pages
from ocr.result import TextResult
from ocr.text_lines import pdf_text_lines
from ocr.scans import ocr_pdf
from schemas.errors import InputFileError


def read_pdf(path: Path, work: Path, options: OcrmypdfOptions, max_pages: int) -> TextResult:
    """A PDF's text: its own text layer where sound, OCR for pages where it is not."""
    started = time.monotonic()
    pages = read_pdf_pages(path, max_pages)
    if not pages:
        raise InputFileError("ไฟล์ PDF ไม่มีหน้าใดเลย (the PDF has no pages)")
    broken = [page for page in pages if page.broken]
    if not broken:
        text, raw = join_pages([page.text for page in pages])
        lines = [line.as_json() for line in pdf_text_lines(path)]
        return TextResult(text, raw, "pdf-text", len(pages), seconds=time.monotonic() - started,
                          lines=lines)
    has_layer = any(page.broken not in ("no text layer",) for page in broken)
    if len(broken) == len(pages):
        result = ocr_pdf(path, work, replace(options, force_ocr=has_layer))
        result.page_count = len(pages)
        return result
    numbers = ",".join(str(page.number) for page in broken)
    ocred = ocr_pdf(path, work, replace(options, force_ocr=True, pages=numbers))
    return _merge(path, pages, ocred, started)


def _merge(path: Path, pages, ocred: TextResult,  # type: ignore[no-untyped-def]
           started: float) -> TextResult:
    sidecar_pages = ocred.raw_text.split("\f")
    texts = []
    for page in pages:
        from_ocr = page.broken and len(sidecar_pages) == len(pages)
        texts.append(sidecar_pages[page.number - 1] if from_ocr else page.text)
    text, raw = join_pages(texts)
    warnings = ocred.warnings + [
        f"หน้า {page.number}: ชั้นข้อความใช้ไม่ได้ ({page.broken}) จึงอ่านด้วย OCR"
        for page in pages if page.broken
    ]
    good = {page.number for page in pages if not page.broken}
    lines = [line.as_json() for line in pdf_text_lines(path, good)] + ocred.lines
    return TextResult(text, raw, "pdf-mixed", len(pages), ocred.archival_pdf, warnings,
                      time.monotonic() - started, lines=lines)


def unsupported_message(mime: str) -> str:
    """The error for a file type we do not take."""
    if mime == sniff.EXECUTABLE:
        return ("ไฟล์นี้เป็นโปรแกรม ไม่ใช่เอกสาร ระบบไม่รับ (this is an executable, not a "
                "document; it was not opened)")
    return (f"ไม่รองรับไฟล์ชนิด {mime} รองรับ PDF, JPG, PNG, TIFF, GIF, DOCX, XLSX, HTML, TXT "
            f"(unsupported file type)")
