"""Keeps the index in step with the store: records whose version moved are re-indexed."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from index.backend import SearchBackend
from index.documents import index_doc
from schemas.enums import RecordStatus
from schemas.tables import Record
from store.db import Database

BATCH = 500


def _index_batch(session: Session, backend: SearchBackend, records: list[Record]) -> None:
    """Index `records` and mark the versions indexed, compare-and-set.

    A record edited meanwhile keeps its newer version and stays pending.
    """
    live = [record for record in records if record.status != RecordStatus.destroyed]
    backend.upsert([index_doc(record) for record in live])
    # A destroyed record (issue #6) leaves the index for good; its tombstone is not searchable.
    gone = [record.id for record in records if record.status == RecordStatus.destroyed]
    if gone:
        backend.delete(gone)
    for record in records:
        session.execute(update(Record).where(Record.id == record.id,
                                             Record.version == record.version)
                        .values(indexed_version=record.version))


def sync_pending(db: Database, backend: SearchBackend) -> int:
    """Index every record changed since it was last indexed; return how many."""
    done = 0
    while True:
        with db.session() as session:
            records = list(session.scalars(
                select(Record).where(Record.indexed_version != Record.version)
                .order_by(Record.id).limit(BATCH)))
            if not records:
                return done
            _index_batch(session, backend, records)
            done += len(records)


def reindex(db: Database, backend: SearchBackend,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the index from the store; return the number of records indexed."""
    backend.clear()
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(Record)) or 0
        session.execute(update(Record).values(indexed_version=0))
    done = 0
    last_id = 0
    while True:
        with db.session() as session:
            records = list(session.scalars(select(Record).where(Record.id > last_id)
                                           .order_by(Record.id).limit(BATCH)))
            if not records:
                break
            _index_batch(session, backend, records)
            last_id = records[-1].id
            done += len(records)
        if progress:
            progress(done, total)
    return done
