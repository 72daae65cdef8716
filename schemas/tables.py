"""SQLAlchemy tables: records, files, audit events, ingest jobs, users, the index outbox."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from schemas.enums import JobStatus, RecordStatus, Role, Secrecy


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
    )


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
