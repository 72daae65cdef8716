"""Keeps the index in step with the store: the outbox of changes, and full rebuilds."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from index.backend import Rebuildable, SearchBackend
from index.documents import index_doc
from index.outbox import deliver_all
from schemas.enums import RecordStatus
from schemas.tables import Record, utcnow
from store.db import Database
from store.outbox import queue_records

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
                        .values(indexed_version=record.version, updated_at=Record.updated_at))


def sync_pending(db: Database, backend: SearchBackend) -> int:
    """Deliver every due change in the index outbox now; return how many rows went.

    When the backend is down this returns early and the rows wait for the
    worker (index.outbox) to retry them.
    """
    return deliver_all(db, backend)


def reindex(db: Database, backend: SearchBackend,
            progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuild the index from the store; return the number of records indexed.

    A backend that can build a new index beside the live one (OpenSearch)
    fills it and swaps it in, so search never goes empty; records changed
    meanwhile are queued again for the new index.
    """
    if isinstance(backend, Rebuildable):
        started = utcnow()
        with backend.rebuild() as target:
            done = _fill(db, target, progress)
        with db.session() as session:
            changed = list(session.scalars(select(Record.id).where(Record.updated_at >= started)))
            queue_records(session, changed)
        deliver_all(db, backend)
        return done
    backend.clear()
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(Record)) or 0
        session.execute(update(Record).values(indexed_version=0, updated_at=Record.updated_at))
    return _fill(db, backend, progress, total)


def _fill(db: Database, backend: SearchBackend,
          progress: Callable[[int, int], None] | None, total: int | None = None) -> int:
    if total is None:
        with db.session() as session:
            total = session.scalar(select(func.count()).select_from(Record)) or 0
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
