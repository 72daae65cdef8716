"""Keeps the index in step with the store: the outbox of changes, and full rebuilds."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import func, select, update

from index.backend import IndexDoc, Rebuildable, SearchBackend, upsert_all
from index.documents import index_doc
from index.outbox import deliver_all
from schemas.enums import RecordStatus
from schemas.tables import Record, utcnow
from store.db import Database
from store.outbox import queue_records

BATCH = 500
REBUILD_BATCH = 2000


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
    meanwhile are queued again for the new index. The embedded index is
    replaced in one bulk pass; records edited meanwhile stay pending.
    Destroyed records (retention) are never indexed again.
    """
    started = utcnow()
    total = _count(db)
    if isinstance(backend, Rebuildable):
        with backend.rebuild() as target:
            done = upsert_all(target, _all_docs(db, total, progress), BATCH)
        with db.session() as session:
            changed = list(session.scalars(select(Record.id).where(Record.updated_at >= started)))
            queue_records(session, changed)
        deliver_all(db, backend)
        return done
    done = backend.bulk_load(_all_docs(db, total, progress))
    with db.session() as session:
        session.execute(update(Record).where(Record.updated_at <= started)
                        .values(indexed_version=Record.version, updated_at=Record.updated_at))
        session.execute(update(Record).where(Record.updated_at > started)
                        .values(indexed_version=0, updated_at=Record.updated_at))
    return done


def _count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Record)) or 0


def _all_docs(db: Database, total: int,
              progress: Callable[[int, int], None] | None) -> Iterator[IndexDoc]:
    """Every live record's index document, read in id order a batch at a time."""
    last_id, done = 0, 0
    while True:
        with db.session() as session:
            records = list(session.scalars(select(Record).where(Record.id > last_id)
                                           .order_by(Record.id).limit(REBUILD_BATCH)))
            docs = [index_doc(record) for record in records
                    if record.status != RecordStatus.destroyed]
        if not records:
            return
        last_id = records[-1].id
        yield from docs
        done += len(records)
        if progress:
            progress(done, total)
