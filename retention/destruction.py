"""Step 5 of the yearly review (ข้อ 68-69): destroy what was approved, for good.

Only rows the committee marked destroy and the Archives did not ask to keep,
only after consent (answered or deemed), and never a held or loaned record.
For each record the original, the archival PDF, cached page images, job
scratch, the text and the index entry are removed; the record stays as a
tombstone (number, date, subject, class, batch, date destroyed). Each record
is carried out in its own transaction, so an interrupted run resumes where it
stopped; the index is then rebuilt without the destroyed records (deleted
documents would otherwise linger in old segments) and everything is checked.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from index.backend import SearchBackend
from index.sync import reindex
from retention.holds import held_ids
from retention import interlocks
from retention.review import apply_deemed, get_review, rows_of
from schemas.clock import today
from schemas.enums import Decision, RecordStatus, ReviewStage
from schemas.errors import SarabanError
from schemas.settings import Settings
from schemas.tables import IngestJob, Record, RecordRetention, ReviewRow, StoredFile
from store.audit import record_event
from store.blobs import BlobStore
from store.db import Database


INDEX_CHUNK = 50


@dataclass
class DestructionResult:
    """What one run of the destruction step did."""

    year: int
    destroyed: list[int] = field(default_factory=list)  # record ids destroyed by this run
    skipped: dict[int, str] = field(default_factory=dict)  # record id -> why not
    problems: list[str] = field(default_factory=list)


def batch_name(year: int) -> str:
    """The destruction batch of a review, printed on tombstones and the report."""
    return f"ทำลาย-{year}"


def to_destroy(session: Session, year: int) -> list[tuple[int, int]]:
    """(row id, record id) of rows still to be carried out."""
    review = get_review(session, year)
    return [(row.id, row.record_id) for row, _ in rows_of(session, review)
            if row.decision == Decision.destroy.value and row.archives_keep_until is None
            and row.outcome is None]


def destroy(db: Database, blobs: BlobStore, backend: SearchBackend, settings: Settings,
            year: int, *, actor: str) -> DestructionResult:
    """Carry out the destruction of review `year`; safe to run again after an interruption.

    Raises:
        SarabanError: no consent yet, or something was left behind (listed).
    """
    with db.session() as session:
        apply_deemed(session)
        review = get_review(session, year)
        if review.stage not in (ReviewStage.consented.value, ReviewStage.destroyed.value):
            raise SarabanError("ยังทำลายไม่ได้: ต้องได้รับความเห็นชอบจากกรมศิลปากร หรือครบ 60 วัน"
                               "หลังส่งบัญชีก่อน (no consent from the National Archives yet)")
        pending = to_destroy(session, year)
    result = DestructionResult(year)
    unindexed: list[int] = []
    for row_id, record_id in pending:
        why = _blocked(db, row_id, record_id, actor)
        if why:
            result.skipped[record_id] = why
            continue
        purge_record(db, blobs, settings, record_id, row_id=row_id, batch=batch_name(year),
                     actor=actor)
        result.destroyed.append(record_id)
        unindexed.append(record_id)
        if len(unindexed) >= INDEX_CHUNK:  # out of search results soon, not one commit each
            backend.delete(unindexed)
            unindexed = []
    if unindexed:
        backend.delete(unindexed)
    reindex(db, backend)  # rebuild: no segment keeps a destroyed record's words
    _checkpoint(db)
    with db.session() as session:
        done = [row.record_id for row in session.scalars(select(ReviewRow).where(
            ReviewRow.review_id == get_review(session, year).id, ReviewRow.outcome == "destroyed"))]
    result.problems = verify_destroyed(db, blobs, backend, settings, done)
    if result.problems:
        raise SarabanError("ทำลายไม่ครบ ยังพบข้อมูลหลงเหลือ: " + "; ".join(result.problems[:10]))
    with db.session() as session:
        review = get_review(session, year)
        if review.stage != ReviewStage.destroyed.value:
            review.stage, review.destroyed_on = ReviewStage.destroyed.value, today()
        record_event(session, actor, "retention.destruction", None, year=year,
                     destroyed=len(result.destroyed), skipped=result.skipped, total=len(done))
    return result


def _blocked(db: Database, row_id: int, record_id: int, actor: str) -> str:
    """Why a row may not be destroyed now (held, on loan), recorded on the row; or ''."""
    with db.session() as session:
        reason = ""
        if record_id in held_ids(session):
            reason = "ระงับการทำลายตามคำสั่ง (legal hold)"
        elif record_id in interlocks.records_on_loan(session):
            reason = "อยู่ระหว่างการยืม (on loan)"
        if reason:
            row = session.get(ReviewRow, row_id)
            assert row is not None
            row.outcome, row.note = "skipped", reason
            record_event(session, actor, "retention.destroy_skipped", record_id, reason=reason)
        return reason


def _shared(session: Session, record_id: int, sha: str) -> bool:
    """Whether another live record still uses the blob `sha`."""
    as_file = session.scalar(select(Record.id).join(StoredFile, StoredFile.id == Record.file_id)
                             .where(StoredFile.sha256 == sha, Record.id != record_id,
                                    Record.status != RecordStatus.destroyed).limit(1))
    as_archival = session.scalar(select(Record.id).where(
        Record.archival_sha256 == sha, Record.id != record_id,
        Record.status != RecordStatus.destroyed).limit(1))
    return as_file is not None or as_archival is not None


def purge_record(db: Database, blobs: BlobStore, settings: Settings, record_id: int, *,
                 row_id: int | None, batch: str, actor: str) -> None:
    """Remove one record's files and text for good and leave its tombstone (one transaction)."""
    with db.session() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.connection().exec_driver_sql("PRAGMA secure_delete=ON")  # zero freed pages
        record = session.get(Record, record_id)
        assert record is not None, f"record {record_id} vanished"
        shas = {sha for sha in (record.file.sha256 if record.file else None,
                                record.archival_sha256) if sha}
        removed = 0
        for sha in sorted(shas):
            if _shared(session, record_id, sha):
                continue
            removed += int(blobs.delete(sha))
            for thumb in settings.thumb_dir.glob(f"{sha}-*"):
                thumb.unlink(missing_ok=True)
        for job_id in session.scalars(select(IngestJob.id).where(IngestJob.record_id == record_id)):
            shutil.rmtree(settings.work_dir / f"job-{job_id}", ignore_errors=True)
        record.text = record.raw_text = record.error = ""
        record.to = record.signer = None
        record.references, record.enclosures, record.warnings = [], [], []
        record.confidence = {}
        record.archival_sha256 = None
        record.page_count = 0
        record.status = RecordStatus.destroyed
        record.version = (record.version or 0) + 1
        clock = session.get(RecordRetention, record_id)
        if clock is not None:
            clock.destroyed_on, clock.destruction_batch = today(), batch
        if row_id is not None:
            row = session.get(ReviewRow, row_id)
            assert row is not None
            row.outcome = "destroyed"
        record_event(session, actor, "retention.destroyed", record_id, batch=batch,
                     files_removed=removed, on=today().isoformat())


def _checkpoint(db: Database) -> None:
    """Fold SQLite's write-ahead log into the database and empty it (old pages go)."""
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def verify_destroyed(db: Database, blobs: BlobStore, backend: SearchBackend,
                     settings: Settings, record_ids: list[int]) -> list[str]:
    """What is left of destroyed records anywhere (empty when nothing is)."""
    problems = []
    with db.session() as session:
        for record_id in record_ids:
            record = session.get(Record, record_id)
            if record is None:
                problems.append(f"#{record_id}: tombstone missing")
                continue
            if record.status != RecordStatus.destroyed or record.text or record.raw_text:
                problems.append(f"#{record_id}: text still in the database")
            sha = record.file.sha256 if record.file else None
            if sha and blobs.exists(sha) and not _shared(session, record_id, sha):
                problems.append(f"#{record_id}: file still in the store")
            if sha and any(settings.thumb_dir.glob(f"{sha}-*")):
                problems.append(f"#{record_id}: page images still cached")
            if record.archival_sha256:
                problems.append(f"#{record_id}: archival PDF still linked")
            if backend.contains(record_id):
                problems.append(f"#{record_id}: still in the search index")
    return problems
