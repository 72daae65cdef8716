"""A whole yearly review over a generated 30-year archive, with simulated dates (issue #6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from retention_support import generate, skeleton
from sqlalchemy import func, select

from ingest.archive import Archive
from retention import destruction, forms, holds, interlocks, review, survey, transfer
from retention.schedule import set_class
from schemas.clock import frozen_today
from schemas.enums import Decision, RecordStatus, Secrecy, TransferList
from schemas.errors import PermissionDenied, SarabanError
from schemas.settings import Settings
from schemas.tables import AuditEvent, Record, RecordRetention

YEAR = 2567  # BE: records whose retention ended in 2024 CE, reviewed in Jan-Feb 2025
COMMITTEE = [
    review.MemberIn("chair", "นางสาวสมศรี ใจดี", "ชำนาญการพิเศษ", "ผู้อำนวยการกลุ่ม", "chair"),
    review.MemberIn("member", "นายสมชาย รักงาน", "ชำนาญการ", "นักจัดการงานทั่วไป", "m1"),
    review.MemberIn("member", "นางมาลี สุขใจ", "ชำนาญงาน", "เจ้าพนักงานธุรการ", "m2"),
]


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """An archive of its own (the generated corpus is written into it)."""
    opened = Archive.open(Settings(home=tmp_path / "home"))
    yield opened
    opened.close()


def _ids_listed(archive: Archive) -> set[int]:
    with archive.db.session() as session:
        rows = review.rows_of(session, review.get_review(session, YEAR))
        return {row.record_id for row, _ in rows}


def test_whole_cycle_from_survey_to_transfer(archive: Archive, monkeypatch, tmp_path: Path):
    made = generate(archive)
    on_loan: set[int] = set()
    monkeypatch.setattr(interlocks, "records_on_loan", lambda session: set(on_loan))
    with archive.db.session() as session:
        due_before = survey.due_records(session, YEAR)
        held_one, loaned_one = due_before[0].record_id, due_before[1].record_id
        holds.hold_record(session, held_one, reason="ตรวจสอบของ สตง.", reference="สตง. 12/2567",
                          actor="officer")
        on_loan.add(loaned_one)
        permanent = {c.record_id for c in session.scalars(
            select(RecordRetention).where(RecordRetention.permanent.is_(True)))}
        secret_id = next(r.id for r in session.scalars(select(Record).where(
            Record.secrecy == Secrecy.secret)))
        set_class(session, secret_id, "secret", actor="officer", fixed_until=2560,
                  reason="ตามระเบียบการรักษาความลับ")

    with frozen_today(dt.date(2024, 12, 31)), archive.db.session() as session:
        with pytest.raises(SarabanError):  # the draft is ready on 1 January, not before
            survey.open_review(session, YEAR, actor="officer", agency="สพป.ลำปาง เขต 1")

    with frozen_today(dt.date(2025, 1, 1)), archive.db.session() as session:
        opened = survey.open_review(session, YEAR, actor="officer", agency="สพป.ลำปาง เขต 1")
        assert opened.stage == "survey"
    listed = _ids_listed(archive)
    assert len(listed) > 50
    assert held_one not in listed and loaned_one not in listed
    assert not listed & permanent
    assert secret_id in listed
    with archive.db.session() as session:
        keeps = {c.record_id: c.keep_until for c in session.scalars(select(RecordRetention))}
        public_view = survey.due_records(session, YEAR, clearance=Secrecy.none)
    assert all(keeps[i] is not None and keeps[i] <= YEAR for i in listed)
    assert secret_id not in {d.record_id for d in public_view}  # never shown without clearance

    with frozen_today(dt.date(2025, 1, 10)), archive.db.session() as session:
        current = review.get_review(session, YEAR)
        with pytest.raises(SarabanError, match="กรรมการอย่างน้อยสองคน"):
            review.appoint_committee(session, current, COMMITTEE[:2], actor="head")
        junior = [*COMMITTEE[:2], review.MemberIn("member", "นายน้อย ใหม่", "ปฏิบัติงาน")]
        with pytest.raises(SarabanError, match="ปฏิบัติงาน"):
            review.appoint_committee(session, current, junior, actor="head")
        two_chairs = [*COMMITTEE, review.MemberIn("chair", "นายสอง ประธาน", "เชี่ยวชาญ")]
        with pytest.raises(SarabanError, match="ประธานกรรมการหนึ่งคน"):
            review.appoint_committee(session, current, two_chairs, actor="head")
        review.appoint_committee(session, current, COMMITTEE, actor="head")
        assert current.stage == "committee"

    keep_id = sorted(listed - {secret_id})[0]
    with frozen_today(dt.date(2025, 1, 20)), archive.db.session() as session:
        current = review.get_review(session, YEAR)
        rows = review.rows_of(session, current)
        with pytest.raises(PermissionDenied):
            review.decide(session, current, rows[0][0].id, Decision.destroy, actor="officer",
                          clearance=Secrecy.top_secret)
        by_record = {row.record_id: row for row, _ in rows}
        with pytest.raises(SarabanError, match="เหตุผล"):
            review.decide(session, current, by_record[keep_id].id, Decision.keep, actor="m1",
                          clearance=Secrecy.top_secret, keep_until=2572)
        review.decide(session, current, by_record[keep_id].id, Decision.keep, actor="m1",
                      clearance=Secrecy.top_secret, keep_until=2572, reason="ยังใช้อ้างอิงงบประมาณ")
        for row, _ in rows:
            if row.record_id != keep_id:
                review.decide(session, current, row.id, Decision.destroy, actor="chair",
                              clearance=Secrecy.top_secret)
        with pytest.raises(SarabanError):  # nothing is destroyed before consent
            destruction.destroy(archive.db, archive.blobs, archive.backend, archive.settings,
                                YEAR, actor="officer")
        review.report(session, current, actor="chair")
        assert session.get(RecordRetention, keep_id).keep_until == 2572
        review.approve(session, current, actor="head")
        review.send(session, current, sent_on=dt.date(2025, 1, 20), actor="officer",
                    reference="ศธ 04049/100")

    with frozen_today(dt.date(2025, 3, 20)), archive.db.session() as session:  # day 59
        assert review.apply_deemed(session) == []
        late_hold = sorted(listed - {keep_id, secret_id})[-1]
        holds.hold_record(session, late_hold, reason="คดีปกครอง", actor="officer")
    with frozen_today(dt.date(2025, 3, 20)), pytest.raises(SarabanError):
        destruction.destroy(archive.db, archive.blobs, archive.backend, archive.settings,
                            YEAR, actor="officer")
    for record_id in listed:
        assert archive.blobs.exists(made.sha[record_id])  # nothing destroyed before consent

    with frozen_today(dt.date(2025, 3, 21)), archive.db.session() as session:  # day 60
        assert review.apply_deemed(session) == [YEAR]
        current = review.get_review(session, YEAR)
        assert (current.stage, current.consent) == ("consented", "deemed")
        assert current.consent_on == dt.date(2025, 3, 21)

    # interrupted after three records, then run again: it finishes, nothing twice
    real_purge = destruction.purge_record
    calls = {"n": 0}

    def crash_after_three(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 3:
            raise KeyboardInterrupt("power cut")
        return real_purge(*args, **kwargs)

    monkeypatch.setattr(destruction, "purge_record", crash_after_three)
    with frozen_today(dt.date(2025, 3, 25)), pytest.raises(KeyboardInterrupt):
        destruction.destroy(archive.db, archive.blobs, archive.backend, archive.settings,
                            YEAR, actor="officer")
    monkeypatch.setattr(destruction, "purge_record", real_purge)
    with frozen_today(dt.date(2025, 3, 26)):
        result = destruction.destroy(archive.db, archive.blobs, archive.backend,
                                     archive.settings, YEAR, actor="officer")
        again = destruction.destroy(archive.db, archive.blobs, archive.backend,
                                    archive.settings, YEAR, actor="officer")
    assert again.destroyed == [] and again.problems == []
    destroyed = listed - {keep_id, late_hold}
    assert len(result.destroyed) == len(destroyed) - 3
    assert result.skipped == {late_hold: "ระงับการทำลายตามคำสั่ง (legal hold)"}

    with archive.db.session() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "retention.destroyed"))
        assert events == len(destroyed)
        for record_id in destroyed:
            record = session.get(Record, record_id)
            clock = session.get(RecordRetention, record_id)
            assert record.status == RecordStatus.destroyed
            assert record.number and record.subject and record.date  # the tombstone
            assert record.text == "" and record.raw_text == ""
            assert clock.destroyed_on in (dt.date(2025, 3, 25), dt.date(2025, 3, 26))
            assert clock.destruction_batch == destruction.batch_name(YEAR)
        for record_id in (keep_id, late_hold, held_one, loaned_one):
            assert session.get(Record, record_id).status != RecordStatus.destroyed
    # unrecoverable: no blob, no page image, no index entry nor term, no text in the db files
    database = (archive.settings.home / "saraban.db").read_bytes()
    wal = archive.settings.home / "saraban.db-wal"
    database += wal.read_bytes() if wal.exists() else b""
    for record_id in destroyed:
        sha = made.sha[record_id]
        assert not archive.blobs.exists(sha)
        assert not list(archive.settings.thumb_dir.glob(f"{sha}-*"))
        assert not archive.backend.contains(record_id)
        assert not archive.backend.has_term(made.token[record_id])
        assert made.token[record_id].encode() not in database
    for record_id in (keep_id, late_hold):
        assert archive.blobs.exists(made.sha[record_id])
        assert archive.backend.contains(record_id)
        assert archive.backend.has_term(made.token[record_id])

    with archive.db.session() as session:
        current = review.get_review(session, YEAR)
        assert current.stage == "destroyed"
        report = forms.destruction_report(session, current, Secrecy.top_secret, "สพป.ลำปาง")
    data = forms.form_pdf(report, thai_digits=False)
    (tmp_path / "report.pdf").write_bytes(data)
    with pdfplumber.open(tmp_path / "report.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert skeleton("ถือว่าเห็นชอบ") in skeleton(text)
    assert skeleton("นางสาวสมศรี ใจดี") in skeleton(text)
    assert len(report.rows) == len(destroyed)

    # the 20-year transfer of 2568 (2025 CE): permanent records dated 2005 or earlier
    with frozen_today(dt.date(2025, 6, 1)), archive.db.session() as session:
        rows = transfer.build_lists(session, 2568, actor="officer")
        assert rows and all(r.list == TransferList.handover.value for r in rows)
        dates = [session.get(Record, r.record_id).date for r in rows]
        assert all(d.year <= 2005 for d in dates)
        assert len(rows) == 11  # one history record a year, 1995-2005
        moved = transfer.move(session, rows[0].id, TransferList.keep_back, reason="ใช้ในงานครบรอบ",
                              actor="officer", clearance=Secrecy.top_secret)
        assert moved.list == "keep_back"
        done = transfer.mark_transferred(session, 2568, on=dt.date(2025, 6, 1), actor="officer")
        assert len(done) == 10 and rows[0].record_id not in done
        assert transfer.build_lists(session, 2568, actor="officer") == []  # nothing twice


def test_committee_decisions_need_a_member_and_survey_excludes_open_reviews(archive: Archive):
    generate(archive, per_year=2)
    with frozen_today(dt.date(2025, 1, 2)), archive.db.session() as session:
        survey.open_review(session, 2566, actor="officer", agency="สพป.")
        first = _ids_listed_for(session, 2566)
        assert first
        survey.open_review(session, 2567, actor="officer", agency="สพป.")
        assert not first & _ids_listed_for(session, 2567)  # never on two open reviews


def _ids_listed_for(session, year: int) -> set[int]:
    return {row.record_id for row, _ in review.rows_of(session, review.get_review(session, year))}
