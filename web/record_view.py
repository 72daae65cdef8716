"""What the record page shows: metadata rows with confidence, audit lines, file names."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from schemas.tables import AuditEvent, Record
from web.render import Renderer, kind_thai, secrecy_thai, urgency_thai

LOW_CONFIDENCE = 0.6
ACTION_THAI = {
    "ingest.stored": "นำเข้าไฟล์",
    "ingest.duplicate": "นำเข้าไฟล์ซ้ำ",
    "ingest.extracted": "อ่านข้อความและรายละเอียด",
    "ingest.failed": "อ่านไฟล์ไม่สำเร็จ",
    "record.download": "ดาวน์โหลดไฟล์",
    "record.edit": "แก้ไขรายละเอียด",
    "record.confirm": "ยืนยันรายละเอียดที่อ่านได้",
}
_HIDDEN_DETAIL = {"confidence", "detail", "sha256"}
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]")


@dataclass(frozen=True)
class MetaRow:
    """One metadata field: Thai label, English name, shown value, confidence."""

    label: str
    english: str
    value: str
    confidence: float | None
    key: str = ""  # the record's field name (from_org for "from")

    @property
    def low(self) -> bool:
        """Whether a person should check this field (read with low confidence)."""
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE


def _references(renderer: Renderer, refs: list[dict[str, Any]]) -> str:
    parts = []
    for ref in refs or []:
        text = str(ref.get("number") or "")
        raw_date = ref.get("date")
        if raw_date:
            try:
                text += f" ลงวันที่ {renderer.thaidate(dt.date.fromisoformat(str(raw_date)))}"
            except ValueError:
                text += f" ลงวันที่ {raw_date}"
        if text.strip():
            parts.append(text.strip())
    return "\n".join(parts)


def metadata_rows(renderer: Renderer, record: Record) -> list[MetaRow]:
    """The record's metadata in the order a Thai letter prints it."""
    confidence = record.confidence or {}
    number = record.number or ""
    if number and record.circular:
        number += " (หนังสือเวียน)"
    fields = [
        ("ประเภท", "kind", "kind", kind_thai(record.kind) if record.kind else ""),
        ("ที่", "number", "number", number),
        ("ลงวันที่", "date", "date", renderer.thaidate(record.date)),
        ("เรื่อง", "subject", "subject", record.subject or ""),
        ("เรียน", "to", "to", record.to or ""),
        ("จาก", "from", "from_org", record.from_org or ""),
        ("ชั้นความลับ", "secrecy", "secrecy", secrecy_thai(record.secrecy)),
        ("ความเร่งด่วน", "urgency", "urgency", urgency_thai(record.urgency)),
        ("อ้างถึง", "references", "references", _references(renderer, record.references)),
        ("สิ่งที่ส่งมาด้วย", "enclosures", "enclosures", "\n".join(record.enclosures or [])),
        ("ผู้ลงนาม", "signer", "signer", record.signer or ""),
    ]
    rows = []
    for label, english, key, value in fields:
        raw = confidence.get(key)
        rows.append(MetaRow(label, english, value,
                            float(raw) if isinstance(raw, int | float) else None, key))
    return rows


def audit_lines(events: list[AuditEvent]) -> list[dict[str, Any]]:
    """Audit events as rows: when, who, what (Thai), and a short detail."""
    lines = []
    for event in events:
        shown = {key: value for key, value in (event.detail or {}).items()
                 if key not in _HIDDEN_DETAIL and value not in (None, "", [], {})}
        detail = ", ".join(f"{key}: {str(value)[:80]}" for key, value in shown.items())
        lines.append({"at": event.at, "actor": event.actor,
                      "action": ACTION_THAI.get(event.action, event.action), "detail": detail})
    return lines


def display_name(name: str, fallback: str = "ไม่มีชื่อ") -> str:
    """A client-supplied file name made safe to keep and show: never a path.

    Path separators and control characters become ``_``, leading dots and
    spaces go, and the result is NFC and at most 200 characters. The name is
    only ever shown (escaped) or sent back in Content-Disposition; it is never
    used to build a path on the server.
    """
    cleaned = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", name or ""))
    cleaned = cleaned.strip().lstrip(". ").strip()[:200]
    return cleaned or fallback


def content_disposition(name: str, fallback: str) -> str:
    """An attachment header with an ASCII `filename` and the real name as RFC 5987 `filename*`.

    Args:
        name: The stored original name (untrusted text).
        fallback: An ASCII name used when `name` has no usable ASCII form.
    """
    clean = display_name(name, fallback)
    ascii_name = "".join(c for c in clean if 32 <= ord(c) < 127 and c not in '"\\;%')
    stem = ascii_name.rsplit(".", 1)[0].strip(" ._-")
    if not stem:
        ascii_name = fallback
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(clean, safe='')}"
