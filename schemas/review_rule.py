"""Which header fields need a person's review: one rule for the queue's column and its pages.

A field needs review while no person has corrected or confirmed it and its
confidence is below the threshold; a field not read, or read with a
confidence that is not a number, counts as 0.0. `records.review_confidence`
keeps the lowest such confidence so the queue is one indexed query
(`review_confidence < threshold`); `low_fields` names the fields on a page.
"""

from __future__ import annotations

import math
from typing import Any

#: The fields a clerk registers from the paper, in the order a letter prints them.
REVIEW_FIELDS = ("kind", "number", "date", "subject", "to", "from_org", "secrecy", "urgency")


def field_confidence(value: Any) -> float:
    """A stored confidence as a number: 0.0 when missing, not a number, or NaN."""
    if isinstance(value, int | float) and not math.isnan(value):
        return float(value)
    return 0.0


def open_fields(confidence: dict[str, Any] | None,
                corrected: dict[str, Any] | None) -> dict[str, float]:
    """Review fields no person has corrected or confirmed, with their confidence."""
    confidence, corrected = confidence or {}, corrected or {}
    return {name: field_confidence(confidence.get(name))
            for name in REVIEW_FIELDS if name not in corrected}


def review_confidence(confidence: dict[str, Any] | None,
                      corrected: dict[str, Any] | None) -> float | None:
    """The lowest confidence among the open fields; None when a person saw them all."""
    return min(open_fields(confidence, corrected).values(), default=None)


def low_fields(confidence: dict[str, Any] | None, corrected: dict[str, Any] | None,
               threshold: float) -> list[str]:
    """Fields read below `threshold` or not at all, that no person has corrected or confirmed.

    A record has such fields exactly when its `review_confidence` is below `threshold`.
    """
    return [name for name, value in open_fields(confidence, corrected).items()
            if value < threshold]
