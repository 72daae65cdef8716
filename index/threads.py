"""Correspondence threads: the letters a letter cites (อ้างถึง) and the letters citing it.

A reference `{number, date}` is matched to the letter in the archive with the
same canonical number and the same date; a reference without a date matches
by number alone. Each letter is indexed with its own key `number|date` and the
keys it cites, and both directions are plain filtered searches, so the
backend applies the reader's clearance as it does to any search.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from schemas.letter_numbers import canonical_number


def _number(text: str | None) -> str | None:
    canonical = canonical_number(text or "") if text else None
    return canonical.replace(" ", "") if canonical else None


def letter_key(number: str | None, date: dt.date | None) -> str | None:
    """The key under which a letter is cited: `ศธ04049/ว508|2016-08-02`."""
    canonical = _number(number)
    if canonical is None:
        return None
    return f"{canonical}|{date.isoformat() if date else ''}"


def _ref_date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def cite_keys(references: Iterable[dict[str, Any]]) -> list[str]:
    """Keys of the letters a record cites (`number|date`, or `number|` without a date)."""
    keys = []
    for ref in references:
        key = letter_key(ref.get("number"), _ref_date(ref.get("date")))
        if key:
            keys.append(key)
    return list(dict.fromkeys(keys))


def cited_filters(reference: dict[str, Any]) -> dict[str, list[str]] | None:
    """Search filters that find the letter one reference points at."""
    number = _number(reference.get("number"))
    if number is None:
        return None
    date = _ref_date(reference.get("date"))
    if date is None:
        return {"number_key": [number]}
    return {"letter_key": [f"{number}|{date.isoformat()}"]}


def citing_filters(number: str | None, date: dt.date | None) -> dict[str, list[str]] | None:
    """Search filters that find the letters citing this one (with or without its date)."""
    key = letter_key(number, date)
    if key is None:
        return None
    bare = key.split("|", 1)[0] + "|"
    return {"cites": list(dict.fromkeys([key, bare]))}
