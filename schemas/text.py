"""Thai text primitives shared by every room: NFC, digit folding."""

from __future__ import annotations

import re
import unicodedata

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
ARABIC_DIGITS = "0123456789"
_TO_ARABIC = str.maketrans(THAI_DIGITS, ARABIC_DIGITS)
_TO_THAI = str.maketrans(ARABIC_DIGITS, THAI_DIGITS)
_HAS_THAI_DIGIT = re.compile("[๐-๙]")
#: Vowel and tone marks above and below the line, which OCR drops, adds and swaps.
_MARKS_RE = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, with the decomposed sara am (ํา) joined to ำ."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.replace("\u0e4d\u0e32", "\u0e33")


def skeleton(text: str) -> str:
    """Return `text` without Thai marks above and below the line."""
    return _MARKS_RE.sub("", text)


def to_arabic_digits(text: str) -> str:
    """Replace Thai digits ๐–๙ by Arabic 0–9."""
    # str.translate walks every character; most text has no Thai digit at all
    return text.translate(_TO_ARABIC) if _HAS_THAI_DIGIT.search(text) else text


def to_thai_digits(text: str) -> str:
    """Replace Arabic digits 0–9 by Thai ๐–๙."""
    return text.translate(_TO_THAI)


def fold(text: str) -> str:
    """Fold text for comparison: NFC, Arabic digits, lower case, single spaces."""
    return " ".join(to_arabic_digits(nfc(text)).lower().split())
