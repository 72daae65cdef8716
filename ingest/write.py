"""The last step of intake: the record gets its text, metadata and archival PDF."""

from __future__ import annotations

from pathlib import Path

from haystack import Document

from ingest.field_sources import locate_fields
from schemas.enums import RecordStatus
from schemas.letter import LetterMetadata
from retention.classify import assign as assign_retention
from schemas.tables import Record
from store.audit import record_event
from store.blobs import BlobStore
from store.db import Database
from store.records import apply_metadata

REVIEW_BELOW = 0.5  # a subject read with less confidence sends the record to review


def review_reasons(meta: LetterMetadata, text: str, warnings: list[str]) -> list[str]:
    """Why a stored record needs a person's look (empty when it does not)."""
    reasons = list(warnings)
    if not text.strip():
        reasons.append("ไม่พบข้อความในไฟล์ (no text found)")
    elif meta.confidence.get("subject", 0.0) < REVIEW_BELOW:
        reasons.append("อ่านเรื่องได้ไม่ชัด (subject unsure: please check)")
    return reasons


def write_record(db: Database, blobs: BlobStore, record_id: int, doc: Document) -> str:
    """Write `doc` (text + meta["letter"]) onto the record; return its new status."""
    meta = LetterMetadata.model_validate(doc.meta["letter"])
    archival = doc.meta.get("archival_pdf")
    archival_sha = blobs.put_file(Path(archival))[0] if archival else None
    text = doc.content or ""
    warnings = list(doc.meta.get("warnings", []))
    sources = locate_fields(meta, doc.meta.get("lines") or ())
    with db.session() as session:
        record = session.get(Record, record_id)
        assert record is not None, f"record {record_id} vanished during intake"
        apply_metadata(record, meta, sources)  # a clerk's corrections stay (issue #3)
        kept = meta.model_copy(update={"confidence": record.confidence})
        reasons = review_reasons(kept, text, warnings)
        record.text = text
        record.raw_text = doc.meta.get("raw_text", "")
        record.text_method = doc.meta.get("method", "")
        record.page_count = int(doc.meta.get("page_count") or 0)
        record.archival_sha256 = archival_sha
        record.ocr_seconds = float(doc.meta.get("seconds") or 0.0)
        record.warnings = reasons
        record.error = ""
        record.status = RecordStatus.flagged if reasons else RecordStatus.ok
        assign_retention(session, record)  # the retention class and clock (issue #6)
        record_event(session, "system", "ingest.extracted", record.id,
                     method=record.text_method, status=record.status.value,
                     confidence=meta.confidence)
        return record.status.value
