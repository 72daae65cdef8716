"""The review's web steps through TestClient: roles, CSRF, clearance on lists and exports."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from fastapi.testclient import TestClient
from retention_support import generate, skeleton
from sqlalchemy import select
from web_support import PASSWORD, add_record, csrf_of, open_archive, signed_in_client

from ingest.archive import Archive
from retention.schedule import set_class
from schemas.enums import RecordStatus, Role, Secrecy
from schemas.tables import Record, RecordRetention
from store.users import add_user

TOP_SECRET_SUBJECT = "แผนลับที่สุดย้ายกำลังพลชายแดน"
YEAR = 2567


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """Test users plus the head and a committee; 30 years of letters, one ลับที่สุด due."""
    opened = open_archive(tmp_path / "home")
    with opened.db.session() as session:
        add_user(session, "head", PASSWORD, role=Role.head, clearance=Secrecy.secret)
        for name in ("chair", "m1", "m2"):
            add_user(session, name, PASSWORD, role=Role.reader, clearance=Secrecy.secret)
    generate(opened, per_year=2)
    secret_id = add_record(opened, subject=TOP_SECRET_SUBJECT, text="ลับที่สุด",
                           secrecy=Secrecy.top_secret, number="ศธ 04049/999", name="ts.txt")
    with opened.db.session() as session:
        set_class(session, secret_id, "secret", actor="admin", fixed_until=2560)
    yield opened
    opened.close()


def post(client: TestClient, url: str, data: dict, page: str) -> None:
    """POST a form with the CSRF token of `page`; expect the redirect back."""
    token = csrf_of(client.get(page).text)
    response = client.post(url, data={"csrf": token, **data})
    assert response.status_code == 303, response.text


def test_readers_and_clerks_are_kept_out(archive: Archive):
    for username in ("reader", "clerk"):
        client = signed_in_client(archive, username)
        assert client.get("/retention").status_code == 403
        assert client.get("/retention/reviews/2567/list.pdf").status_code == 403
        assert "การเก็บรักษาและทำลาย" not in client.get("/").text


def test_review_walks_through_each_role_and_secret_rows_never_leak(archive: Archive,
                                                                   monkeypatch):
    monkeypatch.setenv("SARABAN_TODAY", "2025-01-02")
    officer, admin = signed_in_client(archive, "officer"), signed_in_client(archive, "admin")
    assert TOP_SECRET_SUBJECT not in officer.get("/retention").text
    due_officer = officer.get("/retention").text
    due_admin = admin.get("/retention").text
    count = lambda html: int(html.split('id="due-count">')[1].split("<")[0])  # noqa: E731
    assert count(due_admin) == count(due_officer) + 1  # the ลับที่สุด one: admin only

    post(officer, "/retention/reviews", {"year": YEAR}, "/retention")
    page = officer.get(f"/retention/reviews/{YEAR}").text
    assert TOP_SECRET_SUBJECT not in page and "แต่งตั้งคณะกรรมการ" in page
    assert TOP_SECRET_SUBJECT in admin.get(f"/retention/reviews/{YEAR}").text
    for fmt in ("pdf", "xlsx"):
        data = officer.get(f"/retention/reviews/{YEAR}/list.{fmt}").content
        assert skeleton(TOP_SECRET_SUBJECT) not in skeleton(_text(data, fmt))
        whole = admin.get(f"/retention/reviews/{YEAR}/list.{fmt}").content
        assert skeleton(TOP_SECRET_SUBJECT) in skeleton(_text(whole, fmt))

    committee = {"name0": "นางสมศรี", "level0": "ชำนาญการพิเศษ", "username0": "chair",
                 "name1": "นายสมชาย", "level1": "ชำนาญการ", "username1": "m1"}
    token = csrf_of(officer.get(f"/retention/reviews/{YEAR}").text)
    short = officer.post(f"/retention/reviews/{YEAR}/committee", data={"csrf": token, **committee})
    assert short.status_code == 400 and "อย่างน้อยสองคน" in short.text
    committee.update(name2="นางมาลี", level2="ชำนาญงาน", username2="m2")
    post(officer, f"/retention/reviews/{YEAR}/committee", committee, f"/retention/reviews/{YEAR}")

    head = signed_in_client(archive, "head")
    member = signed_in_client(archive, "m1")
    assert "decide-form" not in officer.get(f"/retention/reviews/{YEAR}").text
    assert "decide-form" not in head.get(f"/retention/reviews/{YEAR}").text
    page = member.get(f"/retention/reviews/{YEAR}").text
    assert "decide-form" in page and TOP_SECRET_SUBJECT not in page
    rows = [int(part.split('"')[0]) for part in page.split('data-row="')[1:]]
    post(member, f"/retention/reviews/{YEAR}/decide",
         {f"decision-{row}": "destroy" for row in rows}, f"/retention/reviews/{YEAR}")
    token = csrf_of(member.get(f"/retention/reviews/{YEAR}").text)
    undecided = member.post(f"/retention/reviews/{YEAR}/report", data={"csrf": token})
    assert undecided.status_code == 400  # the ลับที่สุด row: nobody cleared has decided it
    assert "ยังมี 1 รายการ" in undecided.text and TOP_SECRET_SUBJECT not in undecided.text

    with archive.db.session() as session:  # a cleared member decides it
        from retention import review

        current = review.get_review(session, YEAR)
        secret_row = next(row for row, record in review.rows_of(session, current)
                          if record.subject == TOP_SECRET_SUBJECT)
        for item in review.committee_of(session, current):
            if item.username == "m2":
                item.username = "admin"
        review.decide(session, current, secret_row.id, review.Decision.destroy, actor="admin",
                      clearance=Secrecy.top_secret)
    post(member, f"/retention/reviews/{YEAR}/report", {}, f"/retention/reviews/{YEAR}")
    token = csrf_of(officer.get(f"/retention/reviews/{YEAR}").text)
    assert officer.post(f"/retention/reviews/{YEAR}/approve",
                        data={"csrf": token}).status_code == 403  # only the head approves
    assert "approve" in head.get(f"/retention/reviews/{YEAR}").text
    post(head, f"/retention/reviews/{YEAR}/approve", {}, f"/retention/reviews/{YEAR}")
    post(officer, f"/retention/reviews/{YEAR}/send", {"date": "2025-01-02"},
         f"/retention/reviews/{YEAR}")
    token = csrf_of(officer.get(f"/retention/reviews/{YEAR}").text)
    early = officer.post(f"/retention/reviews/{YEAR}/destroy", data={"csrf": token})
    assert early.status_code == 400 and "กรมศิลปากร" in early.text

    monkeypatch.setenv("SARABAN_TODAY", "2025-03-03")  # day 60
    page = officer.get(f"/retention/reviews/{YEAR}").text
    assert 'id="consent"' in page and "ครบ ๖๐ วัน" in page
    post(officer, f"/retention/reviews/{YEAR}/destroy", {}, f"/retention/reviews/{YEAR}")
    page = officer.get(f"/retention/reviews/{YEAR}").text
    assert "ทำลายแล้ว" in page and "report-link" in page
    report = officer.get(f"/retention/reviews/{YEAR}/report.pdf")
    assert report.headers["content-type"] == "application/pdf"
    assert skeleton(TOP_SECRET_SUBJECT) not in skeleton(_text(report.content, "pdf"))
    with archive.db.session() as session:
        gone = session.scalar(select(Record).where(Record.subject == TOP_SECRET_SUBJECT))
        assert gone.status == RecordStatus.destroyed
    tomb = officer.get(f"/records/{gone.id}")
    assert tomb.status_code == 404  # a ลับที่สุด tombstone stays hidden from the officer
    with archive.db.session() as session:
        public = session.scalar(select(Record.id).where(
            Record.status == RecordStatus.destroyed, Record.secrecy == Secrecy.none).limit(1))
    page = officer.get(f"/records/{public}").text
    assert "หนังสือนี้ถูกทำลายแล้ว" in page and "/original" not in page
    assert officer.get(f"/records/{public}/original").status_code == 404


def test_schedule_change_shows_what_moved_and_holds_are_audited(archive: Archive):
    admin = signed_in_client(archive, "admin")
    token = csrf_of(admin.get("/retention/schedule").text)
    page = admin.post("/retention/schedule/routine",
                      data={"csrf": token, "years": "3", "clock_start": "document_date",
                            "reason": "มติคณะกรรมการ"})
    assert page.status_code == 200 and 'id="changes"' in page.text
    assert "เก็บถึง พ.ศ." in page.text and "→" in page.text
    officer = signed_in_client(archive, "officer")
    token = csrf_of(officer.get("/retention/schedule").text)
    refused = officer.post("/retention/schedule/routine",
                           data={"csrf": token, "years": "2", "reason": "x"})
    assert refused.status_code == 403
    with archive.db.session() as session:
        record_id = session.scalar(select(RecordRetention.record_id).where(
            RecordRetention.keep_until.is_not(None)).limit(1))
    post(officer, "/retention/holds", {"scope": "record", "record_id": record_id,
                                       "reason": "คดีแพ่ง", "reference": "คดีที่ 1/2568"},
         "/retention/holds")
    assert "คดีแพ่ง" in officer.get("/retention/holds").text
    post(officer, "/retention/holds", {"scope": "search", "query": "เบิกจ่าย",
                                       "reason": "สตง. ตรวจสอบ"}, "/retention/holds")
    post(officer, "/retention/holds/release", {"record_id": record_id, "reason": "คดีจบ"},
         "/retention/holds")
    record = officer.get(f"/records/{record_id}").text
    assert "retention.hold_release" in record and "คดีจบ" in record


def _text(data: bytes, fmt: str) -> str:
    if fmt == "pdf":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows()
                     for cell in row if cell.value is not None)
