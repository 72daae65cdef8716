"""The one place every clock in the archive reads "today" from.

Retention clocks, the 60-day deemed-consent clock and loan due dates all
call `today()`. Tests and demos set the date with `frozen_today(...)` or the
`SARABAN_TODAY` variable (ISO date), so simulated years need no sleeping.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_override: ContextVar[dt.date | None] = ContextVar("saraban_today", default=None)


def today() -> dt.date:
    """Today's date for business rules (local calendar date)."""
    fixed = _override.get()
    if fixed is not None:
        return fixed
    configured = os.environ.get("SARABAN_TODAY", "").strip()
    if configured:
        return dt.date.fromisoformat(configured)
    return dt.date.today()


def set_today(value: dt.date | None) -> None:
    """Fix today's date for this context (a CLI `--today` option); None clears."""
    _override.set(value)


@contextmanager
def frozen_today(value: dt.date) -> Iterator[None]:
    """Within the block, `today()` returns `value`."""
    token = _override.set(value)
    try:
        yield
    finally:
        _override.reset(token)
