"""Keeps the index in step with the store: records whose version moved are re-indexed."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select, update

from index.backend import SearchBackend
from index.documents import index_doc
from schemas.tables import Record
from store.db import Database

BATCH = 500


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
            backend.upsert([index_doc(record) for record in records])
            for record in records:
                # Compare-and-set: a record edited meanwhile stays pending.
                session.execute(update(Record).where(Record.id == record.id,
                                                     Record.version == record.version)
                                .values(indexed_version=record.version))
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
            backend.upsert([index_doc(record) for record in records])
            for record in records:
                session.execute(update(Record).where(Record.id == record.id,
                                                     Record.version == record.version)
                                .values(indexed_version=record.version))
            last_id = records[-1].id
            done += len(records)
        if progress:
            progress(done, total)
    return done
