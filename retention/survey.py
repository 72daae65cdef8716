"""Step 1 of the yearly review (ข้อ 66): which records' retention ended, and the draft list.

The survey for year Y (BE) lists the records whose keep-until year is Y, and
earlier ones never reviewed, leaving out held, on-loan, permanent,
transferred and destroyed records and those already on another open review.
The draft list can be drawn up from 1 January of Y+1; the list is due within
60 days after 31 December.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from retention.classify import ensure_clocks
from retention.holds import held_ids
from retention import interlocks
from schemas.clock import today
from schemas.enums import RecordStatus, ReviewStage, Secrecy
from schemas.errors import SarabanError
from schemas.tables import Record, RecordRetention, RetentionReview, ReviewRow
from schemas.thai_dates import BE_OFFSET, be_year
from store.audit import record_event
from store.records import visible

LIST_DAYS = 60  # the list is drawn up within 60 days after 31 December (ข้อ 66)
DEFAULT_COLUMNS = ("seq", "number", "date", "subject", "file_code", "decision", "note")


@dataclass(frozen=True)
class Due:
    """A record whose retention ended: what the survey lists."""

    record_id: int
    number: str | None
    date: dt.date | None
    subject: str | None
    retention_class: str
    keep_until: int | None
    secrecy: str

    def as_json(self) -> dict[str, object]:
        """The CLI contract's row."""
        return {"record_id": self.record_id, "number": self.number,
                "date": self.date.isoformat() if self.date else None, "subject": self.subject,
                "retention_class": self.retention_class, "keep_until": self.keep_until}


def review_opens(year: int) -> dt.date:
    """1 January after the year (BE) whose retention ended: the draft list is ready then."""
    return dt.date(year - BE_OFFSET + 1, 1, 1)


def list_deadline(year: int) -> dt.date:
    """The last day to draw up the list: 60 days after 31 December of `year` (BE)."""
    return dt.date(year - BE_OFFSET, 12, 31) + dt.timedelta(days=LIST_DAYS)


def current_year() -> int:
    """The BE year whose review is due now: the year just ended."""
    return be_year(today()) - 1


def on_open_reviews(session: Session, except_year: int | None = None) -> set[int]:
    """Records already on a review still running (rows not yet carried out)."""
    query = (select(ReviewRow.record_id).join(RetentionReview,
                                              RetentionReview.id == ReviewRow.review_id)
             .where(RetentionReview.stage != ReviewStage.destroyed.value,
                    ReviewRow.outcome.is_(None)))
    if except_year is not None:
        query = query.where(RetentionReview.year != except_year)
    return set(session.scalars(query))


def due_records(session: Session, year: int, clearance: Secrecy = Secrecy.top_secret) -> list[Due]:
    """What the survey for `year` (BE) lists, as the reader may see it."""
    ensure_clocks(session)
    excluded = (held_ids(session) | interlocks.records_on_loan(session)
                | on_open_reviews(session, year))
    query = (select(Record, RecordRetention)
             .join(RecordRetention, RecordRetention.record_id == Record.id)
             .where(RecordRetention.keep_until.is_not(None), RecordRetention.keep_until <= year,
                    RecordRetention.permanent.is_(False),
                    RecordRetention.destroyed_on.is_(None),
                    RecordRetention.transferred_on.is_(None),
                    Record.status.notin_([RecordStatus.destroyed, RecordStatus.pending]))
             .order_by(RecordRetention.keep_until, Record.date, Record.id))
    return [Due(r.id, r.number, r.date, r.subject, c.class_code, c.keep_until,
                str(getattr(r.secrecy, "value", r.secrecy)))
            for r, c in session.execute(query)
            if r.id not in excluded and visible(r, clearance)]


def open_review(session: Session, year: int, *, actor: str, agency: str,
                thai_digits: bool = False) -> RetentionReview:
    """Draw up the draft destruction list for `year` (BE) from the survey.

    Raises:
        SarabanError: before 1 January of the next year, or a review of that year exists.
    """
    if today() < review_opens(year):
        raise SarabanError(f"บัญชีประจำปี {year} จัดทำได้ตั้งแต่ 1 มกราคม {year + 1} "
                           f"(the survey for {year} opens on {review_opens(year)})")
    if session.scalar(select(RetentionReview).where(RetentionReview.year == year)):
        raise SarabanError(f"มีบัญชีหนังสือขอทำลายประจำปี {year} อยู่แล้ว (review exists)")
    review = RetentionReview(year=year, stage=ReviewStage.survey.value, agency=agency,
                             columns=list(DEFAULT_COLUMNS), thai_digits=thai_digits,
                             surveyed_on=today(), created_by=actor)
    session.add(review)
    session.flush()
    due = due_records(session, year)
    for seq, item in enumerate(due, start=1):
        session.add(ReviewRow(review_id=review.id, seq=seq, record_id=item.record_id,
                              keep_until=item.keep_until))
    record_event(session, actor, "retention.survey", None, year=year, rows=len(due))
    session.flush()
    return review
