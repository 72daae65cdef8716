"""Letter numbers (ที่): canonical form and searchable variants.

Canonical form (shared/letters/README.md): Arabic digits, one space after the
agency letters, no space after the circular mark ว — ``ศธ 04049/ว508``,
``ศธ 04049.007/12``; orders have no agency letters — ``123/2567``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemas.text import nfc, to_arabic_digits, to_thai_digits

_DIGIT = "[0-9๐-๙]"
_NUMBER_RE = re.compile(
    rf"(?:(?:(?<![\u0e01-\u0e4e])|(?<=ที่)|(?<=ที))(?P<agency>[ก-ฮ](?:\s?\.?\s?[ก-ฮ]){{1,3}})\.?\s*)?"
    rf"(?<![0-9๐-๙./])(?P<unit>{_DIGIT}+(?:\s?\.\s?{_DIGIT}+)*)"
    rf"\s*/\s*(?P<circular>ว\s*)?(?P<running>{_DIGIT}+)(?![0-9๐-๙])"
)
_NON_CODE_RE = re.compile(r"[\s.]")

_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class LetterNumber:
    """The parts of a letter number.

    Attributes:
        agency: Agency letters (``ศธ``) or an empty string (orders).
        unit: Unit digits in Arabic, sub-units after dots (``04049.007``).
        circular: True for the ว series.
        running: The running number in Arabic digits.
        thai_digits: True when any digit was printed in Thai numerals.
    """

    agency: str
    unit: str
    circular: bool
    running: str
    thai_digits: bool

    @property
    def canonical(self) -> str:
        """The canonical string, e.g. ``ศธ 04049/ว508``."""
        prefix = f"{self.agency} " if self.agency else ""
        mark = "ว" if self.circular else ""
        return f"{prefix}{self.unit}/{mark}{self.running}"


def parse_number(text: str) -> LetterNumber | None:
    """Find the first letter number in `text` and split it into parts.

    Args:
        text: Text such as ``ที่ ศธ ๐๔๐๔๙/ว ๕๐๘`` or ``๑๒๓/๒๕๖๗``.

    Returns:
        The parts, or None when nothing looks like a number.
    """
    match = _NUMBER_RE.search(nfc(text))
    if match is None:
        return None
    raw_digits = match["unit"] + match["running"]
    agency = _NON_CODE_RE.sub("", match["agency"] or "")
    return LetterNumber(
        agency=agency,
        unit=to_arabic_digits(_SPACE_RE.sub("", match["unit"])),
        circular=match["circular"] is not None,
        running=to_arabic_digits(match["running"]),
        thai_digits=any("๐" <= ch <= "๙" for ch in raw_digits),
    )


def canonical_number(text: str) -> str | None:
    """Return the canonical form of the first letter number in `text`.

    ``ศธ ๐๔๐๔๙/ว ๕๐๘`` → ``ศธ 04049/ว508``; ``ศธ04049.007/12`` →
    ``ศธ 04049.007/12``; ``๑๒๓/๒๕๖๗`` → ``123/2567``. Idempotent.

    Args:
        text: A printed letter number, possibly with a leading ``ที่``.

    Returns:
        The canonical number, or None when `text` holds none.
    """
    parts = parse_number(text)
    return parts.canonical if parts else None


def number_variants(canonical: str) -> list[str]:
    """Searchable spellings of a canonical number.

    Args:
        canonical: A number in canonical form (other forms are canonicalised first).

    Returns:
        Distinct spellings: canonical, Arabic and Thai digits, with and
        without the space after the agency letters and after ว.
    """
    parts = parse_number(canonical)
    if parts is None:
        return [canonical]
    prefixes = [f"{parts.agency} ", parts.agency] if parts.agency else [""]
    marks = ["ว", "ว "] if parts.circular else [""]
    arabic = [f"{p}{parts.unit}/{m}{parts.running}" for p in prefixes for m in marks]
    variants = arabic + [to_thai_digits(v) for v in arabic]
    return list(dict.fromkeys([parts.canonical, *variants]))
