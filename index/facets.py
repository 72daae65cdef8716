"""Facets: their names, how a record's facet values are derived, Thai labels, typed filters.

Every backend counts the same facets (FACET_FIELDS) from the same values
(computed here, in Python, when the index document is built).

Counts are *disjunctive*: the counts of one facet ignore that facet's own
selected values (but respect every other filter), so ticking "memo" still
shows how many external letters there are, and ticking a second kind widens
the result (values of one facet are OR-ed; different facets are AND-ed).
"""

from __future__ import annotations

from schemas.enums import KIND_THAI, SECRECY_THAI, URGENCY_THAI, Kind, Secrecy, Urgency
from schemas.text import fold
from schemas.thai_dates import MONTHS_ABBR, MONTHS_FULL

FACET_FIELDS = ("year", "month", "kind", "sender", "addressee", "secrecy", "urgency",
                "attachments", "register", "status")

FACET_TITLES = {
    "year": "ปี พ.ศ.",
    "month": "เดือน",
    "kind": "ประเภท",
    "sender": "ส่วนราชการเจ้าของเรื่อง",
    "addressee": "ถึง (กลุ่มผู้รับ)",
    "secrecy": "ชั้นความลับ",
    "urgency": "ความเร่งด่วน",
    "attachments": "สิ่งที่ส่งมาด้วย",
    "register": "ทะเบียน",
    "status": "สถานะ",
}

# Addressee groups, first matching rule wins (the เรียน line names a position).
ADDRESSEE_RULES = (
    ("schools", ("โรงเรียน", "สถานศึกษา")),
    ("area_offices", ("เขตพื้นที่การศึกษา",)),
    ("province_education", ("ศึกษาธิการจังหวัด", "ศึกษาธิการภาค")),
    ("obec", ("คณะกรรมการการศึกษาขั้นพื้นฐาน", "สพฐ")),
    ("ministry", ("กระทรวง", "ปลัด", "กรม")),
    ("province_district", ("ผู้ว่าราชการจังหวัด", "นายอำเภอ", "องค์การบริหาร", "เทศบาล")),
)
ADDRESSEE_THAI = {
    "schools": "โรงเรียน/สถานศึกษา", "area_offices": "สำนักงานเขตพื้นที่การศึกษา",
    "province_education": "ศึกษาธิการจังหวัด/ภาค", "obec": "สพฐ.",
    "ministry": "กระทรวง/กรม", "province_district": "จังหวัด/อำเภอ/ท้องถิ่น",
    "other": "อื่น ๆ",
}
REGISTER_THAI = {"incoming": "ทะเบียนหนังสือรับ", "orders": "ทะเบียนคำสั่ง",
                 "secret": "ทะเบียนหนังสือลับ"}
ATTACHMENTS_THAI = {"yes": "มีสิ่งที่ส่งมาด้วย", "no": "ไม่มี"}
MONTH_THAI = {str(i + 1): name for i, name in enumerate(MONTHS_FULL)}

# Names a reader may type before the colon (ประเภท:คำสั่ง, kind:memo, ปี:2563, ...).
FILTER_ALIASES = {
    "kind": "kind", "ประเภท": "kind",
    "year": "year", "ปี": "year",
    "month": "month", "เดือน": "month",
    "sender": "sender", "ส่วนราชการ": "sender",
    "addressee": "addressee", "กลุ่มผู้รับ": "addressee",
    "secrecy": "secrecy", "ชั้นความลับ": "secrecy",
    "urgency": "urgency", "ความเร่งด่วน": "urgency",
    "attachments": "attachments", "สิ่งที่ส่งมาด้วย": "attachments",
    "register": "register", "ทะเบียน": "register",
}


def addressee_group(to: str | None) -> str:
    """The group of a letter's addressee (เรียน …), for the `addressee` facet."""
    text = fold(to or "")
    if not text:
        return "other"
    for group, needles in ADDRESSEE_RULES:
        if any(needle in text for needle in needles):
            return group
    return "other"


def register_of(kind: str | None, secrecy: str) -> str:
    """The register a record belongs to, derived until registers are stored.

    Orders go to the orders register, secret letters to the secret register
    kept by the secret-document registrar (DOMAIN.md), everything else to the
    incoming register. The registers issue will store the real register
    (incoming or outgoing) on the record; this rule is the default until then.
    """
    if kind == Kind.order.value:
        return "orders"
    if secrecy != Secrecy.none.value:
        return "secret"
    return "incoming"


def _thai_labels() -> dict[str, dict[str, str]]:
    return {
        "kind": {k.value: v for k, v in KIND_THAI.items()},
        "secrecy": {k.value: (v or "ไม่มีชั้นความลับ") for k, v in SECRECY_THAI.items()},
        "urgency": {k.value: (v or "ปกติ") for k, v in URGENCY_THAI.items()},
        "addressee": ADDRESSEE_THAI, "register": REGISTER_THAI,
        "attachments": ATTACHMENTS_THAI, "month": MONTH_THAI,
    }


LABELS = _thai_labels()


def filter_value(name: str, typed: str) -> str | None:
    """The facet value a typed filter means (`คำสั่ง` → `order`), or None if unknown."""
    value = fold(typed).strip()
    if name in ("year", "month"):
        if name == "month":
            for i, (full, abbr) in enumerate(zip(MONTHS_FULL, MONTHS_ABBR, strict=True)):
                if value in (full, abbr, abbr.replace(".", "")):
                    return str(i + 1)
        return value if value.isdigit() else None
    if name == "sender":
        return typed.strip() or None
    known = LABELS.get(name, {})
    if value in known:
        return value
    for code, label in known.items():
        if label and fold(label) == value:
            return code
    enum = {"kind": Kind, "secrecy": Secrecy, "urgency": Urgency}.get(name)
    if enum is not None and value in {member.value for member in enum}:
        return value
    return None
