"""Approximate substring matching for "did you mean", keeping Thai clusters whole."""

from __future__ import annotations

import unicodedata


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) == "Mn"


SNAP_END, SNAP_START = 3, 2  # widen to a word edge at most this many characters away


def approximate_substring(pattern: str, text: str,
                          boundaries: set[int] | None = None) -> tuple[int, str] | None:
    """The stretch of `text` with the fewest edits from `pattern`, and that number.

    Sellers' algorithm: an edit-distance table whose first row is free, so
    the match may start anywhere. The stretch is widened so that it never
    starts or ends inside a Thai character cluster (a vowel or tone mark is
    kept with its consonant), and, when word `boundaries` (offsets in `text`)
    are given, widened to a word edge a few characters away, so that
    ยุทโธปกรน offers ยุทโธปกรณ์ rather than ยุทโธปกร. Returns None for an empty
    pattern or text.
    """
    if not pattern or not text:
        return None
    m = len(pattern)
    # columns over text; each cell keeps (distance, start index)
    prev = [(i, 0) for i in range(m + 1)]
    best: tuple[int, int, int] | None = None  # distance, start, end
    for j, ch in enumerate(text, 1):
        cur = [(0, j)]
        for i in range(1, m + 1):
            options = (
                (prev[i - 1][0] + (pattern[i - 1] != ch), prev[i - 1][1]),
                (prev[i][0] + 1, prev[i][1]),
                (cur[i - 1][0] + 1, cur[i - 1][1]),
            )
            cur.append(min(options))
        if best is None or cur[m][0] < best[0]:
            best = (cur[m][0], cur[m][1], j)
        prev = cur
    assert best is not None
    distance, start, end = best
    while start > 0 and _is_mark(text[start]):
        start -= 1
    while end < len(text) and _is_mark(text[end]):
        end += 1
    if boundaries:
        after = min((b for b in boundaries if b >= end), default=end)
        before = max((b for b in boundaries if b <= start), default=start)
        end = after if after - end <= SNAP_END else end
        start = before if start - before <= SNAP_START else start
    return distance, text[start:end]
