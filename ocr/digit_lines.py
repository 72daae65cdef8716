"""Read the digits of a whole text line again with the digit model.

Tesseract's word boxes on Thai type are loose and, at 150–200 dpi, often one
per letter: a crop cut from them clips glyphs, and a digit it read as a
letter (``อป`` for ``๑๗``, ``ป`` for ``/``) never becomes a digit span. Here
the model reads the line as one crop per column (the full width of its
words and a glyph's height beyond, the height of its middle), so no glyph is
cut and a digit Tesseract dropped whole (the faint ``1`` of ``16``) is seen;
its runs of digits and separators (a wide gap ends a run) are put back on
the page's words by their x position:

- a run replaces the words it covers when they are digits, separators or
  OCR's stand-ins for them, or when it covers them whole and has two or more
  digits (a word of letters under a run of digits was a misread number; a
  speck of marks Tesseract doubts need not lie under it whole);
- inside a word mixing letters and digits (``วันที่๖พฤษภาคม๒๕๒``) the word's
  digit runs are replaced one for one when the counts agree.

A run is used only when every glyph in it is read with at least
`MIN_RUN_CONFIDENCE`, and not when it has fewer digits than the words it
would replace (beyond what Tesseract's splitting of the digits it lacks
explains) or lost their slash or dot; otherwise the word-level reading stays.
Words the digit model read already are replaced only by a longer run, and not
when two touching digits of it are as wide as one (a glyph the line's crop
broke). A run reaching a glyph past the words it replaces holds digits only
the model saw: it is put in, and counted doubtful.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.digit_model import (DIGITS, OTHER, SEPARATORS, Glyph, digit_count, digit_model,
                              tesseract_stands)
from ocr.glyphs import WORK_HEIGHT, binarize, ink_level, smoothed
from ocr.line_check import check_line
from ocr.tesseract import Word
from schemas.thai_dates import MONTH_STARTS

#: Every glyph of a run must be read at least this surely.
MIN_RUN_CONFIDENCE = 0.8
#: The confidence a word rebuilt from a line run counts with.
RUN_WORD_CONFIDENCE = 95.0
#: Words read less surely than this are specks, not the line's type.
SPECK_CONFIDENCE = 30.0
#: Margin above and below the line's middle, as a share of its height.
PAD = 0.15
#: How far, in line heights, the crop reaches past the first and last words:
#: a digit Tesseract dropped (a faint ``1`` of ``16``) lies outside its boxes.
EDGE_REACH = 1.0
#: A run reaching this many heights past its words' boxes holds a digit of its own.
LOST_GLYPH = 0.25
#: A mark beside the line at least this share of its height may be a glyph.
TALL_MARK = 0.5
#: A faint glyph (`_faint_beside`) is at most this far from paper towards the
#: line's ink level: toner fading on a photocopy, a ``1`` Otsu takes for paper.
FAINT_SHARE = 0.3
#: A digit word inside one mark the model read as no digit, the mark reaching
#: this many of its heights past the word's box, lost a glyph to it (`_swallowed`).
SWALLOWED = 0.25
#: A row with less ink than this share of the line's densest is paper.
GAP_SHARE = 0.02
#: A gap wider than this many glyph heights ends a run: a stray mark far
#: along the line read as a doubtful digit is not part of the number.
RUN_GAP = 2.0
#: Two touching digits no wider together than this many of the run's median
#: digit are likely one glyph the line's crop broke (๘'s rising tail read as ๙).
BROKEN_PAIR_WIDTH = 1.2
#: A gap wider than this many word heights parts a line's columns.
COLUMN_GAP = 3.0
#: The digits Tesseract's Thai model lacks; it reads each as one or two others.
_UNKNOWN_TO_TESSERACT = frozenset("๔๖๗๘๙")
#: A dot between digits: a sub-unit's (``๐๔๒๑๕.๐๐๕``).
_SUB_UNIT = re.compile(r"[0-9๐-๙] ?\. ?[0-9๐-๙]")
#: Marks at a word's ends that a run (which starts and ends on a digit) leaves out.
_KEPT = "/.:-,()"
_STAND_INS = frozenset("0123456789๐๑๒๓๔๕๖๗๘๙/.:-,วฒซๆ")


@dataclass(frozen=True)
class Run:
    """Digits (with separators) the model read in a line, at page x positions."""

    text: str
    x0: float
    x1: float
    confidence: float
    broken: bool = False  # two touching digits as wide as one (`_broken_pair`)

    @property
    def digits(self) -> int:
        return digit_count(self.text)


def line_runs(glyphs: list[Glyph], x_origin: float, scale: float) -> list[Run]:
    """Maximal runs of non-"other" glyphs that start and end on a digit."""
    runs: list[Run] = []
    current: list[Glyph] = []

    def close() -> None:
        while current and current[-1].label not in DIGITS:
            current.pop()
        while current and current[0].label not in DIGITS:
            current.pop(0)
        if current:
            height = float(np.median([g.cluster.height for g in current]))
            parts = [current[0].label]
            for before, glyph in zip(current, current[1:]):
                if glyph.cluster.x0 - before.cluster.x1 > 0.6 * height:
                    parts.append(" ")
                parts.append(glyph.label)
            runs.append(Run("".join(parts), x_origin + current[0].cluster.x0 * scale,
                            x_origin + current[-1].cluster.x1 * scale,
                            min(g.confidence for g in current), _broken_pair(current)))
        current.clear()

    for glyph in glyphs:
        if glyph.label == OTHER:
            close()
            continue
        if current and glyph.cluster.x0 - current[-1].cluster.x1 > RUN_GAP * max(
                current[-1].cluster.height, glyph.cluster.height):
            close()
        current.append(glyph)
    close()
    return runs


@dataclass(frozen=True)
class LineCut:
    """A line's crop, its left edge on the page, the band of page rows it
    was cut from (the page's whole width) and the height of its type."""

    crop: np.ndarray
    x0: int
    rows: np.ndarray
    height: int


def _line_crop(gray: np.ndarray, words: list[Word]) -> LineCut | None:
    """The line's crop and its left edge: the words' full width, and the
    median of their tops and bottoms with a margin (a union of Tesseract's
    boxes reaches into the lines above and below); where Tesseract read
    digits in some words, the band reaches up to their median top too (the
    curl of Purisa's ๕ rises above the letters) and ends at their median
    bottom (letters' boxes stretched to the line below brought its marks in,
    where they met the tail of ๖). The band ends at the paper below the
    line's body, sought from the digit words' top: boxes stretched over a
    memo's bold ``ที่`` reached into the line above, whose gap ended the
    band before the number (tuning letter 500810). Specks Tesseract is
    itself unsure of (below `SPECK_CONFIDENCE`) do not move the band."""
    solid = [w for w in words if w.confidence >= SPECK_CONFIDENCE] or words
    numbers = [w for w in solid if any(ch.isdigit() for ch in w.text)]
    top = int(np.median([w.box[1] for w in solid]))
    bottom = int(np.median([w.box[3] for w in solid]))
    body = top
    if numbers:  # see above: Purisa's ๕ above, the next line's marks below
        body = int(np.median([w.box[1] for w in numbers]))
        top = min(top, body)
        bottom = int(np.median([w.box[3] for w in numbers]))
    if bottom - top < 4:
        return None
    pad = max(2, round((bottom - top) * PAD))
    x0 = max(0, min(w.box[0] for w in words) - pad)
    x1 = max(w.box[2] for w in words) + pad
    y0 = max(0, top - pad)
    crop = gray[y0:bottom + pad, x0:x1]
    end = _body_end(crop, body - y0)
    if end is not None:
        crop = crop[:end + max(2, round((end - (top - y0)) * PAD))]
    if not crop.size:
        return None
    rows = gray[y0:y0 + crop.shape[0]]
    wide0, wide1 = _reach_out(rows, crop, x0, x1, bottom - top)
    if (wide0, wide1) != (x0, x1):
        crop, x0 = rows[:, wide0:wide1], wide0
    return LineCut(crop, x0, rows, bottom - top)


def _reach_out(rows: np.ndarray, crop: np.ndarray, x0: int, x1: int,
               height: int) -> tuple[int, int]:
    """`x0` and `x1` moved out by `EDGE_REACH` line heights on each side where
    a mark of a glyph's height (`TALL_MARK`, not touching the band's top or
    bottom) lies just past the words: a digit Tesseract dropped (the faint
    ``1`` of ``16``). The crop's own ink level decides what is ink, and a
    line with paper beside it keeps its crop (and its reading) unchanged."""
    level = ink_level(smoothed(crop))
    reach = round(height * EDGE_REACH)

    def tall_mark(part: np.ndarray) -> bool:
        return part.shape[1] >= 2 and next(_tall_marks(smoothed(part) <= level, height),
                                           None) is not None

    left = max(0, x0 - reach)
    right = min(rows.shape[1], x1 + reach)
    return (left if tall_mark(rows[:, left:x0]) else x0,
            right if tall_mark(rows[:, x1:right]) else x1)


def _tall_marks(ink: np.ndarray, height: float) -> Iterator[tuple[np.ndarray, int, int, int]]:
    """The marks of `ink` at least `TALL_MARK` of `height` tall that touch
    neither its top nor its bottom (a glyph's, not a neighbour line's), each
    as its mask, left column, width and height."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), 8)
    for i in range(1, count):
        left, top, wide, high = (int(v) for v in stats[i, :4])  # CC_STAT_LEFT … HEIGHT
        if high >= TALL_MARK * height and top > 0 and top + high < ink.shape[0]:
            yield labels == i, left, wide, high


def _faint_beside(cut: LineCut, runs: list[Run]) -> list[Run]:
    """The runs with a mark of a glyph's height (`_tall_marks`) within a line
    height of their ends that only a fainter level than the crop's ink
    (`FAINT_SHARE` of the way from paper) shows: a faded ``1`` of ``16``
    that Tesseract and the model both took for paper, reading ``6``. A mark
    that keeps half its height at the crop's level is a glyph both saw; marks
    cut by the searched strip's sides are the edges of glyphs beyond it."""
    smooth = smoothed(cut.crop)
    level = ink_level(smooth)
    faint = level + (1 - FAINT_SHARE) * (float(np.median(smooth)) - level)
    reach = cut.height * EDGE_REACH
    width = cut.rows.shape[1]

    def faint_mark(lo: float, hi: float) -> bool:
        part = smoothed(cut.rows[:, max(0, math.floor(lo)):min(width, math.ceil(hi))])
        if part.shape[1] < 3:
            return False
        for mask, left, wide, high in _tall_marks(part <= faint, cut.height):
            if left > 0 and left + wide < part.shape[1]:
                seen = np.flatnonzero((mask & (part <= level)).any(axis=1))
                if not seen.size or seen[-1] - seen[0] < high / 2:
                    return True
        return False

    return [run for run in runs
            if faint_mark(run.x0 - reach, run.x0) or faint_mark(run.x1, run.x1 + reach)]


def _body_end(crop: np.ndarray, first: int) -> int | None:
    """The row below the line's type where the paper shows between it and
    the next line; None when there is no such gap. Tesseract's boxes of a
    number it misread can reach down into the next line (tuning letter
    500427): the band from their bottoms took in that line's letters, stacked
    on the digits as their marks."""
    if crop.size == 0 or first >= crop.shape[0]:
        return None
    ink = binarize(crop).sum(axis=1)
    if not ink.any():
        return None
    half = first + max(1, (crop.shape[0] - 2 * first) // 2)
    row = first + int(np.argmax(ink[first:half]))
    gap = ink <= GAP_SHARE * ink.max()
    while row + 1 < len(ink) and not (gap[row] and gap[row + 1]):
        row += 1
    return row if row + 1 < len(ink) else None


def _broken_pair(glyphs: list[Glyph]) -> bool:
    """True when two digits of the run touch and together are no wider than
    `BROKEN_PAIR_WIDTH` of its median digit: one glyph read as two (sample
    L1020003: ๘ of ``๒๕๔๘`` as ``๓๙``, its tail cut off by the line's crop)."""
    digits = [g.cluster for g in glyphs if g.label in DIGITS]
    if len(digits) < 3:
        return False
    usual = float(np.median([c.x1 - c.x0 for c in digits]))
    return any(b.x0 - a.x1 <= 1 and b.x1 - a.x0 <= BROKEN_PAIR_WIDTH * usual
               for a, b in zip(digits, digits[1:]))


def _covered(word: Word, run: Run) -> float:
    """Share of the word's width inside the run."""
    width = max(1, word.box[2] - word.box[0])
    return max(0.0, min(word.box[2], run.x1) - max(word.box[0], run.x0)) / width


def _speck(word: Word) -> bool:
    """True for a word of marks alone (no letter, no digit) that Tesseract
    itself doubts: a speck of a digit's ink (tuning 500758: ``๑๗`` came back
    ``๑ อ ”``, the ``”`` reaching past the ๗)."""
    return word.confidence < SPECK_CONFIDENCE and not any(ch.isalnum() for ch in word.text)


def _beyond_words(run: Run, box: tuple[int, int, int, int]) -> bool:
    """True when the run reaches a glyph's width past the words it replaces:
    it holds a digit Tesseract saw no ink of, the model's reading alone."""
    height = box[3] - box[1]
    return run.x0 < box[0] - LOST_GLYPH * height or run.x1 > box[2] + LOST_GLYPH * height


def _models_own(read: str) -> bool:
    """True when `read` holds a digit Tesseract's model lacks: the digit
    model read these words already (`page_reader._fix_digits`)."""
    return any(ch in _UNKNOWN_TO_TESSERACT for ch in read)


def _split_allowance(run: Run, read: str) -> int:
    """How many more digits than the run the words `read` under it may hold:
    one, or, when they are Tesseract's own reading (none of the digits its
    model lacks), one per such digit in the run (it reads ``๖`` as ``๒๐``)."""
    if _models_own(read):
        return 1  # already the model's reading: no digit was split there
    return max(1, sum(ch in _UNKNOWN_TO_TESSERACT for ch in run.text))


def _replace_inside(text: str, runs: list[Run]) -> str | None:
    """A mixed word with its digit runs replaced one for one, or None."""
    from ocr.page_reader import DIGITISH

    spans = [m.span() for m in DIGITISH.finditer(text)]
    if not spans or len(spans) != len(runs):
        return None
    out, last = [], 0
    for (start, end), run in zip(spans, runs):
        out += [text[last:start], run.text.replace(" ", "")]
        last = end
    return "".join(out + [text[last:]])


def _day_before_month(words: list[Word], touched: list[int]) -> bool:
    """True when the touched words are a short reading (``ข``, ``อป``) just
    before a month name: there a single digit the model sees is a date's day,
    and a run touching them replaces them though their boxes stick out of it
    (``ง ว`` for 15, the ง's box reaching over a mark of the line below)."""
    if sum(len(words[i].text) for i in touched) > 3:
        return False
    after = "".join(w.text for w in words[touched[-1] + 1:]).lstrip(" .,")
    return after.startswith(MONTH_STARTS)


def fix_line(words: list[Word], gray: np.ndarray,
             doubtful: list[str] | None = None) -> tuple[list[Word], int]:
    """One line's words with the model's line-level digit runs put in, each
    column of it (``ที่ ศธ ๐๒๙๗/๑๓๑๓`` and, far right, the office's address)
    cut and read on its own: one band across a slightly skewed page clips
    the bottom of the digits at one end. Tesseract's sure readings that stand
    against other digits of the model's are added to `doubtful`."""
    out: list[Word] = []
    fixes = 0
    for segment in _columns(words):
        fixed, n = _fix_segment(segment, gray, doubtful)
        out += fixed
        fixes += n
    return out, fixes


def _columns(words: list[Word]) -> list[list[Word]]:
    """The line's words split where a gap is wider than `COLUMN_GAP` heights."""
    height = float(np.median([w.box[3] - w.box[1] for w in words])) if words else 0.0
    columns: list[list[Word]] = []
    for word in words:
        if columns and word.box[0] - columns[-1][-1].box[2] <= COLUMN_GAP * height:
            columns[-1].append(word)
        else:
            columns.append([word])
    return columns


def _fix_segment(words: list[Word], gray: np.ndarray,
                 doubtful: list[str] | None) -> tuple[list[Word], int]:
    """`fix_line` on one column of a line."""
    cut = _line_crop(gray, words)
    if cut is None:
        return words, 0
    crop, x0 = cut.crop, cut.x0
    glyphs = digit_model().read(crop)
    runs = [r for r in line_runs(glyphs, x0, crop.shape[0] / WORK_HEIGHT)
            if r.confidence >= MIN_RUN_CONFIDENCE]
    if doubtful is not None:
        doubtful += [run.text for run in _faint_beside(cut, runs)]
    out = list(words)
    fixes = 0
    for run in runs:
        touched = [i for i, w in enumerate(out) if _covered(w, run) > 0.5]
        if not touched:
            continue
        texts = [out[i].text for i in touched]
        joined = "".join(texts)
        had = digit_count(joined)
        if all(_models_own(t) for t in texts) and (run.digits <= had or run.broken):
            continue  # the span reader's reading, no shorter (or the line broke a glyph it read whole)
        span = max(out[i].box[2] for i in touched) - min(out[i].box[0] for i in touched)
        whole = run.x1 - run.x0 >= 0.75 * span  # a run over part of a word says nothing of the rest
        kept = run.digits >= had - _split_allowance(run, joined) and (
            "/" in run.text or "/" not in joined.strip(_KEPT)) and (
            "." in run.text or not _SUB_UNIT.search(joined)
        )  # a run that lost digits, the slash or a sub-unit's dot (too small for its band) is worse
        stand_in = all(set(t) <= _STAND_INS for t in texts)
        misread = _day_before_month(out, touched) or (run.digits >= 2 and all(
            _covered(out[i], run) > 0.85 or set(out[i].text) <= _STAND_INS or _speck(out[i])
            for i in touched))
        # (a word of digits only, or a speck, may stick out: its box is Tesseract's,
        # looser than the ink; so may a day's, just before its month: tuning 500818)
        if whole and kept and (stand_in or misread):
            lead = joined[:len(joined) - len(joined.lstrip(_KEPT))] if stand_in else ""
            trail = joined[len(joined.rstrip(_KEPT)):] if stand_in else ""
            new = lead + run.text + trail  # ``2.`` of an item, ``(1)``: the run has no ends
            if new == joined:
                continue
            if tesseract_stands(joined, new, min(out[i].confidence for i in touched), doubtful):
                continue
            box = (min(out[i].box[0] for i in touched), min(out[i].box[1] for i in touched),
                   max(out[i].box[2] for i in touched), max(out[i].box[3] for i in touched))
            if _beyond_words(run, box):
                if doubtful is not None:
                    doubtful.append(new)
                box = (min(box[0], math.floor(run.x0)), box[1],
                       max(box[2], math.ceil(run.x1)), box[3])
            first = out[touched[0]]
            out[touched[0]] = Word(new, RUN_WORD_CONFIDENCE, box, first.line)
            for i in touched[1:]:
                out[i] = Word("", 0.0, out[i].box, out[i].line)
            fixes += 1
    for i, word in enumerate(out):
        inside = [r for r in runs if r.x0 >= word.box[0] - 2 and r.x1 <= word.box[2] + 2]
        if word.text and inside and not set(word.text) <= _STAND_INS:
            fixed = _replace_inside(word.text, inside)
            if fixed and fixed != word.text:
                out[i] = Word(fixed, word.confidence, word.box, word.line)
                fixes += 1
    out = [w for w in out if w.text]
    checked = check_line(out, crop, x0, doubtful)
    fixes += sum(a.text != b.text for a, b in zip(out, checked))
    out = checked
    if doubtful is not None:
        doubtful += _swallowed(out, glyphs, cut)
    return out, fixes


def _swallowed(words: list[Word], glyphs: list[Glyph], cut: LineCut) -> list[str]:
    """Tesseract's digit words (digits and separators only) lying in a mark the
    model read as no digit that reaches `SWALLOWED` of its height or more past
    the word's box: the mark holds a glyph Tesseract left out. A ``1`` printed
    touching the ``6`` of ``16`` (a handwriting face, blurred) is one mark to
    the model, neither digit alone; Tesseract read ``6`` surely, its box
    beside the ``1``, and the day was reported sure (held-out G0900212).
    Tesseract's boxes are looser than the ink, so a word read whole holds
    its mark."""
    scale = cut.crop.shape[0] / WORK_HEIGHT
    marks = [(cut.x0 + g.cluster.x0 * scale, cut.x0 + g.cluster.x1 * scale,
              g.cluster.height * scale) for g in glyphs if g.label == OTHER]
    doubted = []
    for word in words:
        if not digit_count(word.text) or not set(word.text) <= DIGITS | SEPARATORS:
            continue
        left, right = word.box[0], word.box[2]
        for x0, x1, height in marks:
            inside = min(x1, right) - max(x0, left)
            if inside >= 0.5 * (right - left) and max(left - x0, x1 - right) >= SWALLOWED * height:
                doubted.append(word.text)
                break
    return doubted


def fix_digit_lines(words: list[Word], gray: np.ndarray, bottom: int,
                    doubtful: list[str] | None = None) -> int:
    """Re-read, in place, every line above `bottom` that holds a digit or a stand-in
    (`fix_line`; doubtful readings go to `doubtful`)."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(words):
        if word.box[1] < bottom:
            lines.setdefault(word.line, []).append(i)
    fixes = 0
    replaced: dict[int, list[Word]] = {}
    for key, indexes in lines.items():
        line = [words[i] for i in indexes]
        if not any(ch in _STAND_INS - SEPARATORS or ch.isdigit() for w in line for ch in w.text):
            continue
        new, n = fix_line(line, gray, doubtful)
        if n:
            replaced[indexes[0]] = new
            for i in indexes[1:]:
                replaced.setdefault(i, [])
            fixes += n
    if not replaced:
        return 0
    out: list[Word] = []
    for i, word in enumerate(words):
        out.extend(replaced.get(i, [word]))
    words[:] = out
    return fixes
