"""Rules that give a record its retention class on intake, with a confidence.

Rules read the kind, subject words and sender (DOMAIN.md, Keeping: financial
evidence, routine circulars, copies, litigation files, historical records).
The first rule that matches wins; a record no rule matches gets the default
class with a low confidence, so the retention page asks a person to check it.
A person's choice (source "person", "committee", "archives") is never
overwritten by a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.enums import RecordStatus, RetentionSource, Secrecy
from schemas.tables import Record, RecordRetention, utcnow
from retention.schedule import apply_clock, classes, keep_label
from store.audit import record_event

CHECK_BELOW = 0.6  # a rule's guess under this is listed for a person to confirm


@dataclass(frozen=True)
class Rule:
    """One intake rule: which records it matches and the class it gives them."""

    name: str
    code: str
    confidence: float
    kinds: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # any of these in the subject
    senders: tuple[str, ...] = ()  # any of these in the sender
    circular: bool | None = None
    secret: bool = False

    def matches(self, record: Record) -> bool:
        """Whether every condition the rule sets holds for `record`."""
        subject = record.subject or ""
        sender = record.from_org or ""
        if self.secret and Secrecy(record.secrecy) == Secrecy.none:
            return False
        if self.kinds and (record.kind or "") not in self.kinds:
            return False
        if self.words and not any(word in subject for word in self.words):
            return False
        if self.senders and not any(name in sender for name in self.senders):
            return False
        return self.circular is None or bool(record.circular) == self.circular


RULES = (
    Rule("secret-stamp", "secret", 0.95, secret=True),
    Rule("history-words", "permanent", 0.7,
         words=("ประวัติศาสตร์", "จัดตั้ง", "ก่อตั้ง", "ยุบรวม", "เปลี่ยนชื่อ", "จดหมายเหตุ")),
    Rule("litigation-words", "legal", 0.75,
         words=("คดี", "ฟ้อง", "ศาล", "สอบสวน", "สอบข้อเท็จจริง", "วินัย", "ร้องเรียน")),
    Rule("litigation-sender", "legal", 0.7, senders=("ศาล", "อัยการ", "สถานีตำรวจ")),
    Rule("financial-words", "financial", 0.8,
         words=("เบิกจ่าย", "เบิกเงิน", "ใบสำคัญ", "ฎีกา", "ใบเสร็จ", "งบประมาณ", "จัดซื้อ",
                "จัดจ้าง", "การเงิน", "ค่าตอบแทน", "เงินเดือน")),
    Rule("financial-sender", "financial", 0.7, senders=("กรมบัญชีกลาง", "คลังจังหวัด")),
    Rule("copy-words", "copy", 0.7, words=("สำเนา", "สำเนาคู่ฉบับ")),
    Rule("order", "permanent", 0.5, kinds=("order",)),
    Rule("routine-circular", "routine", 0.65, circular=True,
         words=("ประชาสัมพันธ์", "ขอเชิญ", "เชิญชวน", "แจ้งกำหนดการ", "ขอความร่วมมือ",
                "ประชุม", "อบรม", "ขอแจ้ง")),
    Rule("routine-kind", "routine", 0.6, kinds=("announcement", "stamped")),
    Rule("routine-words", "routine", 0.55,
         words=("ขอเชิญประชุม", "ประชาสัมพันธ์", "ขอความอนุเคราะห์ใช้สถานที่", "แจ้งกำหนดการ")),
)
DEFAULT_RULE = Rule("no-rule", "default", 0.3)


def classify(record: Record) -> Rule:
    """The first rule matching the record, or the default class's rule."""
    for rule in RULES:
        if rule.matches(record):
            return rule
    return DEFAULT_RULE


def assign(session: Session, record: Record, *, actor: str = "system") -> RecordRetention:
    """Give a record its class by the rules (unless a person chose one) and set its clock.

    Called on intake after the metadata is written, and for any record found
    without a clock; a clock set by a person keeps its class but is recomputed
    (the date may have been corrected).
    """
    schedule = classes(session)
    clock = session.get(RecordRetention, record.id)
    if clock is not None and (clock.destroyed_on or clock.transferred_on):
        return clock
    fresh = clock is None
    if clock is None:
        clock = RecordRetention(record_id=record.id, class_code="default", permanent=False)
        session.add(clock)
    if fresh or clock.source == RetentionSource.rule.value:
        rule = classify(record)
        clock.class_code, clock.rule, clock.confidence = rule.code, rule.name, rule.confidence
        clock.source, clock.set_by, clock.set_at = RetentionSource.rule.value, actor, utcnow()
    change = apply_clock(record, clock, schedule.get(clock.class_code) or schedule["default"])
    if change is not None:
        record_event(session, actor, "retention.classified", record.id, code=clock.class_code,
                     rule=clock.rule, confidence=clock.confidence,
                     keep=keep_label(clock.keep_until, clock.permanent))
    return clock


def ensure_clocks(session: Session) -> int:
    """Give every read record that has no clock yet its class and clock; return how many."""
    missing = session.scalars(
        select(Record).outerjoin(RecordRetention, RecordRetention.record_id == Record.id)
        .where(RecordRetention.record_id.is_(None),
               Record.status.notin_([RecordStatus.pending, RecordStatus.destroyed]))
        .order_by(Record.id)).all()
    for record in missing:
        assign(session, record)
    session.flush()
    return len(missing)
