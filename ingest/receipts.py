"""Receipt stamps (ตรายางรับหนังสือ) as data: เลขรับ, วันที่, เวลา.

The receiving office stamps a box with its receipt number, date and time on
every letter it registers. The page reader reads each stamp on its own, so
a stamp's lines arrive together; this module reads them into
`ReceiptStamp`s. A stamp's number is never the letter's number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from schemas.letter import ReceiptStamp
from schemas.text import to_arabic_digits
from schemas.thai_dates import find_thai_date

_DIGITS = "[0-9๐-๙]"
# เลขรับ with OCR's usual slips (เสขรับ, เลขรบ, เลขทีรับ).
_NUMBER_RE = re.compile(rf"(?:เ[ลส]ข\S{{0,2}}ร\S?บ|รับที่)\s*[:.]?\s*({_DIGITS}+(?:/{_DIGITS}+)?)")
_DATE_LABEL_RE = re.compile(r"ว\S?น\S{0,2}ท")
_TIME_RE = re.compile(rf"({_DIGITS}{{1,2}})\s*[.:]\s*({_DIGITS}{{2}})\s*(?:น|$)")


def read_receipt_stamps(stamps: Sequence[Sequence[str]]) -> list[ReceiptStamp]:
    """The receipt stamps among the page's stamps (each a list of lines)."""
    found = []
    for lines in stamps:
        stamp = _read_one(lines)
        if stamp is not None:
            found.append(stamp)
    return found


def _read_one(lines: Sequence[str]) -> ReceiptStamp | None:
    number = date = time = None
    for line in lines:
        squashed = line.replace(" ", "")
        if number is None and (match := _NUMBER_RE.search(squashed)):
            number = to_arabic_digits(match.group(1))
            continue
        if date is None and _DATE_LABEL_RE.search(squashed):
            found = find_thai_date(line) or find_thai_date(squashed)
            if found is not None:
                date = found.date
                continue
        if time is None and "เวลา" in squashed.replace("เวสา", "เวลา"):
            match = _TIME_RE.search(squashed)
            if match:
                hour, minute = (int(to_arabic_digits(g)) for g in match.groups())
                if hour < 24 and minute < 60:
                    time = f"{hour:02d}:{minute:02d}"
    if number is None:
        return None
    return ReceiptStamp(number=number, date=date, time=time)
