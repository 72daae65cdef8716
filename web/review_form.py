"""The review form's fields: Thai labels, how each is typed, and reading what a clerk typed.

Dates are typed and shown in the Buddhist era (``วว/ดด/ปปปป``, or a Thai date
as letters print it); kind, secrecy and urgency are chosen from their lists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from schemas.enums import KIND_THAI, SECRECY_THAI, URGENCY_THAI, Kind, Secrecy, Urgency
from schemas.errors import SarabanError
from schemas.tables import Record
from schemas.text import nfc, to_arabic_digits
from schemas.thai_dates import parse_thai_date

LABELS = {  # field: (Thai, English)
    "kind": ("ประเภทหนังสือ", "kind"),
    "number": ("ที่ (เลขที่หนังสือ)", "number"),
    "date": ("ลงวันที่", "date"),
    "subject": ("เรื่อง", "subject"),
    "to": ("เรียน", "to"),
    "from_org": ("ส่วนราชการเจ้าของเรื่อง", "from"),
    "secrecy": ("ชั้นความลับ", "secrecy"),
    "urgency": ("ความเร่งด่วน", "urgency"),
}
CHOICES: dict[str, list[tuple[str, str]]] = {
    "kind": [("", "ไม่ทราบประเภท")] + [(k.value, KIND_THAI[k]) for k in Kind],
    "secrecy": [(s.value, SECRECY_THAI[s] or "ไม่มีชั้นความลับ") for s in Secrecy],
    "urgency": [(u.value, URGENCY_THAI[u] or "ปกติ") for u in Urgency],
}
_BE_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_CIRCULAR = re.compile(r"/\s*ว")


@dataclass(frozen=True)
class FormField:
    """One field of the review form as the page shows it."""

    name: str
    label: str
    english: str
    value: str  # what the input holds (a BE date for `date`)
    shown: str  # the value as the record page prints it
    confidence: float | None
    choices: list[tuple[str, str]] | None


def be_input(value: dt.date | None) -> str:
    """A date as the input shows it: ``23/09/2553`` (BE)."""
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year + 543}"


def input_value(record: Record, name: str) -> str:
    """What the field's input holds for `record`."""
    value = getattr(record, name)
    if name == "date":
        return be_input(value)
    return str(getattr(value, "value", value) or "")


def parse_date(text: str) -> dt.date | None:
    """A date typed as ``วว/ดด/ปปปป`` (BE; a CE year works too), ISO, or as letters print it.

    Raises:
        SarabanError: the text is not a date.
    """
    text = to_arabic_digits(nfc(text).strip())
    if not text:
        return None
    found = _BE_DATE.fullmatch(text)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            return dt.date(year - 543 if year > 2400 else year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    parsed = parse_thai_date(text) if not found else None
    if parsed is None:
        raise SarabanError("วันที่ไม่ถูกต้อง พิมพ์เป็น วว/ดด/ปปปป (พ.ศ.) เช่น 23/09/2553 "
                           "(date: day/month/BE year)")
    return parsed


def parse_value(name: str, text: str) -> dict[str, Any]:
    """The record changes a clerk's typed value for field `name` means.

    Raises:
        SarabanError: the value is not valid for the field.
    """
    text = nfc(text or "").strip()
    if name == "date":
        return {"date": parse_date(text)}
    if name in CHOICES:
        allowed = {value for value, _ in CHOICES[name]}
        if text not in allowed:
            raise SarabanError(f"ค่าที่เลือกไม่ถูกต้อง ({LABELS[name][1]}: choose from the list)")
        if name == "secrecy":
            return {"secrecy": Secrecy(text)}
        return {name: text or None} if name == "kind" else {name: text}
    if name == "number":  # a circular's number carries ว after the slash
        return {"number": text or None, "circular": bool(_CIRCULAR.search(text))}
    return {name: text or None}
