"""The review queue: records with a field read below the confidence threshold, or not read.

A field a person corrected or confirmed never puts its record back in the
queue. Records above the reader's clearance are left out in the query
itself, so they count nowhere (issue #3, DESIGN "Secrecy").

The queue is one indexed query on `records.review_confidence` (the lowest
confidence among the fields left to review, kept by `schemas.tables`):
counted, ordered and paged in SQL, so a page reads only the records it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from schemas.enums import RecordStatus, Secrecy
from schemas.review_rule import REVIEW_FIELDS, field_confidence, low_fields
from schemas.tables import Record

__all__ = ["PER_PAGE", "REVIEWABLE", "REVIEW_FIELDS", "QueueEntry", "QueuePage", "low_fields",
           "next_in_queue", "queued_ids", "review_page"]

#: Records in these states have fields to review (unread and destroyed ones do not).
REVIEWABLE = (RecordStatus.ok, RecordStatus.flagged)
PER_PAGE = 20


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
        return min((field_confidence(v) for v in values), default=0.0)


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


def _in_queue(clearance: Secrecy, threshold: float) -> tuple[ColumnElement[bool], ...]:
    """The queue's WHERE: reviewable, within clearance, a field left below `threshold`."""
    return (Record.status.in_([status.value for status in REVIEWABLE]),
            Record.review_confidence < threshold,
            Record.secrecy.in_(_cleared(clearance)))


#: Queue order: oldest first.
ORDER = (Record.created_at, Record.id)


def _queue_ids(clearance: Secrecy, threshold: float) -> Select[tuple[int]]:
    """The ids of the queue the reader may see, oldest first (a query to cut or run)."""
    return select(Record.id).where(*_in_queue(clearance, threshold)).order_by(*ORDER)


def queued_ids(session: Session, clearance: Secrecy, threshold: float) -> list[int]:
    """Ids of every record in the queue the reader may see, oldest first."""
    return list(session.scalars(_queue_ids(clearance, threshold)))


def queue_size(session: Session, clearance: Secrecy, threshold: float) -> int:
    """How many records are in the queue the reader may see."""
    return session.scalar(select(func.count()).select_from(Record)
                          .where(*_in_queue(clearance, threshold))) or 0


def review_page(session: Session, clearance: Secrecy, threshold: float, page: int = 1,
                per_page: int = PER_PAGE) -> QueuePage:
    """Page `page` (1-based) of the queue within the reader's clearance.

    Three statements: the count, the page's ids (from the index, sorted and
    cut in SQL), and the records shown.
    """
    total = queue_size(session, clearance, threshold)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    wanted = list(session.scalars(_queue_ids(clearance, threshold).limit(per_page)
                                  .offset((page - 1) * per_page)))
    records = {r.id: r for r in session.scalars(select(Record).where(Record.id.in_(wanted)))}
    entries = [QueueEntry(records[i], low_fields(records[i].confidence,
                                                 records[i].corrected_fields, threshold))
               for i in wanted if i in records]
    return QueuePage(entries, total, page, pages, threshold)


def next_in_queue(session: Session, clearance: Secrecy, threshold: float,
                  after: int) -> int | None:
    """The record to review after record `after`: the next one in the queue, else the first.

    "Next" is the oldest queued record with a higher id than `after`; with
    none, the oldest queued record other than `after` itself. One query.
    """
    later_first = case((Record.id > after, 0), else_=1)
    return session.scalar(select(Record.id)
                          .where(*_in_queue(clearance, threshold), Record.id != after)
                          .order_by(later_first, *ORDER).limit(1))
