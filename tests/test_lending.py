"""The lending desk's rules: the whole cycle on simulated dates, secrecy, one at a time, audit."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from lending_support import ASCII_FILE, EMPTY_FILE, THAI_FILE, Desk, set_up_desk
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from web_support import archive  # noqa: F401  (fixture)

from ingest.archive import Archive
from retention.desk import cli_loans, dashboard, reminders_for
from retention.holdings import add_file, resolve_item, scan_key
from retention.loans import (
    approve_loan,
    assert_not_on_loan,
    cancel_loan,
    hand_out,
    lend,
    records_on_loan,
    refuse_loan,
    request_loan,
    return_item,
    return_loan,
)
from schemas.clock import frozen_today
from schemas.enums import LoanKind, LoanStatus, Secrecy
from schemas.errors import (
    LoanConflict,
    LoanStateError,
    NotFound,
    PermissionDenied,
    RecordsOnLoan,
    SarabanError,
)
from schemas.tables import AuditEvent, Loan, PaperFile
from store.users import find_user

MONDAY = dt.date(2025, 3, 3)


@pytest.fixture
def desk(archive: Archive) -> Desk:
    """Heads, three files and the corpus placed in them."""
    return set_up_desk(archive)


def test_whole_cycle_on_simulated_dates(archive: Archive, desk: Desk) -> None:
    with frozen_today(MONDAY), archive.db.session() as session:
        loan = request_loan(session, ASCII_FILE, borrower="reader", due=MONDAY + dt.timedelta(7),
                            purpose="ประกอบการประชุม", actor="officer")
        assert loan.status == LoanStatus.requested and loan.requested_on == MONDAY
        assert records_on_loan(session) == {desk.corpus.public, desk.corpus.memo}
        approve_loan(session, loan.id, approver="head", actor="head")
        hand_out(session, loan.id, handed_by="officer")
        loan_id = loan.id
    with frozen_today(MONDAY + dt.timedelta(5)), archive.db.session() as session:
        board = dashboard(session, Secrecy.none)
        assert [line.loan.id for line in board.due_soon] == [loan_id]
        assert board.overdue == []
    with frozen_today(MONDAY + dt.timedelta(10)), archive.db.session() as session:
        board = dashboard(session, Secrecy.none)
        assert [(line.loan.id, line.days_overdue) for line in board.overdue] == [(loan_id, 3)]
        assert board.per_borrower == [("คุณreader", 1, 1)]
        assert dict(board.overdue_buckets)["1–7 วัน"] == 1
        reader = find_user(session, "reader")
        assert reader is not None
        assert [line.loan.id for line in reminders_for(session, reader)] == [loan_id]
        assert [line.as_json()["days_overdue"] for line in cli_loans(session, overdue_only=True)] \
            == [3]
    with frozen_today(MONDAY + dt.timedelta(12)), archive.db.session() as session:
        returned = return_item(session, ASCII_FILE, returned_by=None, received_by="officer",
                               condition="ปกหลังชำรุดเล็กน้อย")
        assert (returned.returned_by, returned.returned_on) == ("reader", MONDAY + dt.timedelta(12))
        assert records_on_loan(session) == set()
        line = cli_loans(session, overdue_only=False)[0]
        assert line.as_json() == {
            "item_id": ASCII_FILE, "borrower": "reader", "lent_on": "2025-03-03",
            "due": "2025-03-10", "returned_on": "2025-03-15", "days_overdue": 5}
        assert cli_loans(session, overdue_only=True) == []


def test_every_step_is_audited_on_each_record_of_the_file(archive: Archive, desk: Desk) -> None:
    with frozen_today(MONDAY), archive.db.session() as session:
        loan = lend(session, ASCII_FILE, to="reader", due=MONDAY + dt.timedelta(3),
                    approved_by="head", actor="officer")
        return_loan(session, loan.id, returned_by="reader", received_by="officer")
    with archive.db.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("loan.%"))
                                 .order_by(AuditEvent.id)).all()
    steps = ["loan.request", "loan.approve", "loan.hand_out", "loan.return"]
    for record_id in (desk.corpus.public, desk.corpus.memo):
        mine = [event for event in events if event.record_id == record_id]
        assert [event.action for event in mine] == steps
        assert all(event.detail["item_id"] == ASCII_FILE for event in mine)
    assert next(e for e in events if e.action == "loan.approve").actor == "officer"
    assert next(e for e in events if e.action == "loan.approve").detail["approver"] == "head"


def test_only_the_keeping_units_head_or_the_office_head_approves(archive: Archive,
                                                                 desk: Desk) -> None:
    with frozen_today(MONDAY), archive.db.session() as session:
        loan = request_loan(session, ASCII_FILE, borrower="reader", due=MONDAY, actor="officer")
        with pytest.raises(PermissionDenied, match="หัวหน้าหน่วยงาน"):
            approve_loan(session, loan.id, approver="admin", actor="admin")
        approve_loan(session, loan.id, approver="director", actor="director")
        assert loan.approved_by == "director"


def test_secret_items_need_a_cleared_borrower_and_the_head_of_office(archive: Archive,
                                                                     desk: Desk) -> None:
    due = MONDAY + dt.timedelta(2)
    with frozen_today(MONDAY), archive.db.session() as session:
        item = resolve_item(session, THAI_FILE)
        assert item.secrecy == Secrecy.secret  # the file is as secret as its ลับมาก letter
        with pytest.raises(PermissionDenied, match="ชั้นความลับ"):
            request_loan(session, THAI_FILE, borrower="reader", due=due, actor="officer")
        with pytest.raises(PermissionDenied, match="ชั้นความลับ"):
            request_loan(session, f"record:{desk.corpus.secret}", borrower="clerk", due=due,
                         actor="officer")
        loan = request_loan(session, THAI_FILE, borrower="officer", due=due, actor="officer")
        with pytest.raises(PermissionDenied, match="หัวหน้าส่วนราชการ"):
            approve_loan(session, loan.id, approver="head", actor="head")  # unit head: not enough
        approve_loan(session, loan.id, approver="director", actor="director")
        assert hand_out(session, loan.id, handed_by="officer").status == LoanStatus.out


def test_outsiders_may_only_view_or_copy_in_the_office(archive: Archive, desk: Desk) -> None:
    with frozen_today(MONDAY), archive.db.session() as session:
        with pytest.raises(PermissionDenied, match="บุคคลภายนอก"):
            request_loan(session, ASCII_FILE, outsider_name="นายสมชาย ใจดี", due=MONDAY,
                         actor="officer")
        with pytest.raises(PermissionDenied, match="ชั้นความลับ"):
            request_loan(session, THAI_FILE, outsider_name="นายสมชาย ใจดี", kind=LoanKind.copy,
                         due=MONDAY, actor="officer")
        loan = request_loan(session, ASCII_FILE, outsider_name="นายสมชาย ใจดี",
                            outsider_org="โรงเรียนบ้านทดสอบ", kind=LoanKind.copy, due=MONDAY,
                            purpose="คัดสำเนาคำสั่ง", actor="officer")
        approve_loan(session, loan.id, approver="head", actor="head")
        hand_out(session, loan.id, handed_by="officer")
        return_loan(session, loan.id, returned_by="นายสมชาย ใจดี", received_by="officer")
        assert loan.kind == LoanKind.copy and loan.status == LoanStatus.returned


def test_one_borrower_at_a_time_across_file_and_record(archive: Archive, desk: Desk) -> None:
    due = MONDAY + dt.timedelta(7)
    with frozen_today(MONDAY), archive.db.session() as session:
        lend(session, ASCII_FILE, to="reader", due=due, approved_by="head", actor="officer")
    with frozen_today(MONDAY):
        for item_id in (ASCII_FILE, f"record:{desk.corpus.memo}"):
            with pytest.raises(LoanConflict, match="ครั้งละหนึ่งคน"), \
                    archive.db.session() as session:
                request_loan(session, item_id, borrower="clerk", due=due, actor="officer")
        with archive.db.session() as session:  # a loose-standing record out blocks its file
            return_item(session, ASCII_FILE, returned_by=None, received_by="officer")
            request_loan(session, f"record:{desk.corpus.public}", borrower="clerk", due=due,
                         actor="officer")
        with pytest.raises(LoanConflict), archive.db.session() as session:
            request_loan(session, ASCII_FILE, borrower="reader", due=due, actor="officer")


def test_the_database_itself_refuses_a_second_open_loan(archive: Archive, desk: Desk) -> None:
    # Without any Python check: the partial unique index is the rule.
    rows = [Loan(file_id=desk.ascii_file_id, due=MONDAY, requested_by="t", requested_on=MONDAY,
                 status=LoanStatus.out) for _ in range(2)]
    with pytest.raises(IntegrityError), archive.db.session() as session:
        session.add_all(rows)
    with archive.db.session() as session:  # closed loans may repeat freely
        session.add_all([Loan(file_id=desk.ascii_file_id, due=MONDAY, requested_by="t",
                              requested_on=MONDAY, status=LoanStatus.returned) for _ in range(2)])


def test_concurrent_requests_lend_to_exactly_one(archive: Archive, desk: Desk) -> None:
    borrowers = ["reader", "clerk", "officer", "admin", "head", "director"]
    start = threading.Barrier(len(borrowers))
    outcomes: dict[str, str] = {}

    def attempt(name: str) -> None:
        start.wait(timeout=30)
        try:
            with frozen_today(MONDAY), archive.db.session() as session:
                request_loan(session, EMPTY_FILE, borrower=name, due=MONDAY, actor=name)
            outcomes[name] = "ok"
        except LoanConflict:
            outcomes[name] = "conflict"

    threads = [threading.Thread(target=attempt, args=(name,)) for name in borrowers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["conflict"] * 5 + ["ok"]
    [winner] = [name for name, outcome in outcomes.items() if outcome == "ok"]
    with archive.db.session() as session:
        [loan] = session.scalars(select(Loan)).all()
        person = find_user(session, winner)
        assert person is not None and loan.borrower_id == person.id


def test_refused_and_cancelled_requests_free_the_item(archive: Archive, desk: Desk) -> None:
    with frozen_today(MONDAY), archive.db.session() as session:
        first = request_loan(session, ASCII_FILE, borrower="reader", due=MONDAY, actor="officer")
        refuse_loan(session, first.id, approver="head", actor="head", note="ใช้ประชุมอยู่")
        second = request_loan(session, ASCII_FILE, borrower="clerk", due=MONDAY, actor="officer")
        cancel_loan(session, second.id, actor="officer")
        assert records_on_loan(session) == set()
        with pytest.raises(LoanStateError):
            hand_out(session, second.id, handed_by="officer")


def test_records_on_loan_guard_for_destruction(archive: Archive, desk: Desk) -> None:
    with frozen_today(MONDAY), archive.db.session() as session:
        assert_not_on_loan(session, [desk.corpus.public, desk.corpus.secret])
        lend(session, THAI_FILE, to="officer", due=MONDAY, approved_by="director",
             actor="officer")
        with pytest.raises(RecordsOnLoan) as raised:
            assert_not_on_loan(session, [desk.corpus.public, desk.corpus.secret])
        assert raised.value.record_ids == {desk.corpus.secret}
        assert raised.value.http_status == 409


def test_lend_without_approver_waits_then_completes(archive: Archive, desk: Desk) -> None:
    with frozen_today(MONDAY), archive.db.session() as session:
        waiting = lend(session, ASCII_FILE, to="reader", due=MONDAY, approved_by=None,
                       actor="cli")
        assert waiting.status == LoanStatus.requested
        done = lend(session, ASCII_FILE, to="reader", due=MONDAY, approved_by="head", actor="cli")
        assert (done.id, done.status, done.lent_on) == (waiting.id, LoanStatus.out, MONDAY)


def test_item_ids_and_scan_keys(archive: Archive, desk: Desk) -> None:
    with archive.db.session() as session:
        assert resolve_item(session, f"record:{desk.corpus.memo}").kind == "record"
        assert resolve_item(session, f"file:{desk.thai_file_id}").item_id == THAI_FILE
        thai = session.get(PaperFile, desk.thai_file_id)
        ascii_file = session.get(PaperFile, desk.ascii_file_id)
        assert thai is not None and ascii_file is not None
        assert scan_key(thai) == f"file:{desk.thai_file_id}"
        assert scan_key(ascii_file) == ASCII_FILE
        with pytest.raises(NotFound):
            resolve_item(session, "NO-SUCH-FILE")
        with pytest.raises(SarabanError, match="ขึ้นต้น"):
            add_file(session, "record:9", "ชื่อซ้ำกับรูปแบบรหัสเอกสาร")


def test_due_date_in_the_past_is_refused(archive: Archive, desk: Desk) -> None:
    with frozen_today(MONDAY), archive.db.session() as session:
        with pytest.raises(SarabanError, match="กำหนดส่งคืน"):
            request_loan(session, ASCII_FILE, borrower="reader", due=MONDAY - dt.timedelta(1),
                         actor="officer")
