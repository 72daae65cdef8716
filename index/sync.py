"""Keeps the index in step with the store: records whose version moved are re-indexed."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from index.backend import IndexDoc, SearchBackend
from index.documents import index_doc
from schemas.tables import Record, utcnow
from store.db import Database

BATCH = 500
REBUILD_BATCH = 2000


def _index_batch(session: Session, backend: SearchBackend, records: list[Record]) -> None:
    """Index `records` and mark the versions indexed, compare-and-set.

    A record edited meanwhile keeps its newer version and stays pending.
    """
    backend.upsert([index_doc(record) for record in records])
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
    """Rebuild the index from the store in one bulk pass; return the number of records indexed.

    Records edited while the rebuild runs keep their newer version and stay
    pending for the next `sync_pending`.
    """
    started = utcnow()
    with db.session() as session:
        total = session.scalar(select(func.count()).select_from(Record)) or 0
    done = backend.rebuild(_all_docs(db, total, progress))
    with db.session() as session:
        session.execute(update(Record).where(Record.updated_at <= started)
                        .values(indexed_version=Record.version, updated_at=Record.updated_at))
        session.execute(update(Record).where(Record.updated_at > started)
                        .values(indexed_version=0, updated_at=Record.updated_at))
    return done


def _all_docs(db: Database, total: int,
              progress: Callable[[int, int], None] | None) -> Iterator[IndexDoc]:
    """Every record's index document, read in id order a batch at a time."""
    last_id, done = 0, 0
    while True:
        with db.session() as session:
            records = list(session.scalars(select(Record).where(Record.id > last_id)
                                           .order_by(Record.id).limit(REBUILD_BATCH)))
            docs = [index_doc(record) for record in records]
        if not docs:
            return
        last_id = docs[-1].record_id
        yield from docs
        done += len(docs)
        if progress:
            progress(done, total)
