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
    bodies = {key: _body(parts) for key, parts in lines.items()}
    follows: dict[Key, Key] = {}
    for key, parts in lines.items():
        for other, before in lines.items():
            if other != key and follows.get(other) != key and _continues(
                    parts, bodies[key], before, bodies[other]):
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
                       key=lambda key: min(w.box[0] for w in lines[key]))
        line = [Word(w.text, w.confidence, w.box, head) for w in lines[parts[0]]]
        for key in parts[1:]:
            last = max(line, key=lambda w: w.box[2])
            line.remove(last)
            line += _seamed(last, [Word(w.text, w.confidence, w.box, head)
                                   for w in lines[key]], bodies[head])
        out += line
    return out


def _continues(parts: list[Word], body: tuple[float, float], before: list[Word],
               before_body: tuple[float, float]) -> bool:
    """True when the line of `parts` starts where the line `before` ends, on its row."""
    height = min(body[1] - body[0], before_body[1] - before_body[0])
    overlap = min(body[1], before_body[1]) - max(body[0], before_body[0])
    start = min(w.box[0] for w in parts)
    return (height > 0 and overlap >= JOIN_OVERLAP * height
            and min(w.box[0] for w in before) < start
            and abs(start - max(w.box[2] for w in before)) <= JOIN_GAP * height)


def _seamed(last: Word, rest: list[Word], body: tuple[float, float]) -> list[Word]:
    """The first line's `last` word and the next line's words, the two at the
    seam made one when they touch."""
    nearest = min(rest, key=lambda w: w.box[0])
    if nearest.box[0] - last.box[2] > SEAM_GAP * (body[1] - body[0]):
        return [last, *rest]
    box = (min(last.box[0], nearest.box[0]), min(last.box[1], nearest.box[1]),
           max(last.box[2], nearest.box[2]), max(last.box[3], nearest.box[3]))
    joined = Word(last.text + nearest.text, min(last.confidence, nearest.confidence), box,
                  last.line)
    return [joined, *(w for w in rest if w is not nearest)]


def _body(parts: list[Word]) -> tuple[float, float]:
    """A line's body: its words' median top and median bottom."""
    return (float(np.median([w.box[1] for w in parts])),
            float(np.median([w.box[3] for w in parts])))
