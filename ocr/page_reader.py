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
   cannot read ๔ ๖ ๗ ๘ ๙.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from ocr.clean import clean_line
from ocr.digit_model import DIGITS, OTHER, Glyph, digit_model
from ocr.layout import Zone, colour_mask, find_zones, paper_level
from ocr.tesseract import Word, read_words

#: Characters Tesseract puts where a digit is printed (Thai digits it lacks
#: come out as other digits or these).
DIGITISH = re.compile(r"[0-9๐-๙][0-9๐-๙/.:,\-ว]*[0-9๐-๙]|[0-9๐-๙]")
#: A digit read below this probability keeps Tesseract's reading.
MIN_DIGIT_CONFIDENCE = 0.6
#: Body lines Tesseract reads with a lower mean confidence are junk
#: (measured: real lines 80–95, specks and signature strokes 40–60).
MIN_LINE_CONFIDENCE = 66
STRIP_GAP = 40
COLUMN_GAP = "     "
BODY_PSM = int(__import__("os").environ.get("SARABAN_BODY_PSM", "4"))  # pixels of paper between stacked stamp crops


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
    page_height = body.shape[0]
    if strip is not None:
        body = _stack(body, strip, paper)
    words = read_words(body, dpi, languages, psm=BODY_PSM)
    fixes = _fix_digits(words, body)
    page_words = [w for w in words if w.box[1] < page_height]
    stamp_words = [w for w in words if w.box[1] >= page_height]
    lines = _lines(page_words)
    stamps = _stamp_lines(stamp_zones, stamp_words, [(a + page_height, b + page_height)
                                                     for a, b in offsets])
    return PageReading(lines=lines, stamps=stamps, digit_fixes=fixes,
                       seconds=time.perf_counter() - started)


def _lines(words: list[Word]) -> list[str]:
    """Text lines in reading order, without the junk Tesseract makes of
    specks, rules and strokes (lines it is itself unsure of)."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    out = []
    for parts in lines.values():
        if sum(w.confidence for w in parts) / len(parts) < MIN_LINE_CONFIDENCE:
            continue
        line = clean_line(_join(sorted(parts, key=lambda w: w.box[0])))
        if line:
            out.append(line)
    return out


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


def _fix_digits(words: list[Word], gray: np.ndarray) -> int:
    """Replace Tesseract's digit runs with the digit model's reading, in place."""
    model = digit_model()
    fixes = 0
    for index, word in enumerate(words):
        if not DIGITISH.search(word.text):
            continue
        glyphs = model.read(_crop(gray, word.box))
        fixed = merge_digit_runs(word.text, glyphs)
        if fixed != word.text:
            words[index] = Word(fixed, word.confidence, word.box, word.line)
            fixes += 1
    return fixes


def _crop(gray: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    pad = max(2, (y1 - y0) // 6)
    return gray[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad]


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


def _stack(page: np.ndarray, strip: np.ndarray, paper: int) -> np.ndarray:
    gap = np.full((STRIP_GAP * 2, page.shape[1]), paper, np.uint8)
    return np.vstack([page, gap, strip])


def _stamp_lines(zones: list[Zone], words: list[Word],
                 offsets: list[tuple[int, int]]) -> list[StampReading]:
    """Give each line read on the strip back to the stamp it lies in."""
    readings = [StampReading(zone, []) for zone in zones]
    by_line: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    for line_words in by_line.values():
        middle = sum((w.box[1] + w.box[3]) / 2 for w in line_words) / len(line_words)
        for reading, (top, bottom) in zip(readings, offsets):
            if top - STRIP_GAP <= middle <= bottom + STRIP_GAP:
                text = clean_line(" ".join(w.text for w in line_words))
                if text:
                    reading.lines.append(text)
                break
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
    lines |= cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((max(8, height * 2 // 3), 1), np.uint8))
    lines = cv2.dilate(lines, np.ones((5, 5), np.uint8))
    out = crop.copy()
    out[lines > 0] = paper
    return out
