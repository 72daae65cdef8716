"""Text lines with where they sit on the page: the boxes the review queue crops.

A line is its text, its page, its box and the size of the page in the same
units (scan pixels for OCR, PDF points for a text layer), so a box can be
scaled onto any rendering of the page. Scanned pages get their lines from the
page reader's words (Tesseract's boxes); born-digital pages from pdfplumber.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ocr.clean import clean_line
from ocr.tesseract import Word

#: Born-digital pages read for line boxes: header fields are on the first page,
#: the signer on the last of a short letter.
MAX_TEXT_PAGES = 5


@dataclass(frozen=True)
class TextLine:
    """One line of a page and its box (x0, y0, x1, y1) in a page of `size`."""

    page: int  # 1-based
    text: str
    box: tuple[int, int, int, int]
    size: tuple[int, int]  # page width and height in the box's units
    dpi: int  # pixels per inch of those units (72 for PDF points)
    stamp: bool = False  # a stamp zone (ด่วน, ลับ, receipt stamps), not a body line

    def as_json(self) -> dict[str, Any]:
        """A plain dict for document metadata (JSON)."""
        return {**asdict(self), "box": list(self.box), "size": list(self.size)}


def lines_from_words(words: list[Word], page: int, size: tuple[int, int],
                     dpi: int) -> list[TextLine]:
    """Tesseract's words grouped by line, each line with the box around its words."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault(word.line, []).append(word)
    lines = []
    for parts in grouped.values():
        parts = sorted(parts, key=lambda w: w.box[0])
        text = clean_line(" ".join(w.text for w in parts))
        if not text:
            continue
        box = (min(w.box[0] for w in parts), min(w.box[1] for w in parts),
               max(w.box[2] for w in parts), max(w.box[3] for w in parts))
        lines.append(TextLine(page, text, box, size, dpi))
    return lines


def stamp_line(page: int, text: str, box: tuple[int, int, int, int], size: tuple[int, int],
               dpi: int) -> TextLine:
    """A stamp zone's text as one line with the zone's box."""
    return TextLine(page, clean_line(text), box, size, dpi, stamp=True)


def pdf_text_lines(path: Path, pages: set[int] | None = None,
                   max_pages: int = MAX_TEXT_PAGES) -> list[TextLine]:
    """Lines of a born-digital PDF's text layer with their boxes, in PDF points.

    Only the first `max_pages` pages (or those in `pages`) are read. An
    unreadable file gives no lines: boxes are a help for the review queue,
    never a reason to fail intake (the text was read already).
    """
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    out: list[TextLine] = []
    try:
        with pdfplumber.open(path) as pdf:
            for index, page in enumerate(pdf.pages[:max_pages]):
                number = index + 1
                if pages is not None and number not in pages:
                    continue
                size = (round(page.width), round(page.height))
                for line in page.extract_text_lines(layout=False, strip=True):
                    text = clean_line(line.get("text") or "")
                    if text:
                        box = (int(line["x0"]), int(line["top"]),
                               int(line["x1"] + 0.5), int(line["bottom"] + 0.5))
                        out.append(TextLine(number, text, box, size, 72))
    except (PdfminerException, PDFSyntaxError, ValueError, KeyError, TypeError):
        return []  # the text was read already; only the boxes are missing
    return out
