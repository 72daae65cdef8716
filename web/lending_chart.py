"""The desk's small bar chart, drawn as inline SVG geometry (no script, no CDN).

The template draws rectangles from these numbers with SVG presentation
attributes, which the strict Content-Security-Policy allows (no inline CSS).
"""

from __future__ import annotations

from dataclasses import dataclass

from retention.desk import Dashboard

BAR_MAX = 300  # px of the longest bar


@dataclass(frozen=True)
class Bar:
    """One bar: its label, count, pixel width and colour class."""

    label: str
    count: int
    width: int
    tone: str  # ok | warn | late


def desk_chart(board: Dashboard) -> list[Bar]:
    """Items out on time, due within a week, and overdue by how long."""
    on_time = len(board.out) - len(board.overdue) - len(board.due_soon)
    rows = [("ยังไม่ถึงกำหนด", on_time, "ok"), ("ครบกำหนดใน 7 วัน", len(board.due_soon), "warn")]
    rows += [(f"เกินกำหนด {label}", count, "late") for label, count in board.overdue_buckets]
    top = max((count for _, count, _ in rows), default=0) or 1
    return [Bar(label, count, round(BAR_MAX * count / top), tone) for label, count, tone in rows]
