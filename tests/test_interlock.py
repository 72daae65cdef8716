"""The loan/destruction interlock with real loans (issues #6 and #7).

"A record or file on loan cannot be destroyed or transferred (the retention
survey skips it)": the lending desk lends records alone and inside paper
files; the survey, the destruction step and the 20-year transfer must all see
those loans through `retention.interlocks`, not a stand-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from web_support import add_record, open_archive

from index.sync import sync_pending
from ingest.archive import Archive
from retention import destruction, review, survey, transfer
from retention.classify import ensure_clocks
from retention.holdings import add_file, add_unit, place_record
from retention.loans import lend, records_on_loan, return_item
from schemas.clock import frozen_today
from schemas.enums import Decision, RecordStatus, Role, Secrecy, TransferList
from schemas.tables import AuditEvent, Record, RecordRetention, ReviewRow
from store.users import add_user

YEAR = 2567  # BE: letters of 2014 in the default 10-year class end their retention in 2567
UNIT = "กลุ่มอำนวยการ"
FILE = "RET-01/2557"
SUBJECT = "รายงานผลการปฏิบัติงานประจำเดือน"  # no rule matches: the default class (10 years)
HISTORY = "ประวัติศาสตร์การจัดตั้งโรงเรียนบ้านป่าซาง"  # the history rule: permanent
COMMITTEE = [
    review.MemberIn("chair", "นางสาวสมศรี ใจดี", "ชำนาญการพิเศษ", "ผู้อำนวยการกลุ่ม", "chair"),
    review.MemberIn("member", "นายสมชาย รักงาน", "ชำนาญการ", "นักจัดการงานทั่วไป", "m1"),
    review.MemberIn("member", "นางมาลี สุขใจ", "ชำนาญงาน", "เจ้าพนักงานธุรการ", "m2"),
]
ON_LOAN = "อยู่ระหว่างการยืม (on loan)"


@dataclass
class Shelf:
    """Letters of 2014 whose retention ended in 2567, and where their paper is."""

    alone: int  # lent by itself (record:N)
    in_file: int  # inside the paper file FILE
    file_mate: int  # the other letter in FILE
    free: list[int]  # never lent


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """A fresh archive with the web test users, a unit head and a keeping unit."""
    opened = open_archive(tmp_path / "home")
    with opened.db.session() as session:
        add_user(session, "head", "correct-horse-battery", role=Role.clerk,
                 clearance=Secrecy.none, display_name="นางสาวหัวหน้า กลุ่มงาน")
        session.flush()
        add_unit(session, UNIT, head="head")
    yield opened
    opened.close()


def _letter(archive: Archive, n: int, *, subject: str = SUBJECT,
            date: dt.date = dt.date(2014, 5, 1)) -> int:
    return add_record(archive, subject=subject, kind="memo", date=date, number=f"ศธ 04049/{n}",
                      text=f"บันทึกข้อความ\nเรื่อง {subject}\nฉบับที่ {n}", name=f"letter-{n}.txt")


@pytest.fixture
def shelf(archive: Archive) -> Shelf:
    """Five letters of 2014: one kept loose in a cabinet, two in FILE, two never lent."""
    ids = [_letter(archive, n) for n in range(1, 6)]
    with archive.db.session() as session:
        add_file(session, FILE, "แฟ้มรายงานประจำเดือน ปี ๒๕๕๗", unit=UNIT, cabinet="2", drawer="1")
        place_record(session, ids[0], unit=UNIT, cabinet="2", drawer="3")
        place_record(session, ids[1], file_code=FILE)
        place_record(session, ids[2], file_code=FILE)
        ensure_clocks(session)
        clocks = {c.record_id: c for c in session.scalars(select(RecordRetention))}
        assert {(clocks[i].class_code, clocks[i].keep_until) for i in ids} == {("default", YEAR)}
    sync_pending(archive.db, archive.backend)
    return Shelf(alone=ids[0], in_file=ids[1], file_mate=ids[2], free=ids[3:])


def _lend(archive: Archive, item_id: str, on: dt.date) -> None:
    with frozen_today(on), archive.db.session() as session:
        lend(session, item_id, to="reader", due=on + dt.timedelta(days=14), approved_by="head",
             actor="officer", purpose="ตรวจสอบข้อเท็จจริง")


def _return(archive: Archive, item_id: str, on: dt.date) -> None:
    with frozen_today(on), archive.db.session() as session:
        return_item(session, item_id, returned_by=None, received_by="officer")


def _listed(archive: Archive) -> set[int]:
    with archive.db.session() as session:
        return {row.record_id for row, _ in
                review.rows_of(session, review.get_review(session, YEAR))}


def _approve_and_consent(archive: Archive) -> None:
    """Committee decides destroy on every row, report, approval, sending; consent on day 60."""
    with frozen_today(dt.date(2025, 1, 10)), archive.db.session() as session:
        current = review.get_review(session, YEAR)
        review.appoint_committee(session, current, COMMITTEE, actor="head")
    with frozen_today(dt.date(2025, 1, 20)), archive.db.session() as session:
        current = review.get_review(session, YEAR)
        for row, _ in review.rows_of(session, current):
            review.decide(session, current, row.id, Decision.destroy, actor="chair",
                          clearance=Secrecy.top_secret)
        review.report(session, current, actor="chair")
        review.approve(session, current, actor="head")
        review.send(session, current, sent_on=dt.date(2025, 1, 20), actor="officer",
                    reference="ศธ 04049/100")
    with frozen_today(dt.date(2025, 3, 21)), archive.db.session() as session:
        assert review.apply_deemed(session) == [YEAR]


def _destroy(archive: Archive, on: dt.date) -> destruction.DestructionResult:
    with frozen_today(on):
        return destruction.destroy(archive.db, archive.blobs, archive.backend, archive.settings,
                                   YEAR, actor="officer")


def _status(archive: Archive, record_id: int) -> RecordStatus:
    with archive.db.session() as session:
        record = session.get(Record, record_id)
        assert record is not None
        return RecordStatus(record.status)


def test_survey_leaves_out_a_record_on_loan_and_the_records_of_a_lent_file(
        archive: Archive, shelf: Shelf) -> None:
    _lend(archive, f"record:{shelf.alone}", dt.date(2024, 12, 2))
    _lend(archive, FILE, dt.date(2024, 12, 9))
    with archive.db.session() as session:
        assert records_on_loan(session) == {shelf.alone, shelf.in_file, shelf.file_mate}
        due = {d.record_id for d in survey.due_records(session, YEAR)}
    assert due == set(shelf.free)

    with frozen_today(dt.date(2025, 1, 2)), archive.db.session() as session:
        survey.open_review(session, YEAR, actor="officer", agency="สพป.ลำปาง เขต 1")
    assert _listed(archive) == set(shelf.free)

    # once back on the shelf they are due again (next year's survey picks them up)
    _return(archive, f"record:{shelf.alone}", dt.date(2025, 1, 6))
    _return(archive, FILE, dt.date(2025, 1, 6))
    with archive.db.session() as session:
        due_later = {d.record_id for d in survey.due_records(session, YEAR + 1)}
    assert {shelf.alone, shelf.in_file, shelf.file_mate} <= due_later


def test_a_record_lent_after_approval_is_skipped_then_destroyed_after_its_return(
        archive: Archive, shelf: Shelf) -> None:
    with frozen_today(dt.date(2025, 1, 2)), archive.db.session() as session:
        survey.open_review(session, YEAR, actor="officer", agency="สพป.ลำปาง เขต 1")
    everyone = {shelf.alone, shelf.in_file, shelf.file_mate, *shelf.free}
    assert _listed(archive) == everyone
    _approve_and_consent(archive)

    _lend(archive, FILE, dt.date(2025, 3, 24))  # the file goes out after the list was approved
    first = _destroy(archive, dt.date(2025, 3, 25))
    lent = {shelf.in_file, shelf.file_mate}
    assert first.skipped == {shelf.in_file: ON_LOAN, shelf.file_mate: ON_LOAN}
    assert set(first.destroyed) == everyone - lent
    for record_id in lent:
        assert _status(archive, record_id) != RecordStatus.destroyed
    with archive.db.session() as session:
        rows = {row.record_id: row for row in session.scalars(select(ReviewRow))}
        assert {(rows[i].outcome, rows[i].note) for i in lent} == {("skipped", ON_LOAN)}
        skipped_events = session.scalars(select(AuditEvent.record_id).where(
            AuditEvent.action == "retention.destroy_skipped")).all()
        assert set(skipped_events) == lent

    # while the file is still out, running the step again destroys nothing
    still_out = _destroy(archive, dt.date(2025, 3, 28))
    assert still_out.destroyed == [] and set(still_out.skipped) == lent

    _return(archive, FILE, dt.date(2025, 4, 1))
    later = _destroy(archive, dt.date(2025, 4, 2))
    assert sorted(later.destroyed) == sorted(lent) and later.skipped == {}
    with archive.db.session() as session:
        for record_id in lent:
            record = session.get(Record, record_id)
            clock = session.get(RecordRetention, record_id)
            assert record is not None and clock is not None
            assert record.status == RecordStatus.destroyed and record.text == ""
            assert clock.destroyed_on == dt.date(2025, 4, 2)
            assert not archive.backend.contains(record_id)
        rows = {row.record_id: row for row in session.scalars(select(ReviewRow))}
        assert {rows[i].outcome for i in everyone} == {"destroyed"}


def test_a_record_on_loan_is_kept_off_the_handover_list_and_not_marked_transferred(
        archive: Archive) -> None:
    early = dt.date(2004, 6, 1)  # 20 years old by 2568 (2025)
    lent_first, lent_later, handed = (_letter(archive, n, subject=HISTORY, date=early)
                                      for n in (11, 12, 13))
    with archive.db.session() as session:
        ensure_clocks(session)
        assert all(session.get(RecordRetention, i).permanent
                   for i in (lent_first, lent_later, handed))
        place_record(session, lent_first, unit=UNIT, cabinet="3")
        place_record(session, lent_later, unit=UNIT, cabinet="3")

    _lend(archive, f"record:{lent_first}", dt.date(2025, 5, 20))
    with frozen_today(dt.date(2025, 6, 1)), archive.db.session() as session:
        transfer.build_lists(session, 2568, actor="officer")
        lists = {row.record_id: (row.list, row.reason)
                 for row, _ in transfer.rows_for(session, 2568)}
    assert lists == {lent_first: (TransferList.keep_back.value, transfer.LOAN_REASON),
                     lent_later: (TransferList.handover.value, ""),
                     handed: (TransferList.handover.value, "")}

    # one on the handover list goes out before the hand-over: it is not marked transferred
    _lend(archive, f"record:{lent_later}", dt.date(2025, 6, 10))
    with frozen_today(dt.date(2025, 6, 15)), archive.db.session() as session:
        done = transfer.mark_transferred(session, 2568, on=dt.date(2025, 6, 15), actor="officer")
    assert done == [handed]
    with archive.db.session() as session:
        assert session.get(RecordRetention, lent_later).transferred_on is None
        assert session.get(RecordRetention, lent_first).transferred_on is None

    _return(archive, f"record:{lent_later}", dt.date(2025, 6, 20))
    with frozen_today(dt.date(2025, 6, 25)), archive.db.session() as session:
        done = transfer.mark_transferred(session, 2568, on=dt.date(2025, 6, 25), actor="officer")
        assert done == [lent_later]
        assert session.get(RecordRetention, lent_later).transferred_on == dt.date(2025, 6, 25)
        assert session.get(RecordRetention, lent_first).transferred_on is None  # kept back
