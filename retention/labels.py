"""Label sheets (PDF): a QR code and the file code for each paper file.

The QR code carries `holdings.scan_key` (the file code, or ``file:<id>`` for
codes a USB scanner cannot type), drawn as vector squares so it scans
crisply at any printer resolution.
"""

from __future__ import annotations

from collections.abc import Sequence

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from retention.holdings import file_item, scan_key
from retention.printing import FONT_FAMILY, ThaiPdf
from retention.thai_wrap import breakable
from schemas.enums import Secrecy
from schemas.tables import PaperFile, Unit
from schemas.text import nfc

COLUMNS, ROWS = 2, 6
LABEL_W, LABEL_H = 90.0, 42.0
QR_SIZE = 30.0  # mm, quiet zone included
QUIET = 4  # modules of white around the symbol (ISO/IEC 18004)


def draw_qr(pdf: ThaiPdf, payload: str, x: float, y: float, size: float) -> None:
    """Draw a QR code of `payload` with its quiet zone into a size×size mm square."""
    matrix = segno.make(payload, error="m", micro=False).matrix
    module = size / (len(matrix) + 2 * QUIET)
    pdf.set_fill_color(0, 0, 0)
    for row, line in enumerate(matrix):
        start = None
        for col, dark in enumerate([*line, 0]):  # one rectangle per run of dark modules
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                pdf.rect(x + (QUIET + start) * module, y + (QUIET + row) * module,
                         (col - start) * module, module, style="F")
                start = None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_sheet_pdf(files: Sequence[tuple[PaperFile, str]], units: dict[int, Unit], *,
                    office_name: str, thai_digits: bool = False) -> bytes:
    """Labels for `files` (each with its scan key), twelve to an A4 sheet."""
    pdf = ThaiPdf("P", thai_digits=thai_digits, footer_text=f"ป้ายแฟ้ม {office_name}")
    pdf.set_title("ป้ายแฟ้ม")
    pdf.set_auto_page_break(auto=False)
    margin_x = (pdf.w - COLUMNS * LABEL_W) / 2
    for index, (paper, key) in enumerate(files):
        slot = index % (COLUMNS * ROWS)
        if slot == 0:
            pdf.add_page()
        x = margin_x + (slot % COLUMNS) * LABEL_W
        y = 14 + (slot // COLUMNS) * LABEL_H
        pdf.set_draw_color(150, 150, 150)
        pdf.rect(x + 1, y + 1, LABEL_W - 2, LABEL_H - 2)
        draw_qr(pdf, key, x + 3, y + (LABEL_H - QR_SIZE) / 2, QR_SIZE)
        text_x, text_w = x + QR_SIZE + 5, LABEL_W - QR_SIZE - 8
        pdf.set_xy(text_x, y + 4)
        pdf.set_font(FONT_FAMILY, "B", 18)
        pdf.cell(text_w, 9, nfc(paper.code))
        pdf.set_font(FONT_FAMILY, "", 12)
        pdf.set_xy(text_x, y + 13)
        pdf.multi_cell(text_w, 5.5, breakable(nfc(_clip(paper.title, 70))), max_line_height=5.5)
        unit = units.get(paper.unit_id or 0)
        place = " ".join(part for part in (
            f"ตู้ {paper.cabinet}" if paper.cabinet else "",
            f"ลิ้นชัก {paper.drawer}" if paper.drawer else "") if part)
        pdf.set_font(FONT_FAMILY, "", 10)
        pdf.set_xy(text_x, y + LABEL_H - 12)
        pdf.cell(text_w, 4.5, nfc(_clip(unit.name if unit else "", 40)))
        pdf.set_xy(text_x, y + LABEL_H - 6.5)
        pdf.cell(text_w, 4.5, nfc(place))
    if not files:
        pdf.add_page()
        pdf.line_of_text("ยังไม่มีแฟ้มที่ลงทะเบียนไว้ (no files registered)")
    return pdf.output_bytes()


def files_for_labels(session: Session, clearance: Secrecy,
                     codes: Sequence[str] = ()) -> list[tuple[PaperFile, str]]:
    """The files to label (all, or those `codes` name) that a viewer of `clearance` may see."""
    query = select(PaperFile).order_by(PaperFile.code)
    if codes:
        query = query.where(PaperFile.code.in_([nfc(code) for code in codes]))
    chosen = []
    for paper in session.scalars(query):
        if file_item(session, paper.id).secrecy.level <= Secrecy(clearance).level:
            chosen.append((paper, scan_key(paper)))
    return chosen
