"""Steps 2–4 of the yearly review (ข้อ 66-68): committee, decisions, head, the Archives.

Each step checks the stage it follows from, so the workflow cannot skip one;
each is audited. The 60-day deemed-consent clock reads `schemas.clock.today`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from retention.schedule import extend
from schemas.clock import today
from schemas.enums import Decision, RetentionSource, ReviewStage, Secrecy
from schemas.errors import NotFound, PermissionDenied, SarabanError
from schemas.tables import CommitteeMember, Record, RetentionReview, ReviewRow
from schemas.thai_dates import be_year
from store.audit import record_event
from store.records import visible

CONSENT_DAYS = 60  # the Archives' silence for 60 days is consent (ข้อ 67)
# ข้อ 66: officials of practitioner (ปฏิบัติการ) or experienced (ชำนาญงาน) level or above.
ELIGIBLE_LEVELS = (
    "ปฏิบัติการ", "ชำนาญการ", "ชำนาญการพิเศษ", "เชี่ยวชาญ", "ทรงคุณวุฒิ",
    "ชำนาญงาน", "อาวุโส", "ทักษะพิเศษ", "อำนวยการต้น", "อำนวยการสูง", "บริหารต้น", "บริหารสูง",
)
INELIGIBLE_LEVELS = ("ปฏิบัติงาน", "พนักงานราชการ", "ลูกจ้าง")
STAGE_ORDER = [stage.value for stage in ReviewStage]


@dataclass(frozen=True)
class MemberIn:
    """A committee member as appointed: role (chair|member), name, position, level, user."""

    role: str
    name: str
    level: str
    position: str = ""
    username: str | None = None


def get_review(session: Session, year: int) -> RetentionReview:
    """The review of `year` (BE). Raises NotFound."""
    review = session.scalar(select(RetentionReview).where(RetentionReview.year == year))
    if review is None:
        raise NotFound(f"ยังไม่มีบัญชีหนังสือขอทำลายประจำปี {year} (no review for {year})")
    return review


def _at(review: RetentionReview, *stages: ReviewStage) -> None:
    if review.stage not in {s.value for s in stages}:
        raise SarabanError(
            f"ขั้นตอนนี้ทำไม่ได้ในขณะนี้ (บัญชีอยู่ในขั้น {STAGE_THAI[review.stage]}) "
            f"(not allowed at stage {review.stage})")


def rows_of(session: Session, review: RetentionReview,
            clearance: Secrecy = Secrecy.top_secret) -> list[tuple[ReviewRow, Record]]:
    """The list's rows with their records, only those the reader may see."""
    rows = session.execute(select(ReviewRow, Record).join(Record, Record.id == ReviewRow.record_id)
                           .where(ReviewRow.review_id == review.id).order_by(ReviewRow.seq))
    return [(row, record) for row, record in rows if visible(record, clearance)]


def committee_of(session: Session, review: RetentionReview) -> list[CommitteeMember]:
    """The committee, chair first."""
    members = session.scalars(select(CommitteeMember).where(
        CommitteeMember.review_id == review.id).order_by(CommitteeMember.id))
    return sorted(members, key=lambda m: m.role != "chair")


def check_committee(members: list[MemberIn]) -> list[str]:
    """What is wrong with a proposed committee (empty when it may be appointed)."""
    problems = []
    chairs = [m for m in members if m.role == "chair"]
    others = [m for m in members if m.role == "member"]
    if len(chairs) != 1:
        problems.append("ต้องมีประธานกรรมการหนึ่งคน (exactly one chair)")
    if len(others) < 2:
        problems.append("ต้องมีกรรมการอย่างน้อยสองคน (at least two members)")
    names = [m.name.strip() for m in members]
    if any(not name for name in names):
        problems.append("กรรมการทุกคนต้องมีชื่อ (every member needs a name)")
    if len(set(names)) != len(names):
        problems.append("รายชื่อกรรมการซ้ำกัน (a person is listed twice)")
    users = [m.username for m in members if m.username]
    if len(set(users)) != len(users):
        problems.append("ชื่อผู้ใช้ของกรรมการซ้ำกัน (a user is listed twice)")
    for member in members:
        if member.role not in ("chair", "member"):
            problems.append(f"บทบาท {member.role} ไม่ถูกต้อง (role must be chair or member)")
        if member.level not in ELIGIBLE_LEVELS:
            problems.append(f"{member.name}: ระดับ {member.level or '-'} ต่ำกว่าระดับปฏิบัติการหรือ"
                            "ชำนาญงาน (ข้อ 66: practitioner/experienced level or above)")
    return problems


def appoint_committee(session: Session, review: RetentionReview, members: list[MemberIn], *,
                      actor: str) -> list[CommitteeMember]:
    """Appoint the committee (replacing one not yet at work) and open the deciding step.

    Raises:
        SarabanError: the committee does not meet ข้อ 66 (every problem listed).
    """
    _at(review, ReviewStage.survey, ReviewStage.committee)
    if any(row.decision for row, _ in rows_of(session, review)):
        raise SarabanError("คณะกรรมการเริ่มพิจารณาแล้ว เปลี่ยนคณะกรรมการไม่ได้ (already deciding)")
    problems = check_committee(members)
    if problems:
        raise SarabanError(" · ".join(problems))
    for old in committee_of(session, review):
        session.delete(old)
    appointed = [CommitteeMember(review_id=review.id, role=m.role, name=m.name.strip(),
                                 position=m.position.strip(), level=m.level,
                                 username=m.username or None) for m in members]
    session.add_all(appointed)
    review.stage = ReviewStage.committee.value
    record_event(session, actor, "retention.committee", None, year=review.year,
                 members=[{"role": m.role, "name": m.name, "level": m.level} for m in members])
    session.flush()
    return appointed


def is_member(session: Session, review: RetentionReview, username: str) -> bool:
    """Whether `username` sits on the review's committee."""
    return any(m.username == username for m in committee_of(session, review))


def decide(session: Session, review: RetentionReview, row_id: int, decision: Decision, *,
           actor: str, clearance: Secrecy, keep_until: int | None = None,
           reason: str = "") -> ReviewRow:
    """A committee member marks one row: destroy, or keep until a later year with a reason.

    Raises:
        PermissionDenied: the actor is not on the committee.
        NotFound: no such row (or above the actor's clearance).
        SarabanError: keep without a later year or a reason.
    """
    _at(review, ReviewStage.committee)
    if not is_member(session, review, actor):
        raise PermissionDenied("เฉพาะคณะกรรมการทำลายหนังสือพิจารณาได้ (committee members only)")
    found = [(row, record) for row, record in rows_of(session, review, clearance)
             if row.id == row_id]
    if not found:
        raise NotFound("ไม่พบรายการนี้ในบัญชี (no such row)")
    row = found[0][0]
    if Decision(decision) == Decision.keep:
        if keep_until is None or keep_until <= review.year or keep_until < be_year(today()):
            raise SarabanError("การเก็บต่อต้องระบุปี พ.ศ. ที่ยังไม่ผ่านไป "
                               "(keep needs a year still to come)")
        if not reason.strip():
            raise SarabanError("การเก็บต่อต้องระบุเหตุผล (keep needs a reason)")
    row.decision = Decision(decision).value
    row.keep_until_year = keep_until if Decision(decision) == Decision.keep else None
    row.reason = reason.strip()
    row.decided_by = actor
    record_event(session, actor, "retention.decide", row.record_id, year=review.year,
                 decision=row.decision, keep_until=row.keep_until_year, reason=row.reason)
    return row


def report(session: Session, review: RetentionReview, *, actor: str) -> None:
    """The committee reports to the head; kept rows get their new keep-until year.

    Raises:
        SarabanError: a row is still undecided.
    """
    _at(review, ReviewStage.committee)
    if not is_member(session, review, actor):
        raise PermissionDenied("เฉพาะคณะกรรมการทำลายหนังสือรายงานได้ (committee members only)")
    rows = rows_of(session, review)
    undecided = [row.seq for row, _ in rows if not row.decision]
    if undecided:
        raise SarabanError(f"ยังมี {len(undecided)} รายการที่ยังไม่ได้พิจารณา "
                           f"(rows {undecided[:10]} undecided)")
    for row, _record in rows:
        if row.decision == Decision.keep.value and row.keep_until_year:
            extend(session, row.record_id, row.keep_until_year, source=RetentionSource.committee,
                   actor=actor, reason=row.reason)
            row.outcome = "kept"
    review.stage = ReviewStage.reported.value
    review.reported_on = today()
    record_event(session, actor, "retention.report", None, year=review.year,
                 destroy=sum(1 for r, _ in rows if r.decision == Decision.destroy.value),
                 keep=sum(1 for r, _ in rows if r.decision == Decision.keep.value))


def approve(session: Session, review: RetentionReview, *, actor: str) -> None:
    """The head of office approves the committee's list."""
    _at(review, ReviewStage.reported)
    review.stage = ReviewStage.approved.value
    review.approved_on, review.approved_by = today(), actor
    record_event(session, actor, "retention.approve", None, year=review.year)


def send(session: Session, review: RetentionReview, *, sent_on: dt.date, actor: str,
         reference: str = "") -> None:
    """The list went to the National Archives on `sent_on`: the 60-day clock starts.

    Raises:
        SarabanError: a date in the future or before the approval.
    """
    _at(review, ReviewStage.approved)
    if sent_on > today() or (review.approved_on and sent_on < review.approved_on):
        raise SarabanError("วันที่ส่งต้องไม่ก่อนวันอนุมัติและไม่เกินวันนี้ "
                           "(sent date out of range)")
    review.stage = ReviewStage.sent.value
    review.sent_on, review.sent_reference = sent_on, reference.strip()
    record_event(session, actor, "retention.send", None, year=review.year,
                 sent_on=sent_on.isoformat(), reference=reference)


def consent_deadline(review: RetentionReview) -> dt.date | None:
    """The day consent is deemed given if the Archives has not answered."""
    return review.sent_on + dt.timedelta(days=CONSENT_DAYS) if review.sent_on else None


def answer(session: Session, review: RetentionReview, *, answered_on: dt.date, actor: str,
           keeps: dict[int, tuple[int, str]] | None = None, reference: str = "") -> None:
    """The Archives answered: all approved, or some rows to keep until a year (by row id).

    Raises:
        SarabanError: a keep for a row not marked destroy, or without a later year.
    """
    _at(review, ReviewStage.sent)
    rows = {row.id: row for row, _ in rows_of(session, review)}
    for row_id, (year, reason) in (keeps or {}).items():
        row = rows.get(row_id)
        if row is None or row.decision != Decision.destroy.value:
            raise SarabanError(f"รายการ {row_id} ไม่ได้อยู่ในรายการที่ขอทำลาย (not a destroy row)")
        if year <= review.year:
            raise SarabanError("ปีที่ให้เก็บต่อต้องหลังปีของบัญชี (keep year must be later)")
        row.archives_keep_until, row.archives_reason, row.outcome = year, reason.strip(), "kept"
        extend(session, row.record_id, year, source=RetentionSource.archives, actor=actor,
               reason=f"กรมศิลปากรให้เก็บไว้: {reason}")
    review.stage = ReviewStage.consented.value
    review.consent, review.consent_on = "answered", answered_on
    review.answer_reference = reference.strip()
    record_event(session, actor, "retention.answer", None, year=review.year,
                 answered_on=answered_on.isoformat(), keeps=len(keeps or {}))


def apply_deemed(session: Session) -> list[int]:
    """Deem consent for every review sent 60 days ago or more without answer; their years."""
    deemed = []
    for review in session.scalars(select(RetentionReview).where(
            RetentionReview.stage == ReviewStage.sent.value)):
        deadline = consent_deadline(review)
        if deadline is not None and today() >= deadline:
            review.stage = ReviewStage.consented.value
            review.consent, review.consent_on = "deemed", deadline
            record_event(session, "system", "retention.deemed", None, year=review.year,
                         sent_on=review.sent_on.isoformat() if review.sent_on else None,
                         consent_on=deadline.isoformat())
            deemed.append(review.year)
    return deemed


STAGE_THAI = {
    "survey": "สำรวจและจัดทำบัญชี",
    "committee": "คณะกรรมการพิจารณา",
    "reported": "รอหัวหน้าส่วนราชการอนุมัติ",
    "approved": "รอส่งกรมศิลปากร",
    "sent": "รอคำตอบกรมศิลปากร",
    "consented": "ทำลายได้",
    "destroyed": "ทำลายแล้ว",
}
