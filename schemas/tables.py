"""SQLAlchemy tables: records, files, audit events, ingest jobs, users, the index outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    func,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

from schemas.enums import JobStatus, LoanKind, LoanStatus, RecordStatus, Role, Secrecy
from schemas.review_rule import review_confidence


def utcnow() -> dt.datetime:
    """Timezone-aware now, the only clock the store uses."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of every table."""

    type_annotation_map = {dt.datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class StoredFile(Base):
    """An ingested file, stored once by content (sha256)."""

    __tablename__ = "files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str] = mapped_column(String(500))
    original_path: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def _review_default(context: DefaultExecutionContext) -> float | None:
    """`review_confidence` for rows inserted through Core (bulk loads, samples, benches)."""
    row = context.get_current_parameters()
    return review_confidence(row.get("confidence"), row.get("corrected_fields"))


class Record(Base):
    """One letter: its metadata (with per-field confidence) and its text."""

    __tablename__ = "records"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"), unique=True)
    status: Mapped[RecordStatus] = mapped_column(String(16), default=RecordStatus.ok)
    error: Mapped[str] = mapped_column(Text, default="")
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)

    kind: Mapped[str | None] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(String(100))
    circular: Mapped[bool] = mapped_column(Boolean, default=False)
    date: Mapped[dt.date | None] = mapped_column(Date)
    subject: Mapped[str | None] = mapped_column(Text)
    to: Mapped[str | None] = mapped_column(Text)
    from_org: Mapped[str | None] = mapped_column(Text)
    secrecy: Mapped[Secrecy] = mapped_column(String(16), default=Secrecy.none)
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    references: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    enclosures: Mapped[list[str]] = mapped_column(JSON, default=list)
    signer: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # Where each field was read on the scan (issue #3): {field: {"page", "box":
    # [x0, y0, x1, y1], "size": [page width, height] in the box's units, "dpi", "how"}}.
    field_sources: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Fields a person corrected or confirmed (issue #3): {field: {"by", "at", "action"}};
    # a later re-extraction leaves these fields as the person left them.
    corrected_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The lowest confidence among the review fields no person has corrected or
    # confirmed (None when a person saw them all): the review queue is
    # `review_confidence < threshold`. Kept from the two columns above by
    # `_keep_review_confidence` (ORM writes) and `_review_default` (Core inserts).
    review_confidence: Mapped[float | None] = mapped_column(Float, default=_review_default)

    text: Mapped[str] = mapped_column(Text, default="")
    raw_text: Mapped[str] = mapped_column(Text, default="")
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    text_method: Mapped[str] = mapped_column(String(20), default="")
    archival_sha256: Mapped[str | None] = mapped_column(String(64))
    ocr_seconds: Mapped[float] = mapped_column(Float, default=0.0)

    indexed_version: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    file: Mapped[StoredFile] = relationship(lazy="joined")

    __table_args__ = (
        Index("ix_records_number", "number"),
        Index("ix_records_date", "date"),
        Index("ix_records_secrecy", "secrecy"),
        # The review queue: status IN (ok, flagged) AND review_confidence < t AND
        # secrecy IN (cleared), ordered by (created_at, id). Status first, then the
        # range column, lets SQLite and PostgreSQL read just the queued entries of
        # the two reviewable states (pending and destroyed records are skipped, and
        # NULL — all fields seen by a person — is outside any `<` range); secrecy,
        # created_at and id after them make the index covering, so the count and
        # the ids of a page come from the index alone (SQLite covering index,
        # PostgreSQL index-only scan) and only the shown rows are read.
        Index("ix_records_review", "status", "review_confidence", "secrecy", "created_at", "id"),
    )


@event.listens_for(Record, "before_insert")
@event.listens_for(Record, "before_update")
def _keep_review_confidence(_mapper: Mapper[Record], _connection: Any, record: Record) -> None:
    """Recompute `review_confidence` on every ORM insert and update of a record.

    Every writer (ingest's `apply_metadata`, a person's correction or
    confirmation, destruction) assigns `confidence` and `corrected_fields` as
    new dicts, so the ORM sees the change; recomputing on every flush of the
    row keeps the column right even if one day a dict is changed in place and
    flushed with another change.
    """
    value = review_confidence(record.confidence, record.corrected_fields)
    if record.review_confidence != value:
        record.review_confidence = value


class IngestJob(Base):
    """Heavy work on one stored file, kept in the database so restarts resume it."""

    __tablename__ = "ingest_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("files.id"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    status: Mapped[JobStatus] = mapped_column(String(16), default=JobStatus.queued)
    stage: Mapped[str] = mapped_column(String(40), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    batch: Mapped[str] = mapped_column(String(40), default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column()
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()

    __table_args__ = (Index("ix_ingest_jobs_status", "status"),)


class AuditEvent(Base):
    """An append-only line of who did what to which record, and when."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, server_default=func.now())
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_audit_record", "record_id"),)


class User(Base):
    """A person who signs in, with a role and a secrecy clearance."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(String(20), default=Role.reader)
    clearance: Mapped[Secrecy] = mapped_column(String(16), default=Secrecy.none)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# -- retention (issue #6): schedule, clocks, holds, the yearly review, transfer -------------


class RetentionClass(Base):
    """A retention class of the schedule as it stands now (ข้อ 57, configurable)."""

    __tablename__ = "retention_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    years: Mapped[int | None] = mapped_column(Integer)  # None: set per record, or permanent
    permanent: Mapped[bool] = mapped_column(Boolean, default=False)  # ห้ามทำลาย
    per_record: Mapped[bool] = mapped_column(Boolean, default=False)  # period per law/regulation
    clock_start: Mapped[str] = mapped_column(String(20), default="document_date")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(100), default="system")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RetentionClassVersion(Base):
    """Every version a class ever had (append-only): who changed it, when and why."""

    __tablename__ = "retention_class_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    years: Mapped[int | None] = mapped_column(Integer)
    permanent: Mapped[bool] = mapped_column(Boolean, default=False)
    per_record: Mapped[bool] = mapped_column(Boolean, default=False)
    clock_start: Mapped[str] = mapped_column(String(20), default="document_date")
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_retention_class_versions_code", "code", "version", unique=True),)


class RecordRetention(Base):
    """A record's retention clock: class, keep-until year (BE) or ห้ามทำลาย, provenance.

    After destruction the row is part of the tombstone (class, batch, date destroyed).
    """

    __tablename__ = "record_retention"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    class_code: Mapped[str] = mapped_column(String(40))
    keep_until: Mapped[int | None] = mapped_column(Integer)  # BE year; None: permanent or open
    permanent: Mapped[bool] = mapped_column(Boolean, default=False)
    fixed_until: Mapped[int | None] = mapped_column(Integer)  # a year set by a person/committee
    closed_on: Mapped[dt.date | None] = mapped_column(Date)  # when the matter was closed
    source: Mapped[str] = mapped_column(String(20), default="rule")
    rule: Mapped[str] = mapped_column(String(100), default="")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    set_by: Mapped[str] = mapped_column(String(100), default="system")
    set_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    transferred_on: Mapped[dt.date | None] = mapped_column(Date)
    destroyed_on: Mapped[dt.date | None] = mapped_column(Date)
    destruction_batch: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (Index("ix_record_retention_keep_until", "keep_until"),)


class LegalHold(Base):
    """A legal hold: nothing it covers may be listed for destruction or destroyed."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(200), default="")  # case, audit
    scope: Mapped[str] = mapped_column(String(20), default="record")  # record|search|range
    scope_detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    placed_by: Mapped[str] = mapped_column(String(100))
    placed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LegalHoldRecord(Base):
    """One record under one hold; released one by one or with the whole hold."""

    __tablename__ = "legal_hold_records"

    hold_id: Mapped[int] = mapped_column(ForeignKey("legal_holds.id"), primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    released_at: Mapped[dt.datetime | None] = mapped_column()
    released_by: Mapped[str | None] = mapped_column(String(100))
    release_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_legal_hold_records_record", "record_id"),)


class RetentionReview(Base):
    """One yearly destruction review: the records whose keep-until year is `year` (BE)."""

    __tablename__ = "retention_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    stage: Mapped[str] = mapped_column(String(20), default="survey")
    agency: Mapped[str] = mapped_column(String(300), default="")
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    thai_digits: Mapped[bool] = mapped_column(Boolean, default=False)
    surveyed_on: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(100))
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    sent_reference: Mapped[str] = mapped_column(String(200), default="")
    consent: Mapped[str | None] = mapped_column(String(20))  # answered | deemed
    consent_on: Mapped[dt.date | None] = mapped_column(Date)
    answer_reference: Mapped[str] = mapped_column(String(200), default="")
    destroyed_on: Mapped[dt.date | None] = mapped_column(Date)


class ReviewRow(Base):
    """One row of the destruction request list and what was decided about it."""

    __tablename__ = "retention_review_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("retention_reviews.id"))
    seq: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    keep_until: Mapped[int | None] = mapped_column(Integer)  # as listed
    decision: Mapped[str | None] = mapped_column(String(20))  # destroy | keep
    keep_until_year: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    archives_keep_until: Mapped[int | None] = mapped_column(Integer)
    archives_reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(20))  # destroyed | skipped_hold | ...
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_review_rows_review", "review_id", "seq"),
        Index("ix_review_rows_record", "record_id"),
    )


class CommitteeMember(Base):
    """The destruction committee of one review (ข้อ 66): a chair and two members or more."""

    __tablename__ = "retention_committee"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("retention_reviews.id"))
    role: Mapped[str] = mapped_column(String(20))  # chair | member
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(40))
    username: Mapped[str | None] = mapped_column(String(100))


class TransferRow(Base):
    """A record of historical value on a 20-year list (ข้อ 58-59), handover or keep-back."""

    __tablename__ = "retention_transfer_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # BE year of the list
    seq: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    list: Mapped[str] = mapped_column(String(20))  # handover | keep_back
    reason: Mapped[str] = mapped_column(Text, default="")
    transferred_on: Mapped[dt.date | None] = mapped_column(Date)

    __table_args__ = (Index("ix_transfer_rows_year", "year", "record_id", unique=True),)
# ---------- the lending desk (issue 7; ระเบียบงานสารบรรณ ข้อ 61–64) ----------

OPEN_LOAN_SQL = "status IN ('requested', 'approved', 'out')"


class Unit(Base):
    """A unit that keeps paper files (หน่วยงานที่เก็บ), with its head who approves loans.

    The one unit marked ``is_office`` stands for the office itself; its head
    (the head of office) approves loans of secret records.
    """

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    head_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    is_office: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("uq_units_one_office", "is_office", unique=True,
              sqlite_where=text("is_office = 1"), postgresql_where=text("is_office")),
    )


class PaperFile(Base):
    """A paper file (แฟ้ม) in a cabinet: its file code (รหัสแฟ้ม) is on its label."""

    __tablename__ = "paper_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    cabinet: Mapped[str] = mapped_column(String(100), default="")
    drawer: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Holding(Base):
    """Where a record's paper original is: in a file, or loose in a cabinet and drawer."""

    __tablename__ = "holdings"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("paper_files.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    cabinet: Mapped[str] = mapped_column(String(100), default="")
    drawer: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (Index("ix_holdings_file", "file_id"),)


class Loan(Base):
    """One loan of a file or a record: request, approval, hand-out and return.

    A row is one line of the borrowing card (บัตรยืมหนังสือ). The partial
    unique indexes allow one open loan per item; `LoanClaim` extends that to
    the records inside a lent file.
    """

    __tablename__ = "loans"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("paper_files.id"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    kind: Mapped[LoanKind] = mapped_column(String(10), default=LoanKind.borrow)
    status: Mapped[LoanStatus] = mapped_column(String(12), default=LoanStatus.requested)
    borrower_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outsider_name: Mapped[str] = mapped_column(String(200), default="")
    outsider_org: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[dt.date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(100))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(100))
    approved_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    handed_by: Mapped[str | None] = mapped_column(String(100))
    lent_on: Mapped[dt.date | None] = mapped_column(Date)
    returned_by: Mapped[str | None] = mapped_column(String(200))
    received_by: Mapped[str | None] = mapped_column(String(100))
    returned_on: Mapped[dt.date | None] = mapped_column(Date)
    condition: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint("(file_id IS NULL) <> (record_id IS NULL)", name="ck_loans_one_item"),
        Index("uq_loans_open_file", "file_id", unique=True,
              sqlite_where=text(OPEN_LOAN_SQL), postgresql_where=text(OPEN_LOAN_SQL)),
        Index("uq_loans_open_record", "record_id", unique=True,
              sqlite_where=text(OPEN_LOAN_SQL), postgresql_where=text(OPEN_LOAN_SQL)),
        Index("ix_loans_status_due", "status", "due"),
        Index("ix_loans_borrower", "borrower_id"),
    )


class LoanClaim(Base):
    """A physical item an open loan holds: the lent file and each record in it.

    Unique columns make "one borrower at a time" a database rule across
    levels: a record cannot go out alone while its file is out, nor the file
    while one of its records is out.
    """

    __tablename__ = "loan_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id"))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("paper_files.id"), unique=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"), unique=True)

    __table_args__ = (Index("ix_loan_claims_loan", "loan_id"),)
class IndexOutbox(Base):
    """A record change the search index has not received yet (issue 5).

    Written in the same transaction as the change (store.outbox); removed
    once a worker has delivered it to the index backend. A failed delivery
    stays, with `attempts`, `last_error` and the earliest next try.
    """

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10), default="upsert")  # upsert | delete
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_index_outbox_record", "record_id"),)
