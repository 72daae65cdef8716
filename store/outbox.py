"""The index outbox, store side: every record change queues an outbox row in its transaction.

The row is written by a session hook after each flush, so any change made
through the ORM (intake, OCR results, a person's correction, a failure)
reaches the search index without the caller remembering to ask, and a
change that rolls back queues nothing. Delivery lives in `index.outbox`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from schemas.tables import IndexOutbox, Record, utcnow

MAX_BACKOFF = dt.timedelta(minutes=5)


def _queue_changed_records(session: Session, _flush_context: Any) -> None:
    """After a flush: one outbox row per record added, changed or deleted in it."""
    rows: list[dict[str, object]] = []
    for obj in session.new:
        if isinstance(obj, Record):
            rows.append({"record_id": obj.id, "action": "upsert"})
    for obj in session.dirty:
        if isinstance(obj, Record) and session.is_modified(obj, include_collections=False):
            rows.append({"record_id": obj.id, "action": "upsert"})
    for obj in session.deleted:
        if isinstance(obj, Record):
            rows.append({"record_id": obj.id, "action": "delete"})
    if rows:
        now = utcnow()
        session.connection().execute(
            insert(IndexOutbox),
            [{**row, "created_at": now, "attempts": 0, "last_error": ""} for row in rows])


def install_hook(factory: sessionmaker[Session]) -> None:
    """Make every session of `factory` queue record changes in the outbox."""
    from sqlalchemy import event

    event.listen(factory, "after_flush", _queue_changed_records)


def queue_records(session: Session, record_ids: list[int], action: str = "upsert") -> None:
    """Queue records explicitly (bulk UPDATEs bypass the ORM hook)."""
    if record_ids:
        now = utcnow()
        session.execute(insert(IndexOutbox), [
            {"record_id": rid, "action": action, "created_at": now, "attempts": 0,
             "last_error": ""} for rid in record_ids])


def claim_due(session: Session, limit: int, *, now: dt.datetime | None = None,
              ignore_backoff: bool = False) -> list[IndexOutbox]:
    """Lock and return up to `limit` due rows, oldest first.

    On PostgreSQL the rows are taken with SELECT ... FOR UPDATE SKIP LOCKED,
    so several workers share the outbox without delivering a row twice; the
    lock lasts until the caller's transaction ends. SQLite has one writer.
    """
    now = now or utcnow()
    query = select(IndexOutbox).order_by(IndexOutbox.id).limit(limit)
    if not ignore_backoff:
        query = query.where((IndexOutbox.not_before.is_(None)) | (IndexOutbox.not_before <= now))
    return list(session.scalars(query.with_for_update(skip_locked=True)))


def acknowledge(session: Session, rows: list[IndexOutbox]) -> None:
    """Delivered: remove the rows."""
    if rows:
        session.execute(delete(IndexOutbox).where(IndexOutbox.id.in_([r.id for r in rows])))


def postpone(session: Session, rows: list[IndexOutbox], error: str, *,
             now: dt.datetime | None = None, max_backoff: dt.timedelta = MAX_BACKOFF
             ) -> dt.datetime:
    """Not delivered: count the attempt, keep the error, back off exponentially.

    Returns when the rows are due again (1 s, 2 s, 4 s, … at most `max_backoff`).
    """
    now = now or utcnow()
    attempts = max((r.attempts for r in rows), default=0) + 1
    delay = min(max_backoff, dt.timedelta(seconds=2 ** min(attempts - 1, 16)))
    due = now + delay
    session.execute(update(IndexOutbox).where(IndexOutbox.id.in_([r.id for r in rows]))
                    .values(attempts=IndexOutbox.attempts + 1, not_before=due,
                            last_error=error[:2000]))
    return due


@dataclass(frozen=True)
class Lag:
    """How far the index is behind the store."""

    pending: int
    failing: int
    oldest: dt.datetime | None
    last_error: str
    next_try: dt.datetime | None

    def seconds(self, now: dt.datetime | None = None) -> float:
        """Age of the oldest undelivered change, in seconds (0 when none)."""
        if self.oldest is None:
            return 0.0
        oldest = self.oldest if self.oldest.tzinfo else self.oldest.replace(tzinfo=dt.UTC)
        return max(0.0, ((now or utcnow()) - oldest).total_seconds())


def failing_changes(session: Session) -> int:
    """Undelivered changes whose delivery has failed at least once."""
    return int(session.scalar(select(func.count()).select_from(IndexOutbox)
                              .where(IndexOutbox.attempts > 0)) or 0)


def lag(session: Session) -> Lag:
    """Undelivered rows, failing rows, the oldest change and the newest error."""
    pending, oldest = session.execute(
        select(func.count(), func.min(IndexOutbox.created_at))).one()
    failing, next_try = session.execute(
        select(func.count(), func.min(IndexOutbox.not_before))
        .where(IndexOutbox.attempts > 0)).one()
    last_error = session.scalar(
        select(IndexOutbox.last_error).where(IndexOutbox.attempts > 0)
        .order_by(IndexOutbox.id.desc()).limit(1)) or ""
    return Lag(int(pending), int(failing), oldest, last_error, next_try)
