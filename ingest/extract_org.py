"""The issuing office (from_org): abbreviations, province names, district votes.

The header prints the office short (``สพป.แพร่ เขต 1``) and OCR garbles it;
the same office is usually spelt out again in the body and under the
signature (``…ประถมศึกษาแพร่ เขต ๑``). Known office patterns are rebuilt
from a canonical prefix, a province from the official list and a district
number, with the district confirmed by votes from the rest of the letter.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pythainlp.corpus import provinces

from ingest.extract_labels import clean_value, thai_count
from schemas.text import skeleton, to_arabic_digits
from schemas.thai_dates import edit_distance

ABBREVIATIONS = {
    "สพป": "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา",
    "สพม": "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา",
    "สพฐ": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
    "ศธจ": "สำนักงานศึกษาธิการจังหวัด",
}
_ABBR_RE = re.compile(r"(?<![\u0e01-\u0e4e])(" + "|".join(ABBREVIATIONS) + r")\s*\.\s*")

# Offices whose name is prefix + province (+ " เขต n").
DISTRICT_PREFIXES = (
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษา",
    "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา",
    "สำนักงานศึกษาธิการจังหวัด",
)
_OFFICE_WORDS = ("สำนักงาน", "โรงเรียน", "โรงพยาบาล", "กรม", "กระทรวง", "มหาวิทยาลัย", "เทศบาล")
_UNIT_WORDS = ("กลุ่ม", "หน่วย", "ฝ่าย", "งาน", "ส่วน", "ศูนย์")
_DISTRICT_RE = re.compile(r"\s*เขต\s*([0-9๐-๙]{1,2})(?![0-9๐-๙])")

# Agency letter codes (รหัสพยัญชนะ) inferred from words in an office name.
_AGENCY_HINTS = (
    ("การศึกษา", "ศธ"),
    ("ศึกษาธิการ", "ศธ"),
    ("โรงเรียน", "ศธ"),
    ("ก.ค.ศ.", "ศธ"),
    ("สาธารณสุข", "สธ"),
    ("โรงพยาบาล", "สธ"),
)
MINISTRY_CODES = frozenset(
    "นร กห กค กต กก พม กษ คค ทส ดศ พน พณ มท ยธ รง วธ อว ศธ สธ อก".split()
)


@dataclass(frozen=True)
class Office:
    """A recognised office of a known pattern."""

    prefix: str
    province: str
    district: str | None
    thai_digit: bool = field(default=False, compare=False)

    @property
    def name(self) -> str:
        """The office's full name as the truth spells it (Arabic district digit)."""
        district = f" เขต {self.district}" if self.district else ""
        return f"{self.prefix}{self.province}{district}"


@lru_cache(maxsize=1)
def _provinces() -> tuple[tuple[str, str], ...]:
    """(skeleton, name) of the 77 provinces, longest first."""
    names = sorted(provinces(), key=len, reverse=True)
    return tuple((skeleton(n), n) for n in names)


@lru_cache(maxsize=1)
def province_codes() -> frozenset[str]:
    """Province letter codes (``ลป``, ``ชม``…) used as agency codes by provincial offices."""
    return frozenset(d["abbr_th"] for d in provinces(details=True) if len(d["abbr_th"]) == 2)


def expand_abbreviations(text: str) -> str:
    """Spell out office abbreviations (``สพป.แพร่`` → ``สำนักงาน…ประถมศึกษาแพร่``)."""
    return _ABBR_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], text)


def _match_province(skel: str, pos: int) -> tuple[str, int] | None:
    """Match a province name (skeleton, one edit allowed) at `pos`; return name and end."""
    candidates: list[tuple[int, int, str]] = []
    for p_skel, name in _provinces():
        limit = 1 if len(p_skel) >= 4 else 0
        for size in range(max(2, len(p_skel) - limit), len(p_skel) + limit + 1):
            piece = skel[pos:pos + size]
            if len(piece) == size and edit_distance(piece, p_skel, limit) <= limit:
                candidates.append((edit_distance(piece, p_skel, limit), -size, name))
    if not candidates:
        return None
    _, neg_size, name = min(candidates)
    return name, pos - neg_size


def find_offices(text: str) -> list[Office]:
    """Every office of a known pattern in `text`, in order.

    Args:
        text: OCR text (lines joined without separators keeps wrapped names whole).

    Returns:
        The offices found; district is None when no ``เขต n`` follows.
    """
    skel = skeleton(expand_abbreviations(text))
    found: list[Office] = []
    for prefix in DISTRICT_PREFIXES:
        p_skel = skeleton(prefix)
        for match in re.finditer(re.escape(p_skel), skel):
            start = match.end()
            while start < len(skel) and skel[start] == " ":
                start += 1
            province = _match_province(skel, start)
            if province is None:
                continue
            district, thai = None, False
            if "จังหวัด" not in prefix:
                tail = _DISTRICT_RE.match(skel, province[1])
                district = to_arabic_digits(tail.group(1)) if tail else None
                thai = bool(tail) and tail.group(1) != district
            found.append(Office(prefix, province[0], district, thai))
    return found


def _trim_unit(text: str) -> str:
    """Drop a leading unit (กลุ่ม…, หน่วย…) before the office name in ส่วนราชการ."""
    if not text.startswith(_UNIT_WORDS):
        return text
    positions = [text.find(word, 1) for word in _OFFICE_WORDS]
    positions = [p for p in positions if p > 0]
    return text[min(positions):] if positions else text


def _vote(offices: list[Office], like: Office | None = None) -> tuple[Office, bool] | None:
    """The most frequent office with a district (Arabic-digit readings first).

    Returns the office and whether it rests on Arabic digits; Thai district
    digits are often misread (๔ as ๕).
    """
    pool = [o for o in offices if o.district]
    if like is not None:
        pool = [o for o in pool if o.prefix == like.prefix and o.province == like.province]
    for arabic in (True, False):
        chosen = [o for o in pool if o.thai_digit != arabic]
        if chosen:
            return Counter(chosen).most_common(1)[0][0], arabic
    return None


def resolve_org(header: str | None, vote_text: str) -> tuple[str | None, float]:
    """Decide the issuing office from the header's reading and the letter's other mentions.

    Args:
        header: The office as read in the header (may be abbreviated or garbled).
        vote_text: Body and signature text where the office is spelt out again.

    Returns:
        ``(from_org, confidence)``; ``(None, 0.0)`` when nothing usable was read.
    """
    mentions = find_offices(vote_text)
    offices = find_offices(header) if header else []
    if offices:
        office = offices[0]
        if office.district:
            agreed = office in mentions
            conf = 0.9 if agreed else 0.7
            return office.name, min(conf, 0.6) if office.thai_digit and not agreed else conf
        if "จังหวัด" in office.prefix:
            return office.name, 0.8
        voted = _vote(mentions, office)
        if voted:
            return voted[0].name, 0.7 if voted[1] else 0.4
        return office.name, 0.3
    voted = _vote(mentions)
    if voted:
        return voted[0].name, 0.5 if voted[1] else 0.3
    if header:
        value = clean_value(_trim_unit(expand_abbreviations(header)))
        if thai_count(value) >= 6:
            return value, 0.5
    return None, 0.0


def agency_for(org: str | None) -> str | None:
    """Infer the agency letter code (``ศธ``) from words in an office name, or None."""
    if not org:
        return None
    org = expand_abbreviations(org)
    for word, code in _AGENCY_HINTS:
        if word in org or skeleton(word) in skeleton(org):
            return code
    return None
