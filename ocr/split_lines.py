"""One printed line that Tesseract's layout analysis took in two blocks.

Where a memo's header indents its second column (``ส่วนราชการ …`` wrapping
under the office's name), Tesseract may put the start of the ``ที่`` line in
the block above and the rest in another: ``ที่ ศธ 0420`` and ``8/2577 -
วันที่ 5 มกราคม 2553`` came back as two lines, the letter number cut in two
(tuning 500921), and a word of the body as ``ผู้อำน`` and ``วยการ…``. Such
lines are put back together before anything reads digits in them, and the
two words at the seam, when they touch, are one word again.
"""

from __future__ import annotations

import numpy as np

from ocr.tesseract import Word

Key = tuple[int, int, int]
#: A line's left end, body top, right end and body bottom.
Extent = tuple[float, float, float, float]

#: The second part starts within this many line heights of the first's end
#: (either side: Tesseract's boxes overlap at the cut).
JOIN_GAP = 1.0
#: The parts' bodies (median top to median bottom) overlap by at least this
#: share of the shorter one.
JOIN_OVERLAP = 0.6
#: Words at the seam this close (in line heights) are one word Tesseract cut.
SEAM_GAP = 0.25


def rejoin_split_lines(words: list[Word]) -> list[Word]:
    """`words`, each line that continues another on the same row (starting
    right where it ends) given the other's key and put after its words."""
    lines: dict[Key, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    extents = {key: _extent(parts) for key, parts in lines.items()}
    follows: dict[Key, Key] = {}
    for key in lines:
        for other in lines:
            if other != key and follows.get(other) != key and _continues(
                    extents[key], extents[other]):
                follows[key] = other
                break
    if not follows:
        return words

    def first(key: Key) -> Key:
        seen = {key}
        while key in follows and follows[key] not in seen:
            key = follows[key]
            seen.add(key)
        return key

    out: list[Word] = []
    done: set[Key] = set()
    for word in words:
        head = first(word.line)
        if head in done:
            continue
        done.add(head)
        parts = sorted((key for key in lines if first(key) == head),
                       key=lambda key: extents[key][0])
        line = [Word(w.text, w.confidence, w.box, head) for w in lines[parts[0]]]
        for key in parts[1:]:
            last = max(line, key=lambda w: w.box[2])
            line.remove(last)
            line += _seamed(last, [Word(w.text, w.confidence, w.box, head)
                                   for w in lines[key]], extents[head])
        out += line
    return out


def _continues(line: Extent, before: Extent) -> bool:
    """True when `line` starts where the line `before` ends, on its row."""
    start, top, _, bottom = line
    height = min(bottom - top, before[3] - before[1])
    overlap = min(bottom, before[3]) - max(top, before[1])
    return (height > 0 and overlap >= JOIN_OVERLAP * height and before[0] < start
            and abs(start - before[2]) <= JOIN_GAP * height)


def _seamed(last: Word, rest: list[Word], line: Extent) -> list[Word]:
    """The first line's `last` word and the next line's words, the two at the
    seam made one when they touch."""
    nearest = min(rest, key=lambda w: w.box[0])
    if nearest.box[0] - last.box[2] > SEAM_GAP * (line[3] - line[1]):
        return [last, *rest]
    box = (min(last.box[0], nearest.box[0]), min(last.box[1], nearest.box[1]),
           max(last.box[2], nearest.box[2]), max(last.box[3], nearest.box[3]))
    joined = Word(last.text + nearest.text, min(last.confidence, nearest.confidence), box,
                  last.line)
    return [joined, *(w for w in rest if w is not nearest)]


def _extent(parts: list[Word]) -> Extent:
    """A line's left and right ends and its body (its words' median top and
    median bottom), taken once per line."""
    return (min(w.box[0] for w in parts), float(np.median([w.box[1] for w in parts])),
            max(w.box[2] for w in parts), float(np.median([w.box[3] for w in parts])))
