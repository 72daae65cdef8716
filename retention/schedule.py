"""The retention schedule (ข้อ 57) and each record's clock: class → keep-until year (BE).

The classes and their default periods come from DOMAIN.md; an administrator
may change a class (stored as a new version, audited), and every clock of
that class is recomputed at once, with the changes returned so the page can
show them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.enums import ClockStart, RecordStatus, RetentionSource
from schemas.errors import NotFound, SarabanError
from schemas.tables import Record, RecordRetention, RetentionClass, RetentionClassVersion, utcnow
from schemas.thai_dates import be_year
from store.audit import record_event

PERMANENT_LABEL = "ห้ามทำลาย"


@dataclass(frozen=True)
class ClassDefault:
    """A class as the regulation ships it."""

    code: str
    name: str
    years: int | None
    permanent: bool = False
    per_record: bool = False
    clock_start: ClockStart = ClockStart.document_date


DEFAULT_CLASSES = (
    ClassDefault("default", "หนังสือทั่วไป", 10),
    ClassDefault("routine", "หนังสือเรื่องธรรมดาที่เป็นงานประจำ ไม่มีความสำคัญ", 1),
    ClassDefault("copy", "สำเนาที่มีต้นเรื่องเก็บไว้ที่อื่น", 5),
    ClassDefault("financial", "หลักฐานทางการเงิน (ที่ไม่ใช่หลักฐานแห่งสิทธิ)", 10),
    ClassDefault("legal", "หลักฐานการฟ้องร้อง คดี การสอบสวน หรือตามกฎหมายเฉพาะ", None,
                 per_record=True),
    ClassDefault("secret", "หนังสือลับ (ตามระเบียบว่าด้วยการรักษาความลับ)", None, per_record=True),
    ClassDefault("permanent", "มีคุณค่าทางประวัติศาสตร์หรือต้องเก็บตลอดไป", None, permanent=True),
)


@dataclass(frozen=True)
class ClockChange:
    """One record whose class or keep-until changed."""

    record_id: int
    old_class: str | None
    new_class: str
    old_until: int | None
    new_until: int | None
    old_permanent: bool
    new_permanent: bool

    def as_json(self) -> dict[str, object]:
        """The change as plain data (audit detail, CLI JSON)."""
        return {"record_id": self.record_id, "old_class": self.old_class,
                "new_class": self.new_class, "old": keep_label(self.old_until, self.old_permanent),
                "new": keep_label(self.new_until, self.new_permanent)}


def keep_label(keep_until: int | None, permanent: bool) -> str:
    """The retention stamp's text: ``เก็บถึง พ.ศ. 2570``, ``ห้ามทำลาย`` or ยังไม่กำหนด."""
    if permanent:
        return PERMANENT_LABEL
    if keep_until is None:
        return "ยังไม่กำหนด"
    return f"เก็บถึง พ.ศ. {keep_until}"


def ensure_schedule(session: Session) -> None:
    """Store the default classes (version 1) the first time the schedule is used."""
    if session.scalar(select(RetentionClass.id).limit(1)) is not None:
        return
    for default in DEFAULT_CLASSES:
        values = {"code": default.code, "name": default.name, "years": default.years,
                  "permanent": default.permanent, "per_record": default.per_record,
                  "clock_start": default.clock_start.value}
        session.add(RetentionClass(**values, version=1, updated_by="system"))
        session.add(RetentionClassVersion(**values, version=1, changed_by="system",
                                          reason="ค่าเริ่มต้นตามระเบียบ ข้อ 57"))
    session.flush()


def classes(session: Session) -> dict[str, RetentionClass]:
    """The schedule as it stands, by code, in the regulation's order."""
    ensure_schedule(session)
    order = {d.code: i for i, d in enumerate(DEFAULT_CLASSES)}
    rows = session.scalars(select(RetentionClass)).all()
    return {c.code: c for c in sorted(rows, key=lambda c: (order.get(c.code, 99), c.code))}


def history(session: Session, code: str | None = None) -> list[RetentionClassVersion]:
    """Every version of the schedule (or of one class), newest first."""
    query = select(RetentionClassVersion).order_by(RetentionClassVersion.id.desc())
    if code:
        query = query.where(RetentionClassVersion.code == code)
    return list(session.scalars(query))


def clock_of(record: Record, clock: RecordRetention,
             cls: RetentionClass) -> tuple[int | None, bool]:
    """(keep-until BE year or None, permanent) for a record under class `cls`.

    A year fixed by a person, the committee or the Archives wins; a per-record
    class (law, secrets) has no year until one is fixed; a class whose clock
    starts at closing has none until the matter is closed. The keep-until year
    is the year the period ends (DOMAIN.md, Keeping).
    """
    if cls.permanent:
        return None, True
    if clock.fixed_until is not None:
        return clock.fixed_until, False
    if cls.per_record or cls.years is None:
        return None, False
    start = clock.closed_on if cls.clock_start == ClockStart.closed.value else record.date
    if start is None:
        return None, False
    return be_year(start) + int(cls.years), False


def apply_clock(record: Record, clock: RecordRetention, cls: RetentionClass) -> ClockChange | None:
    """Recompute `clock` in place; the change, or None when nothing moved."""
    old = (clock.class_code, clock.keep_until, bool(clock.permanent))
    clock.class_code = cls.code
    clock.keep_until, clock.permanent = clock_of(record, clock, cls)
    new = (clock.class_code, clock.keep_until, bool(clock.permanent))
    if old == new:
        return None
    return ClockChange(record.id, old[0], new[0], old[1], new[1], old[2], new[2])


def recompute(session: Session, *, codes: Iterable[str] | None = None,
              record_ids: Iterable[int] | None = None) -> list[ClockChange]:
    """Recompute the clocks of live records (of some classes or ids); return what changed."""
    schedule = classes(session)
    query = (select(Record, RecordRetention).join(RecordRetention,
                                                  RecordRetention.record_id == Record.id)
             .where(Record.status != RecordStatus.destroyed,
                    RecordRetention.transferred_on.is_(None)))
    if codes is not None:
        query = query.where(RecordRetention.class_code.in_(list(codes)))
    if record_ids is not None:
        query = query.where(Record.id.in_(list(record_ids)))
    changes = []
    for record, clock in session.execute(query.order_by(Record.id)):
        cls = schedule.get(clock.class_code) or schedule["default"]
        change = apply_clock(record, clock, cls)
        if change is not None:
            changes.append(change)
    return changes


def update_class(session: Session, code: str, *, actor: str, reason: str,
                 name: str | None = None, years: int | None = None,
                 permanent: bool | None = None, per_record: bool | None = None,
                 clock_start: ClockStart | None = None) -> list[ClockChange]:
    """Change one class of the schedule (a new version), recompute its clocks.

    Raises:
        NotFound: no such class.
        SarabanError: no reason given, or a period that is not 1–100 years.
    """
    if not reason.strip():
        raise SarabanError("กรุณาระบุเหตุผลของการแก้ไขตารางการเก็บรักษา (a reason is required)")
    cls = classes(session).get(code)
    if cls is None:
        raise NotFound(f"ไม่พบประเภทการเก็บรักษา {code} (no such retention class)")
    if years is not None and not 1 <= years <= 100:
        raise SarabanError("ระยะเวลาเก็บต้องอยู่ระหว่าง 1 ถึง 100 ปี (years must be 1–100)")
    if name is not None and name.strip():
        cls.name = name.strip()
    if years is not None:
        cls.years = years
    if permanent is not None:
        cls.permanent = permanent
    if per_record is not None:
        cls.per_record = per_record
    if clock_start is not None:
        cls.clock_start = ClockStart(clock_start).value
    cls.version += 1
    cls.updated_by, cls.updated_at = actor, utcnow()
    session.add(RetentionClassVersion(
        code=cls.code, version=cls.version, name=cls.name, years=cls.years,
        permanent=cls.permanent, per_record=cls.per_record, clock_start=cls.clock_start,
        changed_by=actor, reason=reason.strip()))
    session.flush()
    changes = recompute(session, codes=[code])
    record_event(session, actor, "retention.schedule", None, code=code, version=cls.version,
                 years=cls.years, permanent=cls.permanent, clock_start=cls.clock_start,
                 reason=reason.strip(), changed=len(changes))
    for change in changes:
        detail = {k: v for k, v in change.as_json().items() if k != "record_id"}
        record_event(session, actor, "retention.clock", change.record_id,
                     cause=f"schedule {code} v{cls.version}", **detail)
    return changes


def clock_for(session: Session, record_id: int) -> RecordRetention | None:
    """The record's retention clock, if it has one."""
    return session.get(RecordRetention, record_id)


def set_class(session: Session, record_id: int, code: str, *, actor: str, reason: str = "",
              fixed_until: int | None = None,
              closed_on: dt.date | None = None) -> ClockChange | None:
    """A person sets a record's class (and perhaps a year or the closing date).

    Raises:
        NotFound: no such record or class.
        SarabanError: the record was destroyed or transferred.
    """
    record = session.get(Record, record_id)
    if record is None:
        raise NotFound(f"ไม่พบเอกสารหมายเลข {record_id} (record not found)")
    cls = classes(session).get(code)
    if cls is None:
        raise NotFound(f"ไม่พบประเภทการเก็บรักษา {code} (no such retention class)")
    clock = session.get(RecordRetention, record_id)
    if clock is None:
        clock = RecordRetention(record_id=record_id, class_code=code, permanent=False)
        session.add(clock)
    if clock.destroyed_on or clock.transferred_on:
        raise SarabanError("เอกสารนี้ถูกทำลายหรือส่งมอบแล้ว แก้ไขการเก็บรักษาไม่ได้ "
                           "(destroyed or transferred)")
    clock.fixed_until = fixed_until
    if closed_on is not None:
        clock.closed_on = closed_on
    clock.source, clock.rule, clock.confidence = RetentionSource.person.value, "", 1.0
    clock.set_by, clock.set_at = actor, utcnow()
    change = apply_clock(record, clock, cls)
    session.flush()
    record_event(session, actor, "retention.class", record_id, code=code,
                 fixed_until=fixed_until, closed_on=closed_on.isoformat() if closed_on else None,
                 reason=reason, keep=keep_label(clock.keep_until, clock.permanent))
    return change


def extend(session: Session, record_id: int, year: int, *, source: RetentionSource,
           actor: str, reason: str) -> ClockChange | None:
    """Keep a record until `year` (the committee's or the Archives' decision)."""
    record = session.get(Record, record_id)
    clock = session.get(RecordRetention, record_id)
    if record is None or clock is None:
        raise NotFound(f"ไม่พบเอกสารหมายเลข {record_id} (record not found)")
    cls = classes(session).get(clock.class_code) or classes(session)["default"]
    clock.fixed_until = year
    clock.source, clock.set_by, clock.set_at = source.value, actor, utcnow()
    change = apply_clock(record, clock, cls)
    record_event(session, actor, "retention.extend", record_id, year=year,
                 source=source.value, reason=reason)
    return change
