"""The borrowing card (บัตรยืมหนังสือ, ข้อ 63) as a PDF to stand in the file's place.

Its columns are exactly the regulation's: รายการ · ผู้ยืม · ผู้รับ · วันยืม ·
กำหนดส่งคืน · ผู้ส่งคืน · วันส่งคืน. Blank lines follow the recorded loans so
the desk can also write on the card by hand.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from retention.desk import card_lines, display_name, person_name
from retention.holdings import Item
from retention.printing import Column, ThaiPdf, thai_date
from retention.thai_wrap import breakable
from schemas.enums import LoanKind
from schemas.tables import Loan

CARD_COLUMNS = (
    Column("รายการ", 60),
    Column("ผู้ยืม", 40),
    Column("ผู้รับ", 34),
    Column("วันยืม", 31, "C"),
    Column("กำหนดส่งคืน", 31, "C"),
    Column("ผู้ส่งคืน", 34),
    Column("วันส่งคืน", 31, "C"),
)
CARD_LINES = 12  # a card has room for this many loans before a new one is started
KIND_NOTE = {LoanKind.borrow: "", LoanKind.view: " (ขอดูในสำนักงาน)",
             LoanKind.copy: " (ขอคัดสำเนาในสำนักงาน)"}


def card_row(session: Session, item: Item, loan: Loan, thai_digits: bool) -> list[str]:
    """One line of the card for one loan."""
    what = breakable(item.title + KIND_NOTE[LoanKind(loan.kind)])
    return [what, breakable(display_name(session, loan)),
            breakable(person_name(session, loan.handed_by)), thai_date(loan.lent_on, thai_digits),
            thai_date(loan.due, thai_digits), breakable(person_name(session, loan.returned_by)),
            thai_date(loan.returned_on, thai_digits)]


def borrowing_card_pdf(session: Session, item: Item, *, office_name: str,
                       thai_digits: bool = False) -> bytes:
    """The item's borrowing card: a header naming it, then one line per loan."""
    pdf = ThaiPdf("L", thai_digits=thai_digits, footer_text=f"บัตรยืมหนังสือ {item.item_id}")
    pdf.set_title(f"บัตรยืมหนังสือ {item.item_id}")
    pdf.add_page()
    pdf.heading("บัตรยืมหนังสือ")
    pdf.line_of_text(office_name, align="C")
    kind = "แฟ้ม" if item.kind == "file" else "เอกสาร"
    pdf.line_of_text(f"{kind}: {item.item_id}    เรื่อง: {breakable(item.title)}")
    if item.location:
        pdf.line_of_text(f"ที่เก็บ: {item.location}")
    pdf.ln(2)
    rows = [card_row(session, item, loan, thai_digits) for loan in card_lines(session, item)]
    blanks = max(CARD_LINES - len(rows), 2)
    pdf.print_table(CARD_COLUMNS, rows + [[""] * len(CARD_COLUMNS)] * blanks, line_height=8)
    return pdf.output_bytes()
