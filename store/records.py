"""Records and their files: intake (store once by sha256), reads with clearance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schemas.enums import RecordStatus, Secrecy
from schemas.errors import NotFound
from schemas.letter import LetterMetadata
from schemas.tables import Record, StoredFile, utcnow
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


def apply_metadata(record: Record, meta: LetterMetadata,
                   sources: dict[str, object] | None = None) -> None:
    """Copy extracted metadata onto a record and bump its version.

    Fields a person corrected or confirmed (`record.corrected_fields`) keep
    their value and confidence: a re-extraction never overwrites a clerk's
    correction (issue #3). `sources` (field → page and box) replaces the
    record's field sources, again except for corrected fields.
    """
    corrected = set(record.corrected_fields or {})
    values: dict[str, object] = {
        "kind": meta.kind.value if meta.kind else None,
        "number": meta.number,
        "circular": meta.circular,
        "date": meta.date,
        "subject": meta.subject,
        "to": meta.to,
        "from_org": meta.from_org,
        "secrecy": meta.secrecy,
        "urgency": meta.urgency.value,
        "references": [ref.model_dump(mode="json") for ref in meta.references],
        "enclosures": list(meta.enclosures),
        "signer": meta.signer,
    }
    for name, value in values.items():
        if name not in corrected:
            setattr(record, name, value)
    kept = record.confidence or {}
    record.confidence = {**dict(meta.confidence),
                         **{name: kept.get(name, 1.0) for name in corrected}}
    if sources is not None:
        old = record.field_sources or {}
        record.field_sources = {**sources, **{name: old[name] for name in corrected
                                              if name in old}}
    record.version = (record.version or 0) + 1


EDITABLE = frozenset({"kind", "number", "circular", "date", "subject", "to", "from_org",
                      "secrecy", "urgency", "signer", "enclosures"})


def _lock(session: Session, record_id: int) -> Record:
    """Bump the record's version by one UPDATE (the row lock), then read it afresh."""
    bumped = session.execute(update(Record).where(Record.id == record_id)
                             .values(version=Record.version + 1))
    record = session.scalar(select(Record).where(Record.id == record_id)
                            .execution_options(populate_existing=True))
    if record is None or not bumped.rowcount:  # type: ignore[attr-defined]
        raise NotFound(f"ไม่พบเอกสารหมายเลข {record_id} (record not found)")
    return record


def _mark_by_person(record: Record, names: Iterable[str], actor: str, action: str) -> None:
    """Confidence 1.0 and who did it, for fields a person corrected or confirmed."""
    at = utcnow().isoformat(timespec="seconds")
    record.confidence = {**(record.confidence or {}), **{name: 1.0 for name in names}}
    record.corrected_fields = {**(record.corrected_fields or {}),
                               **{name: {"by": actor, "at": at, "action": action}
                                  for name in names}}


def edit_record(session: Session, record_id: int, changes: dict[str, object], *,
                actor: str) -> Record:
    """A person's correction: lock the row, apply `changes`, bump the version, audit it.

    The version is bumped first, by one UPDATE: that takes the row lock on
    PostgreSQL and the write lock on SQLite before anything is read, so
    concurrent edits from several web workers apply one after the other and
    none is lost. The index hears of the change through the outbox. The
    fields changed are marked corrected (confidence 1.0, who and when), so a
    later re-extraction leaves them alone.
    """
    unknown = set(changes) - EDITABLE
    if unknown or not changes:
        raise ValueError(f"fields that cannot be edited: {sorted(unknown) or 'none given'}")
    record = _lock(session, record_id)
    before = {name: getattr(record, name) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    _mark_by_person(record, changes, actor, "edit")
    record_event(session, actor, "record.edit", record_id, version=record.version,
                 before={k: str(v) for k, v in before.items()},
                 after={k: str(v) for k, v in changes.items()})
    return record


def confirm_fields(session: Session, record_id: int, fields: Iterable[str], *,
                   actor: str) -> Record:
    """A person confirms fields as read: confidence 1.0, marked corrected, audited.

    Raises:
        ValueError: a field that cannot be edited, or none.
        NotFound: no such record.
    """
    names = sorted(set(fields))
    unknown = set(names) - EDITABLE
    if unknown or not names:
        raise ValueError(f"fields that cannot be confirmed: {sorted(unknown) or 'none given'}")
    record = _lock(session, record_id)
    values = {name: str(getattr(record, name)) for name in names}
    _mark_by_person(record, names, actor, "confirm")
    record_event(session, actor, "record.confirm", record_id, version=record.version,
                 fields=values)
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
