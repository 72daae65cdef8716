"""Enumerations of the regulation: kinds, secrecy, urgency, clearance."""

from __future__ import annotations

from enum import Enum


class Kind(str, Enum):
    """Kinds of official documents (ระเบียบงานสารบรรณ ข้อ 10)."""

    external = "external"  # หนังสือภายนอก
    memo = "memo"  # หนังสือภายใน / บันทึกข้อความ
    stamped = "stamped"  # หนังสือประทับตรา
    order = "order"  # คำสั่ง ระเบียบ ข้อบังคับ
    announcement = "announcement"  # ประกาศ แถลงการณ์ ข่าว
    record = "record"  # หนังสือรับรอง รายงานการประชุม บันทึก

    @property
    def thai(self) -> str:
        """The kind's Thai name as printed in registers."""
        return KIND_THAI[self]


KIND_THAI = {
    Kind.external: "หนังสือภายนอก",
    Kind.memo: "บันทึกข้อความ",
    Kind.stamped: "หนังสือประทับตรา",
    Kind.order: "คำสั่ง",
    Kind.announcement: "ประกาศ",
    Kind.record: "หนังสือที่ทำขึ้นเป็นหลักฐาน",
}


class Secrecy(str, Enum):
    """Secrecy levels (ระเบียบว่าด้วยการรักษาความลับของทางราชการ พ.ศ. 2544)."""

    none = "none"
    confidential = "confidential"  # ลับ
    secret = "secret"  # ลับมาก
    top_secret = "top_secret"  # ลับที่สุด

    @property
    def level(self) -> int:
        """Rank for clearance comparison: 0 (none) … 3 (top secret)."""
        return list(Secrecy).index(self)

    @property
    def thai(self) -> str:
        """The stamp's Thai text, or an empty string for none."""
        return SECRECY_THAI[self]


SECRECY_THAI = {
    Secrecy.none: "",
    Secrecy.confidential: "ลับ",
    Secrecy.secret: "ลับมาก",
    Secrecy.top_secret: "ลับที่สุด",
}


class Urgency(str, Enum):
    """Urgency stamps (ด่วน, ด่วนมาก, ด่วนที่สุด)."""

    normal = "normal"
    urgent = "urgent"
    very_urgent = "very_urgent"
    most_urgent = "most_urgent"

    @property
    def thai(self) -> str:
        """The stamp's Thai text, or an empty string for normal."""
        return URGENCY_THAI[self]


URGENCY_THAI = {
    Urgency.normal: "",
    Urgency.urgent: "ด่วน",
    Urgency.very_urgent: "ด่วนมาก",
    Urgency.most_urgent: "ด่วนที่สุด",
}


class Role(str, Enum):
    """What a signed-in user may do."""

    reader = "reader"  # searches and reads
    clerk = "clerk"  # also uploads and corrects metadata
    records_officer = "records_officer"  # also runs retention work
    head = "head"  # head of office: appoints the committee, approves the destruction list
    admin = "admin"  # also manages users and settings


class JobStatus(str, Enum):
    """Life of an ingest job in the database queue."""

    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class RecordStatus(str, Enum):
    """Whether a record's file went through intake cleanly."""

    pending = "pending"  # stored, waiting for OCR and extraction
    ok = "ok"
    flagged = "flagged"  # stored, but something needs a person's look
    failed = "failed"  # the file could not be read at all
    destroyed = "destroyed"  # destroyed after the yearly review: a tombstone (ข้อ 65-70)


class ClockStart(str, Enum):
    """When a retention class starts its clock (ข้อ 57; configurable per class)."""

    document_date = "document_date"  # the letter's own date (default)
    closed = "closed"  # the day the matter was closed


class RetentionSource(str, Enum):
    """Who set a record's retention class or keep-until year."""

    rule = "rule"  # an intake rule (kind, subject words, sender)
    person = "person"  # a records officer's override
    committee = "committee"  # the destruction committee kept it until a year
    archives = "archives"  # the National Archives asked to keep it


class ReviewStage(str, Enum):
    """Steps of the yearly destruction review (ข้อ 65-70), in order."""

    survey = "survey"  # draft list drawn up by the archive
    committee = "committee"  # committee appointed, deciding rows
    reported = "reported"  # committee reported to the head
    approved = "approved"  # the head approved the list
    sent = "sent"  # sent to the National Archives; 60-day clock running
    consented = "consented"  # the Archives answered, or consent is deemed
    destroyed = "destroyed"  # destruction done, report signed


class Decision(str, Enum):
    """A committee's decision on one row of the destruction list."""

    destroy = "destroy"
    keep = "keep"  # keep until a stated year


class TransferList(str, Enum):
    """Which 20-year list a record goes on (ข้อ 58-59)."""

    handover = "handover"  # บัญชีส่งมอบหนังสือครบ ๒๐ ปี
    keep_back = "keep_back"  # บัญชีหนังสือครบ ๒๐ ปีที่ขอเก็บเอง


class LoanKind(str, Enum):
    """What a loan lets the borrower do (ข้อ 61–64: outsiders only view or copy in the office)."""

    borrow = "borrow"  # ยืมออกไป
    view = "view"  # ขอดูในสำนักงาน
    copy = "copy"  # ขอคัดสำเนาในสำนักงาน


class LoanStatus(str, Enum):
    """Life of a loan: requested → approved → out → returned (or refused / cancelled)."""

    requested = "requested"
    approved = "approved"
    out = "out"
    returned = "returned"
    refused = "refused"
    cancelled = "cancelled"


OPEN_LOAN_STATUSES = (LoanStatus.requested, LoanStatus.approved, LoanStatus.out)
