"""The review queue: records with a field read below the confidence threshold, or not read.

A field a person corrected or confirmed never puts its record back in the
queue. Records above the reader's clearance are left out in the query
itself, so they count nowhere (issue #3, DESIGN "Secrecy").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.enums import RecordStatus, Secrecy
from schemas.tables import Record

#: The fields a clerk registers from the paper, in the order a letter prints them.
REVIEW_FIELDS = ("kind", "number", "date", "subject", "to", "from_org", "secrecy", "urgency")
#: Records in these states have fields to review (unread and destroyed ones do not).
REVIEWABLE = (RecordStatus.ok, RecordStatus.flagged)
PER_PAGE = 20


def low_fields(confidence: dict[str, Any] | None, corrected: dict[str, Any] | None,
               threshold: float) -> list[str]:
    """Fields read below `threshold` or not at all, that no person has corrected or confirmed."""
    confidence, corrected = confidence or {}, corrected or {}
    low = []
    for name in REVIEW_FIELDS:
        if name in corrected:
            continue
        value = confidence.get(name)
        if not isinstance(value, int | float) or value < threshold:
            low.append(name)
    return low


@dataclass(frozen=True)
class QueueEntry:
    """One record waiting for review and the fields to look at."""

    record: Record
    fields: list[str]

    @property
    def lowest(self) -> float:
        """The lowest confidence among its fields (0 for a field not read)."""
        confidence = self.record.confidence or {}
        values = [confidence.get(name) for name in self.fields]
        return min(float(v) if isinstance(v, int | float) else 0.0 for v in values)


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, oldest first."""

    entries: list[QueueEntry]
    total: int
    page: int
    pages: int
    threshold: float


def _cleared(clearance: Secrecy) -> list[str]:
    return [level.value for level in Secrecy if level.level <= Secrecy(clearance).level]


def queued_ids(session: Session, clearance: Secrecy, threshold: float) -> list[int]:
    """Ids of every record in the queue the reader may see, oldest first."""
    rows = session.execute(
        select(Record.id, Record.confidence, Record.corrected_fields)
        .where(Record.status.in_([status.value for status in REVIEWABLE]),
               Record.secrecy.in_(_cleared(clearance)))
        .order_by(Record.created_at, Record.id))
    return [row.id for row in rows if low_fields(row.confidence, row.corrected_fields, threshold)]


def review_page(session: Session, clearance: Secrecy, threshold: float, page: int = 1,
                per_page: int = PER_PAGE) -> QueuePage:
    """Page `page` (1-based) of the queue within the reader's clearance."""
    ids = queued_ids(session, clearance, threshold)
    pages = max(1, -(-len(ids) // per_page))
    page = min(max(1, page), pages)
    wanted = ids[(page - 1) * per_page:page * per_page]
    records = {r.id: r for r in session.scalars(select(Record).where(Record.id.in_(wanted)))}
    entries = [QueueEntry(records[i], low_fields(records[i].confidence,
                                                 records[i].corrected_fields, threshold))
               for i in wanted]
    return QueuePage(entries, len(ids), page, pages, threshold)


def next_in_queue(session: Session, clearance: Secrecy, threshold: float,
                  after: int) -> int | None:
    """The record to review after record `after`: the next one in the queue, else the first."""
    ids = [i for i in queued_ids(session, clearance, threshold) if i != after]
    return next((i for i in ids if i > after), ids[0] if ids else None)
