"""Thai dates: month names, Buddhist-Era years, tolerant parsing of OCR text.

Letters print dates as day, Thai month name and Buddhist-Era year
(``๒๓ มิถุนายน ๒๕๕๕``, ``23 มิถุนายน พ.ศ. 2555``); stamps and handwriting use
abbreviated months and short years (``2 ส.ค. 59``). BE = CE + 543.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from schemas.text import nfc, skeleton, to_arabic_digits, to_thai_digits

BE_OFFSET = 543

MONTHS_FULL = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)

#: The first three letters of each full month name: enough to tell a month
#: from other words where OCR has garbled or cut the rest.
MONTH_STARTS = tuple(name[:3] for name in MONTHS_FULL)

MONTHS_ABBR = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

_DIGIT = "[0-9๐-๙]"
_THAI_LETTER = "\u0e01-\u0e4e"
# day · month token (Thai letters, dots, single inner spaces) · optional พ.ศ. · year
_DATE_RE = re.compile(
    rf"(?<!{_DIGIT})(?P<day>{_DIGIT}{{1,2}})\s*"
    rf"(?P<month>[{_THAI_LETTER}](?:[{_THAI_LETTER}.]| (?=[{_THAI_LETTER}])){{1,18}}?)"
    rf"\s*(?:[พห%]\s*[ุู]?\s*\.?\s*ศ\s*(?:\.\s*){{0,2}})?"  # พ.ศ. (ห, %: its พ misread)
    rf"(?P<year>{_DIGIT}(?: ?{_DIGIT}){{3}}|{_DIGIT}{{2}})(?!{_DIGIT})"
)
_SPACES_RE = re.compile(r"\s+")

_ABBR_KEYS = {a.replace(".", ""): i + 1 for i, a in enumerate(MONTHS_ABBR)}
_FULL_KEYS = {m: i + 1 for i, m in enumerate(MONTHS_FULL)}
_SKELETON_KEYS = {skeleton(m): i + 1 for i, m in enumerate(MONTHS_FULL)}


@dataclass(frozen=True)
class DateMatch:
    """A date found in text, with how cleanly it was read.

    Attributes:
        date: The date in the Christian era.
        start: Offset of the match in the searched text.
        end: Offset just past the match.
        fuzzy: True when the month name needed an edit-distance match.
        thai_digits: True when the day or year was printed in Thai digits.
        short_year: True when the year had only two digits.
    """

    date: dt.date
    start: int
    end: int
    fuzzy: bool
    thai_digits: bool
    short_year: bool


def be_year(date: dt.date) -> int:
    """Return the Buddhist-Era year of `date`.

    Args:
        date: A date in the Christian era.

    Returns:
        ``date.year + 543``.
    """
    return date.year + BE_OFFSET


def format_thai_date(date: dt.date, thai_digits: bool = False, abbreviated: bool = False) -> str:
    """Format `date` the way Thai letters print it, with the BE year.

    Args:
        date: The date to format.
        thai_digits: Print ๐–๙ instead of 0–9.
        abbreviated: Use the abbreviated month (``ส.ค.``); the year keeps four digits.

    Returns:
        For example ``2 สิงหาคม 2559`` or ``๒ ส.ค. ๒๕๕๙``.
    """
    month = (MONTHS_ABBR if abbreviated else MONTHS_FULL)[date.month - 1]
    text = f"{date.day} {month} {be_year(date)}"
    return to_thai_digits(text) if thai_digits else text


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two short strings, cut off at ``limit + 1``.

    Args:
        a: First string.
        b: Second string.
        limit: Largest distance of interest.

    Returns:
        The distance, or ``limit + 1`` when it exceeds `limit`.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


def match_month(token: str) -> tuple[int, bool] | None:
    """Match an OCR'd month token to a month number.

    Accepts full names, abbreviations with or without dots, and full names
    with one wrong, missing or extra character (two for names of seven or more) when
    exactly one month is that close, or, their marks left out, one letter.

    Args:
        token: The month as read, e.g. ``มิถุนายน``, ``มิ.ย.``, ``มิถนายน``.

    Returns:
        ``(month, fuzzy)`` or None when no month matches unambiguously.
    """
    key = _SPACES_RE.sub("", nfc(token)).replace("\u0e4d\u0e32", "\u0e33")
    if key in _FULL_KEYS:
        return _FULL_KEYS[key], False
    bare = key.replace(".", "")
    if "." in key and bare in _ABBR_KEYS:
        return _ABBR_KEYS[bare], False
    if bare in _ABBR_KEYS and len(bare) >= 2:
        return _ABBR_KEYS[bare], True
    if len(bare) < 4:
        return None
    limit = 2 if len(bare) >= 7 else 1
    found = _closest(bare, _FULL_KEYS, limit)
    if found is None:  # marks aside, one letter wrong (``จิ้นวาคม``: ธั read as จิ้)
        bones = skeleton(bare)
        found = _closest(bones, _SKELETON_KEYS, 1) if len(bones) >= 5 else None
    return (found, True) if found is not None else None


def _closest(key: str, names: dict[str, int], limit: int) -> int | None:
    """The month whose name is within `limit` edits of `key` and nearer than any other."""
    scored = sorted((edit_distance(key, name, limit), n) for name, n in names.items())
    best, month = scored[0]
    if best > limit or scored[1][0] == best:
        return None
    return month


def _year_to_ce(raw: str) -> int | None:
    """Turn a printed year (BE four digits, CE four digits or BE two digits) into CE."""
    year = int(raw)
    if len(raw) == 2:
        return 2500 + year - BE_OFFSET
    if 2400 <= year <= 2700:
        return year - BE_OFFSET
    if 1900 <= year <= 2200:
        return year
    return None


def _to_date(match: re.Match[str]) -> DateMatch | None:
    """Validate one regex match and build the DateMatch."""
    month = match_month(match["month"])
    if month is None:
        return None
    day_raw = match["day"]
    year_raw = _SPACES_RE.sub("", match["year"])
    year = _year_to_ce(to_arabic_digits(year_raw))
    if year is None:
        return None
    try:
        date = dt.date(year, month[0], int(to_arabic_digits(day_raw)))
    except ValueError:
        return None
    thai = any(ch in "๐๑๒๓๔๕๖๗๘๙" for ch in day_raw + year_raw)
    return DateMatch(date, match.start(), match.end(), month[1], thai, len(year_raw) == 2)


def find_thai_dates(text: str) -> list[DateMatch]:
    """Find every Thai date in `text`, in order.

    Args:
        text: Any text, e.g. a line of OCR output.

    Returns:
        The dates found, each with its position and how cleanly it was read.
    """
    text = nfc(text)
    found: list[DateMatch] = []
    pos = 0
    while True:
        match = _DATE_RE.search(text, pos)
        if match is None:
            return found
        date = _to_date(match)
        if date is None:
            pos = match.start() + 1
            continue
        found.append(date)
        pos = match.end()


def find_thai_date(text: str) -> DateMatch | None:
    """Find the first Thai date in `text`.

    Args:
        text: Any text.

    Returns:
        The first date found, or None.
    """
    dates = find_thai_dates(text)
    return dates[0] if dates else None


def parse_thai_date(text: str) -> dt.date | None:
    """Parse the first Thai date in `text`.

    Tolerates extra spaces, Thai and Arabic digits mixed, ``พ.ศ.`` before the
    year, abbreviated months, two-digit BE years and a month name with one
    wrong character.

    Args:
        text: Text holding a date such as ``๒๓ มิถุนายน ๒๕๕๕`` or ``2 ส.ค. 59``.

    Returns:
        The date in the Christian era, or None when no date is found.
    """
    match = find_thai_date(text)
    return match.date if match else None
