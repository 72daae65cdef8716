"""Printed desk forms: the borrowing card, label sheets (QR decoded), overdue list, memos."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import pdfplumber
import pytest
import zxingcpp
from lending_support import ASCII_FILE, EMPTY_FILE, THAI_FILE, Desk, set_up_desk
from web_support import archive  # noqa: F401  (fixture)

from ingest.archive import Archive
from retention.cards import borrowing_card_pdf
from retention.desk import dashboard
from retention.holdings import resolve_item
from retention.labels import files_for_labels, label_sheet_pdf
from retention.loans import lend, request_loan, return_item
from retention.printing import render_page_png
from retention.reminders import overdue_list_pdf, reminder_letters_pdf
from retention.thai_wrap import ZWSP, breakable
from schemas.clock import frozen_today
from schemas.enums import LoanKind, Secrecy
from schemas.tables import Unit

OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ"
LENT, DUE, LATER = dt.date(2025, 2, 3), dt.date(2025, 2, 10), dt.date(2025, 3, 10)


@pytest.fixture
def desk(archive: Archive) -> Desk:
    """Two files out since 3 Feb 2568: the ordinary one to reader, the secret one to officer."""
    ids = set_up_desk(archive)
    with frozen_today(LENT), archive.db.session() as session:
        lend(session, ASCII_FILE, to="reader", due=DUE, approved_by="head", actor="officer")
        lend(session, THAI_FILE, to="officer", due=DUE + dt.timedelta(7),
             approved_by="director", actor="officer")
    return ids


def pdf_text(data: bytes) -> list[str]:
    """Each page's text with shaping artefacts, zero-width and ordinary spaces removed."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    return [re.sub(r"\(cid:\d+\)|\s|" + ZWSP, "", text) for text in pages]


def squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def ink(data: bytes, page: int = 0) -> float:
    image = np.asarray(render_page_png(data, page, scale=1.0).convert("L"))
    return float((image < 128).mean())


def test_borrowing_card_has_exactly_the_regulation_columns(archive: Archive, desk: Desk) -> None:
    with frozen_today(LENT), archive.db.session() as session:
        outsider = request_loan(session, EMPTY_FILE, outsider_name="นายสมชาย ใจดี",
                                outsider_org="โรงเรียนบ้านทุ่ง", kind=LoanKind.view, due=LENT,
                                actor="officer")
        assert outsider.id
    with frozen_today(LATER), archive.db.session() as session:
        return_item(session, ASCII_FILE, returned_by=None, received_by="officer")
        data = borrowing_card_pdf(session, resolve_item(session, ASCII_FILE), office_name=OFFICE)
    [text] = pdf_text(data)
    assert "รายการผู้ยืมผู้รับวันยืมกำหนดส่งคืนผู้ส่งคืนวันส่งคืน" in text  # in this order
    assert "บัตรยืมหนังสือ" in text and ASCII_FILE in text
    assert squash("3 ก.พ. 2568") in text and squash("10 ก.พ. 2568") in text  # BE dates
    assert squash("10 มี.ค. 2568") in text  # returned on
    assert text.count("คุณreader") == 2 and "คุณofficer" in text
    assert ink(data) > 0.01


def test_label_sheet_qr_codes_decode_to_the_scan_keys(archive: Archive, desk: Desk) -> None:
    with archive.db.session() as session:
        units = {unit.id: unit for unit in session.query(Unit)}
        everything = label_sheet_pdf(files_for_labels(session, Secrecy.top_secret), units,
                                     office_name=OFFICE)
        for_reader = label_sheet_pdf(files_for_labels(session, Secrecy.none), units,
                                     office_name=OFFICE)
    image = render_page_png(everything, 0, scale=3.0)
    decoded = {barcode.text for barcode in zxingcpp.read_barcodes(image)}
    assert decoded == {ASCII_FILE, EMPTY_FILE, f"file:{desk.thai_file_id}"}
    [text] = pdf_text(everything)
    assert ASCII_FILE in text and squash(THAI_FILE) in text
    [reader_text] = pdf_text(for_reader)
    assert squash(THAI_FILE) not in reader_text and ASCII_FILE in reader_text


def test_overdue_list_most_late_first_and_secret_only_for_the_cleared(archive: Archive,
                                                                    desk: Desk) -> None:
    with frozen_today(LATER), archive.db.session() as session:
        full = dashboard(session, Secrecy.top_secret).overdue
        public = dashboard(session, Secrecy.none).overdue
    data = overdue_list_pdf(full, on=LATER, office_name=OFFICE)
    [text] = pdf_text(data)
    assert "บัญชีหนังสือยืมเกินกำหนดส่งคืน" in text
    assert squash("ณ วันที่ 10 มีนาคม 2568") in text
    assert text.index(ASCII_FILE) < text.index(squash(THAI_FILE))  # 28 days before 21
    assert squash("10 ก.พ. 2568 28") in text and squash("17 ก.พ. 2568 21") in text
    [public_text] = pdf_text(overdue_list_pdf(public, on=LATER, office_name=OFFICE))
    assert squash(THAI_FILE) not in public_text and ASCII_FILE in public_text
    assert ink(data) > 0.005


def test_reminder_letters_one_memo_per_borrower(archive: Archive, desk: Desk) -> None:
    with frozen_today(LATER), archive.db.session() as session:
        late = dashboard(session, Secrecy.top_secret).overdue
    data = reminder_letters_pdf(late, on=LATER, office_name=OFFICE)
    pages = pdf_text(data)
    assert len(pages) == 2
    assert all("บันทึกข้อความ" in page and "ขอให้ส่งคืนหนังสือ" in page for page in pages)
    to_reader = next(page for page in pages if "เรียนคุณreader" in page)
    assert ASCII_FILE in to_reader and squash(THAI_FILE) not in to_reader
    assert ink(data, 1) > 0.005


def test_thai_titles_break_between_words_only() -> None:
    text = "แฟ้มการประชุมผู้บริหารสถานศึกษา (ขอคัดสำเนา)"
    broken = breakable(text)
    assert broken.replace(ZWSP, "") == text
    assert f"สถานศึกษา{ZWSP}" in broken or f"{ZWSP}สถานศึกษา" in broken
    assert f"({ZWSP}" not in broken and "ศึกษ" + ZWSP + "า" not in broken
