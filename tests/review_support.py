"""Letters for the review-queue tests: a born-digital PDF whose field boxes are really found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from web_support import SENDER, add_record

from ingest.archive import Archive
from ingest.field_sources import locate_fields
from ocr.text_lines import pdf_text_lines
from schemas.enums import Kind, Secrecy
from schemas.letter import LetterMetadata
from schemas.tables import Record

THAI_FONT = Path("/usr/share/fonts/truetype/tlwg/Garuda.ttf")
NUMBER = "ศธ 04049/612"
SUBJECT = "ขอเชิญประชุมผู้บริหารสถานศึกษา"
TO = "ผู้อำนวยการโรงเรียนทุกแห่ง"
DATE = dt.date(2019, 8, 2)
LINES = [f"ที่ {NUMBER}", "ลงวันที่ 2 สิงหาคม 2562", f"เรื่อง {SUBJECT}", f"เรียน {TO}",
         "ด้วยสำนักงานเขตพื้นที่การศึกษาขอเชิญประชุม"]


def letter_pdf(title: str = "letter") -> bytes:
    """A one-page Thai letter as a born-digital PDF (A4, 16 pt Garuda); `title` makes it unique."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.add_font("Garuda", fname=str(THAI_FONT))
    pdf.set_font("Garuda", size=16)
    for line in LINES:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def add_pdf_letter(archive: Archive, tmp: Path, *, confidence: dict[str, float],
                   secrecy: Secrecy = Secrecy.none, name: str = "scan.pdf") -> int:
    """Store the PDF letter as a record whose field sources come from its own text layer."""
    data = letter_pdf(name)
    path = tmp / name
    path.write_bytes(data)
    meta = LetterMetadata(kind=Kind.external, number=NUMBER, date=DATE, subject=SUBJECT, to=TO)
    sources = locate_fields(meta, [line.as_json() for line in pdf_text_lines(path)])
    record_id = add_record(archive, subject=SUBJECT, number=NUMBER, date=DATE, to=TO,
                           from_org=SENDER, name=name, mime="application/pdf", data=data,
                           page_count=1, secrecy=secrecy, text="\n".join(LINES),
                           confidence=confidence)
    with archive.db.session() as session:
        record = session.get(Record, record_id)
        assert record is not None
        record.field_sources = sources
    return record_id
