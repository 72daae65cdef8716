"""What text extraction returns for one file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class TextResult:
    """Text of a file, cleaned and raw, with how it was obtained.

    Pages are separated by form feeds in both `text` and `raw_text`.
    """

    text: str
    raw_text: str
    method: str  # "ocr", "pdf-text", "pdf-mixed", "office"
    page_count: int = 0
    archival_pdf: Path | None = None  # the PDF/A to keep, when OCR made one
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stamp_lines: list[str] = field(default_factory=list)  # text of the stamp zones (scans)
    number_line: str | None = None  # the ที่ line read again on its own (scans)
    stamps: list[list[str]] = field(default_factory=list)  # each stamp's lines (scans)
    #: Numbers read two ways (Tesseract's sure reading against the digit model's
    #: other digits) or holding digits only the model saw (scans).
    doubtful_digits: list[str] = field(default_factory=list)
    #: Lines with their page boxes (`ocr.text_lines.TextLine.as_json`), for the review queue.
    lines: list[dict[str, Any]] = field(default_factory=list)
