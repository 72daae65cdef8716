"""Delivers the index outbox to the search backend: in batches, with retries and backoff.

The store writes an outbox row with every record change (store.outbox). A
worker — `saraban worker`, and a thread of `saraban serve` — sends the
changed records to the backend and removes the rows. When the backend is
down the rows stay, each failed batch backs off (1 s doubling to 5 min),
and everything is delivered when it returns: intake and edits never wait
for search (issue 5).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from index.backend import SearchBackend
from index.documents import index_doc
from schemas.enums import RecordStatus
from schemas.errors import SearchUnavailable
from schemas.tables import Record, utcnow
from store import outbox
from store.db import Database

log = logging.getLogger(__name__)
BATCH = 500


@dataclass(frozen=True)
class Delivery:
    """What one batch did."""

    delivered: int = 0
    failed: int = 0
    error: str = ""
    next_due: dt.datetime | None = None


def deliver_batch(db: Database, backend: SearchBackend, *, limit: int = BATCH,
                  ignore_backoff: bool = False,
                  max_backoff: dt.timedelta = outbox.MAX_BACKOFF) -> Delivery:
    """Deliver up to `limit` due outbox rows in one bulk call; postpone them on failure.

    The record is read when it is delivered, so a row always sends the
    newest state; rows of the same record collapse into one document.
    """
    with db.session() as session:
        rows = outbox.claim_due(session, limit, ignore_backoff=ignore_backoff)
        if not rows:
            return Delivery()
        ids = list(dict.fromkeys(row.record_id for row in rows))
        records = {r.id: r for r in session.scalars(select(Record).where(Record.id.in_(ids)))}
        # A destroyed record (retention) leaves the index for good: its tombstone
        # is not searchable.
        live = [rid for rid in ids
                if rid in records and records[rid].status != RecordStatus.destroyed]
        docs = [index_doc(records[rid]) for rid in live]
        gone = [rid for rid in ids if rid not in live]
        try:
            if docs:
                backend.upsert(docs)
            if gone:
                backend.delete(gone)
        except SearchUnavailable as exc:
            due = outbox.postpone(session, rows, exc.message, max_backoff=max_backoff)
            log.warning("index delivery of %d changes failed, next try %s: %s",
                        len(rows), due.isoformat(), exc.message)
            return Delivery(failed=len(rows), error=exc.message, next_due=due)
        outbox.acknowledge(session, rows)
        for record in records.values():
            session.execute(update(Record)
                            .where(Record.id == record.id, Record.version == record.version)
                            .values(indexed_version=record.version,
                                    updated_at=Record.updated_at))
        return Delivery(delivered=len(rows))


def deliver_all(db: Database, backend: SearchBackend, *, ignore_backoff: bool = False) -> int:
    """Deliver every due row; stop at the first failed batch. Returns rows delivered."""
    total = 0
    while True:
        result = deliver_batch(db, backend, ignore_backoff=ignore_backoff)
        total += result.delivered
        if not result.delivered:
            return total


class OutboxWorker:
    """Delivers the outbox until stopped; polls when idle, backs off when failing."""

    def __init__(self, db: Database, backend: SearchBackend, *, poll_seconds: float = 1.0,
                 max_backoff: dt.timedelta = outbox.MAX_BACKOFF) -> None:
        self.db = db
        self.backend = backend
        self.poll_seconds = poll_seconds
        self.max_backoff = max_backoff
        self.stopping = threading.Event()

    def run(self) -> None:
        """Loop until `stop()`."""
        while not self.stopping.is_set():
            try:
                result = deliver_batch(self.db, self.backend, max_backoff=self.max_backoff)
            except OperationalError as exc:  # the database itself is restarting
                log.warning("outbox: database unavailable: %s", exc)
                self.stopping.wait(self.poll_seconds)
                continue
            if result.delivered:
                continue
            wait = self.poll_seconds
            if result.next_due is not None:
                wait = max(0.05, (result.next_due - utcnow()).total_seconds())
            self.stopping.wait(wait)

    def start(self) -> threading.Thread:
        """Run in a daemon thread (used by `saraban serve`)."""
        thread = threading.Thread(target=self.run, name="index-outbox", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        """Ask the loop to end after the current batch."""
        self.stopping.set()
