"""Records and their files: intake (store once by sha256), reads with clearance."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schemas.enums import RecordStatus, Secrecy
from schemas.errors import NotFound
from schemas.letter import LetterMetadata
from schemas.tables import Record, StoredFile
from store.audit import record_event
from store.blobs import BlobStore
from store.jobs import enqueue


@dataclass(frozen=True)
class Intake:
    """What happened to one incoming file."""

    record_id: int
    file_id: int
    sha256: str
    duplicate: bool
    job_id: int | None = None


def intake_file(
    session: Session,
    blobs: BlobStore,
    source: Path,
    *,
    original_name: str,
    original_path: str = "",
    mime: str,
    actor: str,
    batch: str = "",
) -> Intake:
    """Store a file once and queue its OCR job, all in the caller's transaction.

    A file whose sha256 is already stored is a duplicate: nothing new is
    stored and the existing record is returned.
    """
    sha, size = blobs.put_file(source)
    existing = session.scalar(select(StoredFile).where(StoredFile.sha256 == sha))
    if existing is not None:
        record = session.scalar(select(Record).where(Record.file_id == existing.id))
        assert record is not None, "every stored file has a record"
        record_event(session, actor, "ingest.duplicate", record.id, name=original_name)
        return Intake(record.id, existing.id, sha, duplicate=True)
    stored = StoredFile(sha256=sha, size=size, mime=mime, original_name=original_name,
                        original_path=original_path)
    session.add(stored)
    session.flush()
    record = Record(file_id=stored.id, status=RecordStatus.pending)
    session.add(record)
    session.flush()
    job = enqueue(session, stored.id, record.id, batch=batch, created_by=actor)
    session.flush()
    record_event(session, actor, "ingest.stored", record.id, name=original_name, sha256=sha,
                 size=size, mime=mime)
    return Intake(record.id, stored.id, sha, duplicate=False, job_id=job.id)


def apply_metadata(record: Record, meta: LetterMetadata) -> None:
    """Copy extracted metadata onto a record and bump its version."""
    record.kind = meta.kind.value if meta.kind else None
    record.number = meta.number
    record.circular = meta.circular
    record.date = meta.date
    record.subject = meta.subject
    record.to = meta.to
    record.from_org = meta.from_org
    record.secrecy = meta.secrecy
    record.urgency = meta.urgency.value
    record.references = [ref.model_dump(mode="json") for ref in meta.references]
    record.enclosures = list(meta.enclosures)
    record.signer = meta.signer
    record.confidence = dict(meta.confidence)
    record.version = (record.version or 0) + 1


EDITABLE = frozenset({"kind", "number", "circular", "date", "subject", "to", "from_org",
                      "secrecy", "urgency", "signer", "enclosures"})


def edit_record(session: Session, record_id: int, changes: dict[str, object], *,
                actor: str) -> Record:
    """A person's correction: lock the row, apply `changes`, bump the version, audit it.

    The version is bumped first, by one UPDATE: that takes the row lock on
    PostgreSQL and the write lock on SQLite before anything is read, so
    concurrent edits from several web workers apply one after the other and
    none is lost. The index hears of the change through the outbox.
    """
    unknown = set(changes) - EDITABLE
    if unknown or not changes:
        raise ValueError(f"fields that cannot be edited: {sorted(unknown) or 'none given'}")
    bumped = session.execute(update(Record).where(Record.id == record_id)
                             .values(version=Record.version + 1))
    record = session.scalar(select(Record).where(Record.id == record_id)
                            .execution_options(populate_existing=True))
    if record is None or not bumped.rowcount:  # type: ignore[attr-defined]
        raise NotFound(f"ไม่พบเอกสารหมายเลข {record_id} (record not found)")
    before = {name: getattr(record, name) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    record_event(session, actor, "record.edit", record_id, version=record.version,
                 before={k: str(v) for k, v in before.items()},
                 after={k: str(v) for k, v in changes.items()})
    return record


UNREAD = (RecordStatus.pending, RecordStatus.failed)


def effective_secrecy(record: Record) -> Secrecy:
    """The level that guards a record: its stamp, or top secret while it is unread.

    A file not yet read (pending) or unreadable (failed) may carry any stamp,
    so until a person or the OCR has seen it, only top-secret readers see even
    its file name.
    """
    if RecordStatus(record.status) in UNREAD:
        return Secrecy.top_secret
    return Secrecy(record.secrecy)


def visible(record: Record, clearance: Secrecy) -> bool:
    """Whether a reader with `clearance` may see `record`."""
    return effective_secrecy(record).level <= Secrecy(clearance).level


def get_record(session: Session, record_id: int, clearance: Secrecy) -> Record:
    """The record, if the reader may see it; NotFound otherwise (same message either way)."""
    record = session.get(Record, record_id)
    if record is None or not visible(record, clearance):
        raise NotFound(f"ไม่พบเอกสารหมายเลข {record_id} (record not found)")
    return record


def records_needing_index(session: Session, limit: int = 500) -> list[Record]:
    """Records changed since they were last indexed, oldest first."""
    query = (select(Record).where(Record.indexed_version != Record.version)
             .order_by(Record.id).limit(limit))
    return list(session.scalars(query))
