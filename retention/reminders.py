"""Chasing late returns: the overdue list and a reminder memo (บันทึกข้อความ) per borrower."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import groupby

from retention.desk import LoanLine
from retention.printing import Column, ThaiPdf, thai_date, thai_number
from retention.thai_wrap import breakable

OVERDUE_COLUMNS = (
    Column("ลำดับที่", 19, "C"),
    Column("รายการ", 100),
    Column("ผู้ยืม", 48),
    Column("วันยืม", 30, "C"),
    Column("กำหนดส่งคืน", 30, "C"),
    Column("เกินกำหนด (วัน)", 30, "C"),
)
LETTER_COLUMNS = (
    Column("ลำดับที่", 19, "C"),
    Column("รายการ", 92),
    Column("กำหนดส่งคืน", 32, "C"),
    Column("เกินกำหนด (วัน)", 30, "C"),
)


def _what(line: LoanLine) -> str:
    if line.item.kind == "file":
        return f"แฟ้ม {line.item.item_id} {breakable(line.item.title)}"
    return breakable(line.item.title)


def overdue_list_pdf(lines: Sequence[LoanLine], *, on: dt.date, office_name: str,
                     thai_digits: bool = False) -> bytes:
    """The printable overdue list, most overdue first."""
    date_text = thai_date(on, thai_digits, abbreviated=False)
    pdf = ThaiPdf("L", thai_digits=thai_digits, footer_text=f"บัญชีหนังสือยืมเกินกำหนด {date_text}")
    pdf.set_title("บัญชีหนังสือยืมเกินกำหนดส่งคืน")
    pdf.add_page()
    pdf.heading("บัญชีหนังสือยืมเกินกำหนดส่งคืน")
    pdf.line_of_text(f"{office_name}    ณ วันที่ {date_text}", align="C")
    pdf.ln(2)
    ordered = sorted(lines, key=lambda line: (-line.days_overdue, line.loan.id))
    rows = [[thai_number(number, thai_digits), _what(line), breakable(line.borrower_display),
             thai_date(line.loan.lent_on, thai_digits), thai_date(line.loan.due, thai_digits),
             thai_number(line.days_overdue, thai_digits)]
            for number, line in enumerate(ordered, 1)]
    if rows:
        pdf.print_table(OVERDUE_COLUMNS, rows)
    else:
        pdf.line_of_text("ไม่มีหนังสือยืมเกินกำหนดส่งคืน (nothing overdue)", align="C")
    pdf.ln(4)
    pdf.line_of_text(f"รวม {thai_number(len(rows), thai_digits)} รายการ")
    return pdf.output_bytes()


def reminder_letters_pdf(lines: Sequence[LoanLine], *, on: dt.date, office_name: str,
                         thai_digits: bool = False) -> bytes:
    """One short memo per borrower asking for the late items back, a page each."""
    pdf = ThaiPdf("P", thai_digits=thai_digits, font_size=15)
    pdf.set_title("บันทึกข้อความ ขอให้ส่งคืนหนังสือที่ยืม")
    date_text = thai_date(on, thai_digits, abbreviated=False)
    ordered = sorted(lines, key=lambda line: (line.borrower_display, line.loan.due))
    for name, group in groupby(ordered, key=lambda line: line.borrower_display):
        _memo(pdf, name, list(group), date_text, office_name, thai_digits)
    if not ordered:
        pdf.add_page()
        pdf.line_of_text("ไม่มีหนังสือยืมเกินกำหนดส่งคืน (nothing overdue)", align="C")
    return pdf.output_bytes()


def _memo(pdf: ThaiPdf, name: str, lines: list[LoanLine], date_text: str, office_name: str,
          thai_digits: bool) -> None:
    pdf.add_page()
    pdf.heading("บันทึกข้อความ", size=24)
    pdf.ln(2)
    pdf.line_of_text(f"ส่วนราชการ  {office_name}")
    pdf.line_of_text(f"ที่  ........................................    วันที่  {date_text}")
    pdf.line_of_text("เรื่อง  ขอให้ส่งคืนหนังสือที่ยืมซึ่งเลยกำหนดส่งคืน")
    pdf.ln(2)
    pdf.line_of_text(f"เรียน  {name}")
    pdf.ln(2)
    count = thai_number(len(lines), thai_digits)
    pdf.line_of_text(breakable(
        f"            ตามที่ท่านได้ยืมหนังสือของทางราชการไปจำนวน {count} รายการ ดังต่อไปนี้ "
        "บัดนี้เลยกำหนดส่งคืนแล้ว"))
    pdf.ln(1)
    rows = [[thai_number(number, thai_digits), _what(line), thai_date(line.loan.due, thai_digits),
             thai_number(line.days_overdue, thai_digits)] for number, line in enumerate(lines, 1)]
    pdf.print_table(LETTER_COLUMNS, rows)
    pdf.ln(3)
    pdf.line_of_text(breakable(
        "            จึงเรียนมาเพื่อโปรดส่งคืนหนังสือดังกล่าวที่ผู้รับผิดชอบการยืมโดยเร็ว "
        "หากยังมีความจำเป็นต้องใช้ต่อ ขอให้ติดต่อขอขยายกำหนดส่งคืน"))
    pdf.ln(14)
    pdf.line_of_text("(......................................................)", align="C")
    pdf.line_of_text("เจ้าหน้าที่ผู้รับผิดชอบการยืมหนังสือ", align="C")
