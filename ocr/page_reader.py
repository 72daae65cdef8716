"""Read one scanned page: layout, Tesseract on the body, our own digits.

1. `ocr.layout` finds stamps and graphics; they are painted out of the body.
2. Tesseract reads the body once (`--psm 4`: one column of lines, which keeps
   a letter's labels — เรื่อง, เรียน — on the line they begin), as TSV, so
   every word comes with its box and confidence.
3. Stamps are read together in one more Tesseract call: their crops are
   stacked on one strip, each on its own, and the lines are given back to
   the stamp they came from.
4. Every word that holds digits is read again by the project's digit model
   (`ocr.digit_model`) from the scan itself, because Tesseract's Thai model
   cannot read ๔ ๖ ๗ ๘ ๙; then every line holding digits is read again
   whole (`ocr.digit_lines`), which cuts no glyph where word boxes do.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from ocr.clean import clean_line
from ocr.digit_lines import fix_digit_lines
from ocr.digit_model import DIGITS, OTHER, Glyph, digit_count, digit_model, tesseract_stands
from ocr.glyphs import WORK_HEIGHT
from ocr.layout import Zone, colour_mask, find_zones, paper_level
from ocr.split_lines import rejoin_split_lines
from ocr.tesseract import Word, read_words

#: Characters Tesseract puts where a digit is printed (Thai digits it lacks
#: come out as other digits or these).
DIGITISH = re.compile(r"[0-9๐-๙][0-9๐-๙/.:,\-ว]*[0-9๐-๙]|[0-9๐-๙]")
#: A word that can be part of a digit span: digits and their separators.
#: ฒ ซ ๆ are what Tesseract's Thai model writes for ๘ ๙ ๗, which it lacks.
SPAN_WORD = re.compile(r"[0-9๐-๙/.:,\-วฒซๆ]+")
CONFUSABLE = frozenset("ฒซๆ")
#: The confidence a span read by the digit model counts with in its line.
FIXED_CONFIDENCE = 95.0
#: Tesseract's digit count at this confidence or more says the model missed a
#: glyph its box cut off (the span is read again wider); below it, it may
#: itself have read one glyph twice (tuning 500925: ``04271/774`` at 53).
COUNT_TRUSTED = 80.0
#: A misplaced ว is taken as its best digit when that is at least this likely.
MIN_ALTERNATIVE = 0.02
#: A digit read below this probability keeps Tesseract's reading.
MIN_DIGIT_CONFIDENCE = 0.6
#: Body lines whose median word confidence is lower are junk (measured:
#: real lines 75–95, specks, rules and signature strokes 30–60).
MIN_LINE_CONFIDENCE = 62
#: A line with a word shaped like a letter number (digits/digits) is kept down to this:
#: specks and strokes do not read as that shape, and a lost ที่ line loses the number.
MIN_NUMBER_LINE_CONFIDENCE = 40
#: An "other" cluster at a digit span's end wider than this many digits is
#: digits blur joined, not a letter bled in from the next word.
BLOB_WIDTH = 1.6
NUMBER_SHAPE = re.compile(r"[0-9๐-๙]+/[0-9๐-๙]+")
STRIP_GAP = 40  # pixels of paper between stacked stamp crops
COLUMN_GAP = "     "
#: Pages are read by Tesseract at no more than this resolution.
OCR_DPI = 250
#: One column of text lines: keeps a letter's labels on the line they open.
BODY_PSM = 4
#: A stamp frame's upright sides lie within this share (%) of the crop's width from its edges.
FRAME_EDGE = 12
STRIP_PSM = 6  # the stamps' strip read alone: one block, no layout analysis to drop it


@dataclass
class StampReading:
    """A stamp zone and the lines read in it."""

    zone: Zone
    lines: list[str]


@dataclass
class PageReading:
    """Body lines in reading order, the stamps' lines, and timing."""

    lines: list[str]
    stamps: list[StampReading] = field(default_factory=list)
    digit_fixes: int = 0
    seconds: float = 0.0
    words: list[Word] = field(default_factory=list)  # the body's words, boxes in page pixels
    #: Tesseract's sure Arabic readings the digit model read as other digits,
    #: and line runs holding digits Tesseract saw no ink of.
    doubtful_digits: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_page(image: Image.Image, dpi: int, languages: str = "tha") -> PageReading:
    """Read a page image at its scan resolution."""
    started = time.perf_counter()
    rgb = np.asarray(image.convert("RGB")) if image.mode not in ("L", "1") else None
    gray = np.asarray(image.convert("L"))
    if rgb is not None and not colour_mask(rgb[::4, ::4]).any():
        rgb = None
    zones = find_zones(rgb, gray, dpi)
    body = gray.copy()
    paper = paper_level(gray)
    for zone in zones:
        body[zone.y0:zone.y1, zone.x0:zone.x1] = paper
    # Stamps are stacked on a strip below the page and read in the same
    # Tesseract call: one process, one model load per page.
    stamp_zones = [z for z in zones if z.kind == "stamp"]
    strip, offsets = _stamp_strip(stamp_zones, gray, rgb, paper)
    page_height = strip_top = body.shape[0]
    if strip is not None:
        body, strip_top = _stack(body, strip, paper)
    words = rejoin_split_lines(_read_scaled(body, dpi, languages))
    doubtful: list[str] = []
    fixes = _fix_digits(words, body, doubtful)
    fixes += fix_digit_lines(words, body, page_height, doubtful)
    page_words = [w for w in words if w.box[1] < page_height]
    stamp_words = [w for w in words if w.box[1] >= page_height]
    lines = _lines(page_words)
    stamps = _stamp_lines(stamp_zones, stamp_words, [(a + strip_top, b + strip_top)
                                                     for a, b in offsets])
    if strip is not None and any(not stamp.lines for stamp in stamps):
        # Tesseract's layout analysis sometimes drops the whole strip (under a
        # noisy page, or a strip of a few short stamps it takes for pictures);
        # read alone as one block of text, the same crops come back.
        alone = _read_scaled(strip, dpi, languages, psm=STRIP_PSM)
        fixes += _fix_digits(alone, strip)
        again = _stamp_lines(stamp_zones, alone, offsets)
        stamps = [old if old.lines else new for old, new in zip(stamps, again, strict=True)]
    return PageReading(lines=lines, stamps=stamps, digit_fixes=fixes,
                       seconds=time.perf_counter() - started, words=page_words,
                       doubtful_digits=doubtful)


def _read_scaled(gray: np.ndarray, dpi: int, languages: str,
                 psm: int = BODY_PSM) -> list[Word]:
    """Tesseract's words of the page, read at no more than OCR_DPI (Thai
    type at 12-16 pt loses nothing there, and Tesseract's layout analysis
    costs less); boxes come back in the page's own pixels."""
    if dpi <= OCR_DPI:
        return read_words(gray, dpi, languages, psm=psm)
    f = OCR_DPI / dpi
    small = cv2.resize(gray, (round(gray.shape[1] * f), round(gray.shape[0] * f)),
                       interpolation=cv2.INTER_AREA)
    words = read_words(small, OCR_DPI, languages, psm=psm)
    return [Word(w.text, w.confidence, tuple(round(v / f) for v in w.box), w.line)  # type: ignore[arg-type]
            for w in words]


def _lines(words: list[Word]) -> list[str]:
    """Text lines in reading order, without the junk Tesseract makes of
    specks, rules and strokes (lines it is itself unsure of)."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    out: list[str] = []
    paragraph = None
    for key, parts in lines.items():
        numbered = any(NUMBER_SHAPE.search(w.text) for w in parts)  # ``ที่ ๓๗๕/๒๕๕๕``
        if _line_confidence(parts) < (MIN_NUMBER_LINE_CONFIDENCE if numbered
                                      else MIN_LINE_CONFIDENCE):
            continue
        line = clean_line(_join(sorted(parts, key=lambda w: w.box[0])))
        if not line:
            continue
        if paragraph is not None and key[:2] != paragraph and out and out[-1]:
            out.append("")  # paragraphs apart, as Tesseract's own text output
        paragraph = key[:2]
        out.append(line)
    return out


def _line_confidence(words: list[Word]) -> float:
    """Tesseract's median confidence in a line's words with letters or digits,
    or in their letters and digits each counted once if that is higher:
    specks read as punctuation, a lone tone mark or a letter beside
    ``ที่ ๓๗๕/๒๕๕๕`` sink neither the line nor the eight digits the model
    read as one word, and one long doubtful word (``กันยายน:``) does not sink
    a date whose day and year were read surely."""
    solid = [(w.confidence, sum(ch.isalnum() for ch in w.text)) for w in words]
    solid = [(c, n) for c, n in solid if n]
    if not solid:
        return float(np.median([w.confidence for w in words]))
    per_word = float(np.median([c for c, _ in solid]))
    per_character = float(np.median(np.repeat([c for c, _ in solid], [n for _, n in solid])))
    return max(per_word, per_character)


def _join(words: list[Word]) -> str:
    """Words of one line, spaced as on the page: a gap wider than three line
    heights is a column gap (as between ที่ and the office's address); on a
    letter-spaced line, where Tesseract gives one "word" per letter, a gap
    well above the usual one is a word gap (two spaces, which `clean_line`
    keeps while it closes the letter spacing)."""
    height = max(w.box[3] - w.box[1] for w in words)
    gaps = [b.box[0] - a.box[2] for a, b in zip(words, words[1:])]
    usual = float(np.median(gaps)) if gaps else 0.0
    parts = [words[0].text]
    for gap, word in zip(gaps, words[1:]):
        if gap > 3 * height:
            parts.append(COLUMN_GAP)
        elif gap > max(1.8 * usual, 0.3 * height):
            parts.append("  ")
        else:
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


def _fix_digits(words: list[Word], gray: np.ndarray, doubtful: list[str] | None = None) -> int:
    """Read digit spans again with the digit model and replace them, in place.

    A span is a run of neighbouring words on one line made only of digits
    and their separators (Tesseract cuts ``๐๔๐๔๙/ว๕๖๗๘`` into several words
    with loose boxes on letter-spaced type): their joint box is cut from the
    scan and read as one token. A word mixing digits and letters
    (``เขต1ได้รับ``) is read on its own and only its digit runs are replaced.
    Tesseract's sure readings that stand against other digits of the model's
    are added to `doubtful`.
    """
    model = digit_model()
    fixes = 0
    for span in _digit_spans(words):
        first = words[span[0]]
        box = _span_box([words[i] for i in span])
        crop = _crop(gray, box)
        glyphs = model.read(crop)
        read = "".join(words[i].text for i in span)
        repeated = False
        if len(span) == 1 and not SPAN_WORD.fullmatch(first.text):
            fixed = merge_digit_runs(first.text, glyphs)
        else:
            fixed = _span_text(glyphs)
            left, right = _clipped(glyphs, crop)
            repeated = fixed is not None and _repeats_neighbour(words, span, read, fixed, glyphs,
                                                                crop)
            sure = min(words[i].confidence for i in span) >= COUNT_TRUSTED
            if fixed is not None and not repeated and (left or right or (
                    sure and digit_count(fixed) < digit_count(read))):
                # Tesseract's narrow box clipped an end glyph (a ๐ cut in
                # half reads as a letter and is trimmed, or as another
                # digit): read wider once, on the clipped side when known
                # (else only for a count Tesseract is sure of: wider, a
                # letter beside the span may read as the digit it lacks).
                both, half = not (left or right), (box[3] - box[1]) // 2
                wide = (box[0] - half * (left or both), box[1],
                        box[2] + half * (right or both), box[3])
                wider = _span_text(model.read(_crop(gray, wide)))
                if wider is not None and (digit_count(wider) == digit_count(read) or (
                        not both and digit_count(wider) == digit_count(fixed))
                        or _letter_at_the_cut(fixed, wider, left, right)):
                    fixed = wider
        if fixed is None or fixed == read:
            continue
        if not repeated and tesseract_stands(read, fixed, min(words[i].confidence for i in span),
                                             doubtful):
            continue
        fixes += 1
        words[span[0]] = Word(fixed, FIXED_CONFIDENCE, box, first.line)
        for i in span[1:]:
            words[i] = Word("", words[i].confidence, words[i].box, words[i].line)
    words[:] = [w for w in words if w.text]
    return fixes


def _repeats_neighbour(words: list[Word], span: list[int], read: str, fixed: str,
                       glyphs: list[Glyph], crop: np.ndarray) -> bool:
    """True when Tesseract's reading of the span starts with what ends the
    nearest word before it (or ends with what starts the one after), the
    model read the box without it, and the model's glyphs fill the crop on
    that side (no room for a glyph it missed): Tesseract read on past the
    box. Tuning 500977 came back ``04065.`` then ``5.009/2582`` where the
    scan has ``04065.009/2582``, a speck (a vowel mark Tesseract saw in
    noise) between the two words. Inside a span the rule is not used: on
    letter-spaced type every digit is a word, and ``๕`` ``๕`` is two."""
    narrow = fixed.replace(" ", "")
    if not glyphs or len(narrow) >= len(read):
        return False
    first, last = words[span[0]], words[span[-1]]
    before = next((w for w in reversed(words[:span[0]]) if _solid(w)), None)
    after = next((w for w in words[span[-1] + 1:] if _solid(w)), None)
    room = 0.5 * float(np.median([g.cluster.height for g in glyphs]))
    end = round(crop.shape[1] * WORK_HEIGHT / crop.shape[0]) - max(g.cluster.x1 for g in glyphs)
    if (before is not None and before.line == first.line and glyphs[0].cluster.x0 <= room
            and _read_twice(before.text, read, before.text + narrow)):
        return True
    return (after is not None and after.line == last.line and end <= room
            and _read_twice(read, after.text, narrow + after.text))


def _read_twice(a: str, b: str, once: str) -> bool:
    """True when `once` is `a` and `b` joined with characters (a digit among
    them) that end `a` and start `b` kept only once."""
    return any(a.endswith(b[:k]) and any(ch in DIGITS for ch in b[:k]) and a + b[k:] == once
               for k in range(1, min(len(a), len(b)) + 1))


def _solid(word: Word) -> bool:
    """True for a word with a letter or digit in it (not a speck of marks)."""
    return any(ch.isalnum() for ch in word.text)


def _letter_at_the_cut(narrow: str, wider: str, left: bool, right: bool) -> bool:
    """True when the span read wider is the narrow reading without the glyph
    its crop cut on one side: read whole, that glyph was a letter (tuning
    500938: half the ธ of ศธ before ``04054/ว3895`` had read as a 3)."""
    narrow, wider = narrow.replace(" ", ""), wider.replace(" ", "")
    if left == right:
        return False
    return wider == (narrow[1:] if left else narrow[:-1])


def _span_box(words: list[Word]) -> tuple[int, int, int, int]:
    """The span's joint box, its top and bottom kept within a quarter of a
    word's height of the words' median ones: one box Tesseract stretched to
    the line's tone marks would shrink the crop's digits (and lose a dot)."""
    tops, bottoms = [w.box[1] for w in words], [w.box[3] for w in words]
    reach = 0.25 * float(np.median([b - t for t, b in zip(tops, bottoms)]))
    return (min(w.box[0] for w in words), max(min(tops), round(np.median(tops) - reach)),
            max(w.box[2] for w in words), min(max(bottoms), round(np.median(bottoms) + reach)))


def _clipped(glyphs: list[Glyph], crop: np.ndarray) -> tuple[bool, bool]:
    """Whether the first glyph touches the crop's left side and the last its
    right: the crop cut it there, and what the model made of the piece is
    not to be trusted."""
    if not glyphs or not crop.size:
        return False, False
    width = round(crop.shape[1] * WORK_HEIGHT / crop.shape[0])
    return glyphs[0].cluster.x0 <= 0, glyphs[-1].cluster.x1 >= width - 1


def _digit_spans(words: list[Word]) -> list[list[int]]:
    """Indexes of words forming digit spans (see `_fix_digits`)."""
    spans: list[list[int]] = []
    current: list[int] = []
    for i, word in enumerate(words):
        before = words[current[-1]] if current else None
        joins = (before is not None and SPAN_WORD.fullmatch(word.text)
                 and before.line == word.line
                 and word.box[0] - before.box[2]  # against the taller: a dot is short
                 < 0.9 * max(word.box[3] - word.box[1], before.box[3] - before.box[1]))
        if joins:
            current.append(i)
            continue
        if current:
            spans.append(current)
        current = [i] if SPAN_WORD.fullmatch(word.text) or DIGITISH.search(word.text) else []
    if current:
        spans.append(current)
    return [span for span in spans
            if any(DIGITISH.search(words[i].text) or CONFUSABLE & set(words[i].text)
                   for i in span)]


def _span_text(glyphs: list[Glyph]) -> str | None:
    """The model's reading of a digit span: letters bled in at its ends are
    dropped; a doubtful glyph, a letter inside, or an end too wide for one
    glyph (two digits blur joined) keeps Tesseract's reading."""
    digit_widths = [g.cluster.width for g in glyphs if g.label in DIGITS]
    widest = BLOB_WIDTH * float(np.median(digit_widths)) if digit_widths else np.inf
    while glyphs and glyphs[0].label == OTHER:
        if glyphs[0].cluster.width > widest:
            return None
        glyphs = glyphs[1:]
    while glyphs and glyphs[-1].label == OTHER:
        if glyphs[-1].cluster.width > widest:
            return None
        glyphs = glyphs[:-1]
    # ว belongs only right after the slash of a circular number (/ว๕๐๘);
    # elsewhere the glyph is the digit the model ranks highest (๐ on some type).
    glyphs = [
        Glyph(g.digit, g.confidence, g.cluster, g.digit, g.digit_confidence)
        if g.label == "ว" and (i == 0 or glyphs[i - 1].label != "/")
        and g.digit_confidence >= MIN_ALTERNATIVE
        else g
        for i, g in enumerate(glyphs)
    ]
    if not glyphs or any(g.label == OTHER or (g.label == "ว" and i == 0)
                         for i, g in enumerate(glyphs)):
        return None
    if min(g.confidence for g in glyphs) < MIN_DIGIT_CONFIDENCE:
        return None
    if not any(g.label in DIGITS for g in glyphs):
        return None
    height = float(np.median([g.cluster.height for g in glyphs]))
    out = [glyphs[0].label]
    for before, glyph in zip(glyphs, glyphs[1:]):
        if glyph.cluster.x0 - before.cluster.x1 > 0.6 * height:
            out.append(" ")  # a real space, as in ๐ ๕๔๙๘ ๕๕๑๓
        out.append(glyph.label)
    return "".join(out)


def _crop(gray: np.ndarray, box: tuple[int, int, int, int], side: int = 0) -> np.ndarray:
    """The word box with a margin: a little above and below, an eighth of the
    height at the sides (Tesseract's boxes on spaced type cut glyphs), or
    `side` pixels there when that is more."""
    x0, y0, x1, y1 = box
    pad = max(2, (y1 - y0) // 6)
    side = max(3, (y1 - y0) // 8, side)
    return gray[max(0, y0 - pad):y1 + pad, max(0, x0 - side):x1 + side]


def merge_digit_runs(text: str, glyphs: list[Glyph]) -> str:
    """Put the model's digit runs in place of Tesseract's, run for run.

    A run is digits with the separators between them (``/ . : - ,`` and the
    circular ``ว``). When both readings have the same number of runs, each of
    Tesseract's runs is replaced by the model's; otherwise Tesseract's
    reading is kept, since the two cannot be lined up safely.
    """
    runs = _model_runs(glyphs)
    if runs is None:
        return text
    spans = [m.span() for m in DIGITISH.finditer(text)]
    if not runs or len(runs) != len(spans):
        return text
    out, last = [], 0
    for (start, end), run in zip(spans, runs):
        out.append(text[last:start])
        out.append(run)
        last = end
    out.append(text[last:])
    return "".join(out)


def _model_runs(glyphs: list[Glyph]) -> list[str] | None:
    """The digit runs the model read; None if a digit in them is doubtful."""
    runs: list[str] = []
    current: list[Glyph] = []

    def close() -> bool:
        while current and current[-1].label not in DIGITS:
            current.pop()  # a run ends on a digit
        while current and current[0].label not in DIGITS:
            current.pop(0)
        if current:
            if min(g.confidence for g in current) < MIN_DIGIT_CONFIDENCE:
                return False
            runs.append("".join(g.label for g in current))
        current.clear()
        return True

    for glyph in glyphs:
        if glyph.label == OTHER:
            if not close():
                return None
        else:
            current.append(glyph)
    if not close():
        return None
    return runs


def _stamp_strip(zones: list[Zone], gray: np.ndarray, rgb: np.ndarray | None,
                 paper: int) -> tuple[np.ndarray | None, list[tuple[int, int]]]:
    """The stamps' crops stacked one under another, and each one's rows."""
    if not zones:
        return None, []
    crops = [_strip_frame(_stamp_ink(zone, gray, rgb)) for zone in zones]
    width = gray.shape[1]
    height = sum(c.shape[0] for c in crops) + STRIP_GAP * (len(crops) + 1)
    strip = np.full((height, width), paper, np.uint8)
    offsets = []
    y = STRIP_GAP
    for crop in crops:
        crop = crop[:, : width - STRIP_GAP]
        strip[y:y + crop.shape[0], STRIP_GAP:STRIP_GAP + crop.shape[1]] = crop
        offsets.append((y, y + crop.shape[0]))
        y += crop.shape[0] + STRIP_GAP
    return strip, offsets


def _stack(page: np.ndarray, strip: np.ndarray, paper: int) -> tuple[np.ndarray, int]:
    """The page with the strip below it after a gap, and the row where the strip starts."""
    gap = np.full((STRIP_GAP * 2, page.shape[1]), paper, np.uint8)
    return np.vstack([page, gap, strip]), page.shape[0] + gap.shape[0]


def _stamp_lines(zones: list[Zone], words: list[Word],
                 offsets: list[tuple[int, int]]) -> list[StampReading]:
    """Give each line read on the strip back to the stamp it lies in."""
    readings = [StampReading(zone, []) for zone in zones]
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    for line_words in by_line.values():
        middle = sum((w.box[1] + w.box[3]) / 2 for w in line_words) / len(line_words)
        # the crop the line's middle is in, or the nearest within the gap around it
        away, nearest = min((max(top - middle, middle - bottom, 0.0), i)
                            for i, (top, bottom) in enumerate(offsets))
        text = clean_line(" ".join(w.text for w in line_words))
        if away <= STRIP_GAP and text:
            readings[nearest].lines.append(text)
    return readings


def _stamp_ink(zone: Zone, gray: np.ndarray, rgb: np.ndarray | None) -> np.ndarray:
    """A stamp's crop in grey; for a coloured stamp, the channel where its ink
    is darkest, so faint blue or red strokes keep their contrast."""
    if zone.coloured and rgb is not None:
        crop = rgb[zone.y0:zone.y1, zone.x0:zone.x1]
        ink = colour_mask(crop)
        if ink.any():
            channel = int(np.argmin(crop[ink].mean(axis=0)))
            return np.ascontiguousarray(crop[..., channel])
    return gray[zone.y0:zone.y1, zone.x0:zone.x1]


def _strip_frame(crop: np.ndarray) -> np.ndarray:
    """Paint out a stamp's frame (long straight lines) so Tesseract reads only its text."""
    if crop.size == 0:
        return crop
    height, width = crop.shape
    paper = paper_level(crop)
    dark = (crop < paper * 0.7).astype(np.uint8)
    lines = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, max(8, width // 2)), np.uint8))
    upright = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((max(8, height * 2 // 3), 1), np.uint8))
    # A frame's sides are at the crop's edges; a tall stroke inside it is a
    # letter's (the stem of ล in a tightly cropped ลับ), not a frame.
    edge = max(4, width * FRAME_EDGE // 100)
    upright[:, edge:width - edge] = 0
    lines = cv2.dilate(lines | upright, np.ones((5, 5), np.uint8))
    out = crop.copy()
    out[lines > 0] = paper
    return out
