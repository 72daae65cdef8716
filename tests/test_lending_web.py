"""The lending desk pages through FastAPI's TestClient over a real archive."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from lending_support import ASCII_FILE, FILE_TITLE, THAI_FILE, Desk, set_up_desk
from sqlalchemy import select
from web_support import PASSWORD, SECRET_SUBJECT, csrf_of, open_archive
from web_support import client  # noqa: F401  (fixture)

from ingest.archive import Archive
from retention.loans import lend
from schemas.clock import frozen_today
from schemas.enums import LoanStatus, Role, Secrecy
from schemas.tables import AuditEvent, Loan
from store.users import add_user
from web.pages_lending import parse_due

TODAY = "2025-03-03"


@pytest.fixture
def archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Archive]:
    """The desk's archive, with "today" fixed for the server threads too."""
    monkeypatch.setenv("SARABAN_TODAY", TODAY)
    opened = open_archive(tmp_path / "home")
    with opened.db.session() as session:
        add_user(session, "desk0", PASSWORD, role=Role.records_officer, clearance=Secrecy.none,
                 display_name="เจ้าหน้าที่ไม่มีสิทธิ์ชั้นความลับ")
    yield opened
    opened.close()


@pytest.fixture
def desk(archive: Archive) -> Desk:
    """Heads, files and letters in place."""
    return set_up_desk(archive)


def sign_in(client: TestClient, username: str) -> str:
    """Sign in; return the session's CSRF token."""
    client.cookies.clear()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/lending/mine").text)


def item_page(client: TestClient, item_id: str) -> str:
    response = client.get("/lending/item?id=" + quote(item_id, safe=""))
    assert response.status_code == 200, response.text
    return response.text


def test_desk_is_for_desk_roles_and_scans_open_the_item(client: TestClient, desk: Desk) -> None:
    sign_in(client, "reader")
    assert client.get("/lending").status_code == 403
    sign_in(client, "officer")
    page = client.get("/lending").text
    assert 'id="scan"' in page and "autofocus" in page and 'action="/lending/item"' in page
    html = item_page(client, ASCII_FILE)
    assert FILE_TITLE in html and "อยู่ในที่เก็บ — ยืมได้" in html and "ตู้ 1 ลิ้นชัก 2" in html
    assert client.get("/lending/item?id=NOPE-1").status_code == 404
    assert f"record:{desk.corpus.memo}" in item_page(client, f"record:{desk.corpus.memo}")


def test_lend_with_paper_approval_then_return(client: TestClient, archive: Archive,
                                             desk: Desk) -> None:
    token = sign_in(client, "officer")
    response = client.post("/lending/lend", data={
        "csrf": token, "id": ASCII_FILE, "borrower": "reader", "kind": "borrow",
        "due": "10/03/2568", "purpose": "ประกอบการประชุม", "approver": "head"})
    assert response.status_code == 303
    html = item_page(client, ASCII_FILE)
    assert 'data-status="out"' in html and "ส่งมอบแล้ว" in html
    assert "10 มีนาคม 2568" in html  # due date shown in the Buddhist era
    with archive.db.session() as session:
        loan = session.scalars(select(Loan)).one()
        assert (loan.due, loan.approved_by, loan.handed_by) == (dt.date(2025, 3, 10), "head",
                                                                 "officer")
    client.post(f"/lending/loans/{loan.id}/return",
                data={"csrf": token, "returned_by": "reader", "note": "เรียบร้อย"})
    html = item_page(client, ASCII_FILE)
    assert 'data-status="in"' in html and "รับคืนแล้ว" in html and "เรียบร้อย" in html
    card = client.get("/lending/card.pdf?id=" + quote(ASCII_FILE, safe=""))
    assert card.headers["content-type"] == "application/pdf" and card.content.startswith(b"%PDF")


def test_request_waits_for_the_head_who_approves_online(client: TestClient, archive: Archive,
                                                        desk: Desk) -> None:
    token = sign_in(client, "officer")
    client.post("/lending/lend", data={"csrf": token, "id": ASCII_FILE, "borrower": "clerk",
                                       "due": "2025-03-07", "purpose": "ตรวจสอบ"})
    assert 'data-status="requested"' in item_page(client, ASCII_FILE)
    with archive.db.session() as session:
        loan_id = session.scalars(select(Loan.id)).one()
    token = sign_in(client, "admin")  # not the unit head: nothing waits for them
    assert "คำขอยืมที่รอท่านอนุมัติ" not in client.get("/lending/mine").text
    client.post(f"/lending/loans/{loan_id}/approve", data={"csrf": token, "back": "mine"})
    assert "หัวหน้าหน่วยงาน" in client.get("/lending/mine").text  # refusal shown as a notice
    token = sign_in(client, "head")
    mine = client.get("/lending/mine").text
    assert "คำขอยืมที่รอท่านอนุมัติ" in mine and ASCII_FILE in mine
    client.post(f"/lending/loans/{loan_id}/approve", data={"csrf": token, "back": "mine"})
    token = sign_in(client, "officer")
    client.post(f"/lending/loans/{loan_id}/hand-out", data={"csrf": token})
    with archive.db.session() as session:
        loan = session.get(Loan, loan_id)
        assert loan is not None and loan.status == LoanStatus.out and loan.approved_by == "head"
        actions = session.scalars(select(AuditEvent.action)
                                  .where(AuditEvent.record_id == desk.corpus.public)).all()
    assert [a for a in actions if a.startswith("loan.")] == ["loan.request", "loan.approve",
                                                           "loan.hand_out"]


def test_changes_need_the_csrf_token(client: TestClient, archive: Archive, desk: Desk) -> None:
    sign_in(client, "officer")
    response = client.post("/lending/lend", data={"csrf": "forged", "id": ASCII_FILE,
                                                  "borrower": "reader", "due": "2025-03-07",
                                                  "approver": "head"})
    assert response.status_code == 403
    with archive.db.session() as session:
        assert session.scalars(select(Loan)).all() == []


def test_rule_breaks_come_back_as_a_notice(client: TestClient, desk: Desk) -> None:
    token = sign_in(client, "officer")
    client.post("/lending/lend", data={"csrf": token, "id": THAI_FILE, "borrower": "officer",
                                       "due": "2025-03-07", "approver": "head"})
    html = item_page(client, THAI_FILE)
    assert "หัวหน้าส่วนราชการ" in html and 'data-status="in"' in html
    client.post("/lending/lend", data={"csrf": token, "id": ASCII_FILE, "kind": "borrow",
                                       "outsider_name": "นายสมชาย ใจดี", "due": "2025-03-03"})
    assert "บุคคลภายนอก" in item_page(client, ASCII_FILE)
    client.post("/lending/lend", data={"csrf": token, "id": ASCII_FILE, "borrower": "reader",
                                       "due": "31/02/2568"})
    assert "วว/ดด/ปปปป" in item_page(client, ASCII_FILE)


def test_secret_items_stay_hidden_from_desk_staff_without_clearance(client: TestClient,
                                                                   archive: Archive,
                                                                   desk: Desk) -> None:
    with frozen_today(dt.date(2025, 2, 3)), archive.db.session() as session:
        lend(session, THAI_FILE, to="officer", due=dt.date(2025, 2, 10), approved_by="director",
             actor="officer")
    sign_in(client, "desk0")
    page = client.get("/lending").text
    assert THAI_FILE not in page and 'id="count-out">0<' in page
    assert client.get("/lending/item?id=" + quote(THAI_FILE, safe="")).status_code == 404
    assert client.get(f"/lending/item?id=file:{desk.thai_file_id}").status_code == 404
    sign_in(client, "officer")
    page = client.get("/lending").text
    assert THAI_FILE in page and 'id="count-late">1<' in page
    assert SECRET_SUBJECT not in page  # titles of letters inside are not listed on the desk
    assert re.search(r'class="days-late">21<', page)


def test_borrower_is_reminded_at_sign_in(client: TestClient, archive: Archive,
                                         desk: Desk) -> None:
    with frozen_today(dt.date(2025, 2, 3)), archive.db.session() as session:
        lend(session, ASCII_FILE, to="reader", due=dt.date(2025, 2, 24), approved_by="head",
             actor="officer")
    client.post("/login", data={"username": "reader", "password": PASSWORD})
    home = client.get("/").text
    assert 'id="reminder-banner"' in home and "1 รายการ" in home
    mine = client.get("/lending/mine").text
    assert "เกินกำหนด 7 วัน" in mine and ASCII_FILE in mine
    client.cookies.clear()
    client.post("/login", data={"username": "clerk", "password": PASSWORD})
    assert 'id="reminder-banner"' not in client.get("/").text


def test_printouts_are_pdfs(client: TestClient, desk: Desk) -> None:
    sign_in(client, "officer")
    for path in ("/lending/labels.pdf", "/lending/overdue.pdf", "/lending/reminders.pdf",
                 f"/lending/labels.pdf?code={quote(ASCII_FILE, safe='')}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.content.startswith(b"%PDF")
    sign_in(client, "reader")
    assert client.get("/lending/overdue.pdf").status_code == 403


def test_due_dates_typed_in_the_buddhist_era() -> None:
    assert parse_due("17/03/2568") == dt.date(2025, 3, 17)
    assert parse_due("17/3/2025") == dt.date(2025, 3, 17)
    assert parse_due("2025-03-17") == dt.date(2025, 3, 17)
