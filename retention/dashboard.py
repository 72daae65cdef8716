"""The retention dashboard: this year's review, its deadlines, and what needs a person.

Counts are computed within the reader's clearance, so a secret record never
shows up even as a number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from retention.classify import CHECK_BELOW, ensure_clocks
from retention.holds import held_ids
from retention.review import STAGE_THAI, apply_deemed, consent_deadline
from retention.survey import current_year, due_records, list_deadline, review_opens
from retention.transfer import due_for_transfer
from schemas.clock import today
from schemas.enums import RecordStatus, Secrecy
from schemas.tables import Record, RecordRetention, RetentionReview
from schemas.thai_dates import be_year
from store.records import visible


@dataclass(frozen=True)
class Deadline:
    """One date on the dashboard: what, when, and whether it is done or late."""

    label: str
    date: dt.date
    done: bool
    done_text: str = "เสร็จแล้ว"

    @property
    def days_left(self) -> int:
        """Days from today (negative when past)."""
        return (self.date - today()).days

    @property
    def late(self) -> bool:
        """Past and not done."""
        return not self.done and self.days_left < 0


@dataclass
class Dashboard:
    """Everything the dashboard shows."""

    year: int
    today: dt.date
    review: RetentionReview | None
    stage_thai: str
    due: int
    held: int
    to_check: int
    no_clock: int
    transfer_due: int
    deadlines: list[Deadline] = field(default_factory=list)
    reviews: list[RetentionReview] = field(default_factory=list)


def build(session: Session, clearance: Secrecy) -> Dashboard:
    """The dashboard for a reader with `clearance` (consent is deemed here when due)."""
    apply_deemed(session)
    ensure_clocks(session)
    year = current_year()
    review = session.scalar(select(RetentionReview).where(RetentionReview.year == year))
    clocks = session.execute(select(Record, RecordRetention).join(
        RecordRetention, RecordRetention.record_id == Record.id).where(
        Record.status != RecordStatus.destroyed)).all()
    shown = [(r, c) for r, c in clocks if visible(r, clearance)]
    held = held_ids(session)
    deadlines = [
        Deadline("ร่างบัญชีหนังสือขอทำลายพร้อมตั้งแต่", review_opens(year),
                 today() >= review_opens(year), "พร้อมแล้ว"),
        Deadline("จัดทำบัญชีและเสนอคณะกรรมการ (60 วันหลัง 31 ธ.ค.)", list_deadline(year),
                 review is not None and review.stage != "survey"),
    ]
    if review is not None and review.sent_on:
        deadline = consent_deadline(review)
        assert deadline is not None
        deadlines.append(Deadline("ครบ 60 วัน ถือว่ากรมศิลปากรเห็นชอบ", deadline,
                                  review.consent is not None))
    return Dashboard(
        year=year, today=today(), review=review,
        stage_thai=STAGE_THAI[review.stage] if review else "ยังไม่เริ่ม",
        due=len(due_records(session, year, clearance)),
        held=sum(1 for r, _ in shown if r.id in held),
        to_check=sum(1 for _, c in shown if c.source == "rule" and c.confidence < CHECK_BELOW),
        no_clock=sum(1 for _, c in shown if c.keep_until is None and not c.permanent),
        transfer_due=sum(1 for r in due_for_transfer(session, be_year(today()))
                         if visible(r, clearance)),
        deadlines=deadlines,
        reviews=list(session.scalars(select(RetentionReview).order_by(
            RetentionReview.year.desc()))),
    )
