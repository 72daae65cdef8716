"""The project's own reader for digits in Thai letters.

Tesseract's Thai model has no ๔ ๖ ๗ ๘ ๙ (nor ำ) in its character set, so a
letter number such as ``ศธ ๐๔๐๔๙/ว๕๖๗๘`` comes back wrong. This module reads
number tokens itself: a word crop is cut into glyph clusters
(`ocr.glyphs`), and a small multilayer perceptron — trained by
`scripts/train_digit_model.py` on glyphs rendered from Debian's TLWG fonts —
names each cluster: a Thai or Arabic digit, ``/ . : - ,``, ``ว`` (circular
letters) or "other" (any other letter). Scans bend the one-glyph-per-cluster
rule both ways, and the reader mends both: a wide "other" beside a digit is
tried at every cut as two digits blur fused (``๔๒``), and overlapping pieces
are read together as the one digit noise broke (``๒``). Pure numpy at run
time; the weights ship in `ocr/models/thai_digits.npz`, nothing is downloaded.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from ocr.glyphs import Cluster, cut_along, cut_at, features, ink_paths, join, segment, split
from schemas.text import THAI_DIGITS, to_arabic_digits

MODEL_PATH = Path(__file__).parent / "models" / "thai_digits.npz"
OTHER = "other"
LABELS: tuple[str, ...] = (*"๐๑๒๓๔๕๖๗๘๙0123456789/.:-,ว", OTHER)
DIGITS = frozenset("๐๑๒๓๔๕๖๗๘๙0123456789")
ZEROS = frozenset("0๐")
#: A digit that reads as another when the stroke it ends with is cut off.
TAILLESS = {"๓": "๗"}
DIGIT_COUNT = 20  # LABELS starts with the Thai, then the Arabic digits
#: A cluster read below this is tried as two fused glyphs.
SPLIT_BELOW = 0.8
#: A cluster at least this many times as wide as it is tall, read "other"
#: beside a digit, is tried as two digits blur has fused (``๔๒``).
FUSED_PAIR_WIDTH = 1.1
#: Both halves of such a pair must be read at least this surely.
FUSED_PAIR_SURE = 0.95
#: A piece narrower than this share of the token's usual digit is a sliver.
BROKEN_SLIVER = 0.5
#: Two pieces mended into one glyph are no wider than this many usual digits.
BROKEN_WIDEST = 1.2
#: Pieces apart by at most this share of their height, each narrower than
#: `BROKEN_ARC` usual digits, are tried as one glyph too (a serif 0's sides).
BROKEN_GAP = 0.1
BROKEN_ARC = 0.7
#: Where a cut may fall, as shares of the cluster's width.
CUT_RANGE = (0.2, 0.8)
#: Tesseract's Thai model has Arabic digits in its character set and reads
#: them well: an Arabic number it read at least this surely is not changed
#: into another of the same length or shorter.
ARABIC_TRUSTED = 80.0
#: What a number holds besides digits; Tesseract reads some as digits (``/`` as ``1``).
SEPARATORS = frozenset("/.:-,ว")
_ARABIC_NUMBER = frozenset("0123456789") | SEPARATORS


@dataclass(frozen=True)
class Glyph:
    """One read cluster: its label, the model's probability, its box."""

    label: str
    confidence: float
    cluster: Cluster
    digit: str = ""  # the most likely digit, whatever the label
    digit_confidence: float = 0.0


class DigitModel:
    """The trained perceptron: features in, label probabilities out."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        with np.load(path) as data:
            self.layers = [(data[f"w{i}"], data[f"b{i}"]) for i in range(data["depth"].item())]
            self.mean = data["mean"]
            self.scale = data["scale"]
            labels = tuple(str(x) for x in data["labels"])
        if labels != LABELS:
            raise ValueError(f"{path} was trained for other labels: {labels}")

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """Softmax over LABELS for each feature row.

        In float32, the weights' own type: float64 rows would make numpy convert
        the weights on every call and hand the product to threaded BLAS, about
        thirty times slower for the few rows of one token.
        """
        x = (rows.astype(np.float32, copy=False) - self.mean) / self.scale
        for i, (w, b) in enumerate(self.layers):
            x = x @ w + b
            if i < len(self.layers) - 1:
                np.maximum(x, 0, out=x)
        x -= x.max(axis=1, keepdims=True)
        np.exp(x, out=x)
        return x / x.sum(axis=1, keepdims=True)

    def read(self, gray: np.ndarray) -> list[Glyph]:
        """Read every glyph cluster of a grey word crop, left to right."""
        clusters = segment(gray)
        if not clusters:
            return []
        glyphs = self._classify(clusters)
        out: list[Glyph] = []
        for i, glyph in enumerate(glyphs):
            pair = self._fused_pair(glyphs, i, clusters)
            out.extend(pair or self._maybe_split(glyph, clusters))
        if len(out) != len(glyphs):  # a cut pair (``/๒``) may be the sure neighbour another needs
            again = [self._fused_pair(out, i, clusters) or [g] for i, g in enumerate(out)]
            out = [g for part in again for g in part]
        return self._mend_broken(self._arc_on_pair(out, clusters), clusters)

    def _arc_on_pair(self, glyphs: list[Glyph], token: list[Cluster]) -> list[Glyph]:
        """A narrow doubtful piece a hairline from a wide "other": a serif
        ``0`` the scan broke into its sides, the far side touching the digit
        beyond (``04``, tuning 500921). Joined, the two are cut as a fused
        pair (`_fused_pair`, digits of the neighbour's script only) whose
        glyph on the piece's side is a zero: other pieces are a letter's
        (บ of เว็บไซต์ read ``๙๗``, tuning 500964)."""
        usual = _usual_width(glyphs)
        out = list(glyphs)
        for i in range(len(glyphs) - 1):
            a, b = out[i], out[i + 1]
            arc, wide = sorted((a, b), key=lambda g: g.cluster.width)
            if (usual and _hairline(a, b) and all(_doubtful(g) for g in (a, b))
                    and wide.label == OTHER and arc.cluster.width < BROKEN_ARC * usual):
                context = [t for t in token if t is not a.cluster and t is not b.cluster]
                (whole,) = self._classify([join(a.cluster, b.cluster)], context)
                pair = self._fused_pair([*out[:i], whole, *out[i + 2:]], i, token, same_script=True)
                if pair is not None and pair[0 if arc is a else 1].label in ZEROS:
                    out[i:i + 2] = pair
        return out

    def _mend_broken(self, glyphs: list[Glyph], token: list[Cluster]) -> list[Glyph]:
        """Neighbours overlapping in x, one a doubtful piece or a sliver
        under half the token's usual digit, are read as one glyph when
        together they are no wider than a digit and read as one surely:
        noise broke a ``๒`` into its loop and its tail. So are two doubtful
        narrow pieces a hairline apart (`_arcs`)."""
        usual = _usual_width(glyphs)
        if not usual:
            return glyphs
        out: list[Glyph] = []
        for glyph in glyphs:
            if out and (glyph.cluster.x0 < out[-1].cluster.x1
                        or self._arcs(out[-1], glyph, usual)):
                a, b = out[-1], glyph
                piece = any(_doubtful(g)
                            or (g.label in DIGITS and g.cluster.width < BROKEN_SLIVER * usual)
                            for g in (a, b))  # a sure ``.`` or ``/`` is a glyph of its own
                whole = join(a.cluster, b.cluster) if piece else None
                if whole is not None and whole.width <= BROKEN_WIDEST * usual:
                    context = [t for t in token if t is not a.cluster and t is not b.cluster]
                    (read,) = self._classify([whole], context)
                    if read.label in DIGITS and read.confidence >= FUSED_PAIR_SURE:
                        out[-1] = read
                        continue
            out.append(glyph)
        return out

    @staticmethod
    def _arcs(a: Glyph, b: Glyph, usual: float) -> bool:
        """True for two doubtful narrow pieces side by side with a hairline gap:
        the two sides of a serif ``0`` whose thin top and bottom the scan lost."""
        return _hairline(a, b) and all(_doubtful(g) and g.cluster.width < BROKEN_ARC * usual
                                       for g in (a, b))

    def _fused_pair(self, glyphs: list[Glyph], i: int, token: list[Cluster],
                    same_script: bool = False) -> list[Glyph] | None:
        """Glyph `i` cut into two digits (or a digit and a mark) where both
        halves read surest, when it is a wide "other" right beside a sure
        digit or just before a sure slash (``๓๗/``); None otherwise. Blur
        fuses neighbouring digits at odd places, so every cut in `CUT_RANGE`
        is tried, not only the thinnest column, both straight down and along
        the path through the least ink (`ink_paths`: a ``๗`` whose end
        reaches over the ``๓`` beside it). A path cuts more freely, so its
        digits must be of the script of the sure digit beside them: Garuda's
        ``ณ`` cut so reads ``1๖``, and no number mixes the two; with
        `same_script`, a straight cut's must too."""
        c = glyphs[i].cluster
        if glyphs[i].label != OTHER or c.width < FUSED_PAIR_WIDTH * c.height:
            return None
        before = glyphs[i - 1] if i else None
        after = glyphs[i + 1] if i + 1 < len(glyphs) else None
        near = [g for g in (before, after)
                if g is not None and (g.label in DIGITS or (g is after and g.label == "/"))
                and g.confidence >= SPLIT_BELOW
                and max(g.cluster.x0 - c.x1, c.x0 - g.cluster.x1) <= 0.6 * c.height]
        if not near:
            return None
        context = [t for t in token if t is not c]
        script = {g.label in THAI_DIGITS for g in near if g.label in DIGITS}
        readings: list[list[Glyph]] = []
        for straight, parts in _cuts(c):
            halves = self._classify(list(parts), context)
            scripts = script | {h.label in THAI_DIGITS for h in halves if h.label in DIGITS}
            if (OTHER not in (halves[0].label, halves[1].label)
                    and min(h.confidence for h in halves) >= FUSED_PAIR_SURE
                    and any(h.label in DIGITS for h in halves)
                    and ((straight and not same_script) or len(scripts) == 1)):
                readings.append(halves)
        return _surest_whole(readings)

    def _classify(self, clusters: list[Cluster], context: list[Cluster] | None = None) -> list[Glyph]:
        # Relative size features use the whole token as reference.
        probs = self.probabilities(features(clusters, context))
        best = probs.argmax(axis=1)
        digit = probs[:, :DIGIT_COUNT].argmax(axis=1)
        return [
            Glyph(LABELS[best[i]], float(probs[i, best[i]]), c, LABELS[digit[i]],
                  float(probs[i, digit[i]]))
            for i, c in enumerate(clusters)
        ]

    def _maybe_split(self, glyph: Glyph, token: list[Cluster], depth: int = 0) -> list[Glyph]:
        c = glyph.cluster
        fused = glyph.label == OTHER and c.width >= 1.1 * c.height
        if (glyph.confidence >= SPLIT_BELOW and not fused) or depth >= 2 \
                or c.width < 0.9 * c.height:
            return [glyph]
        parts = split(c)
        if parts is None:
            return [glyph]
        context = [t for t in token if t is not c]
        left, right = self._classify(list(parts), context)
        if fused:
            if OTHER in (left.label, right.label) or min(left.confidence,
                                                          right.confidence) < SPLIT_BELOW:
                return [glyph]
        elif min(left.confidence, right.confidence) <= glyph.confidence:
            return [glyph]
        return [
            *self._maybe_split(left, token, depth + 1),
            *self._maybe_split(right, token, depth + 1),
        ]


def _surest_whole(readings: list[list[Glyph]]) -> list[Glyph] | None:
    """The pair read surest; but where another as sure (to two decimals)
    reads the same right glyph after a ``๗`` where this one has ``๓``, that
    one: ``๗`` is ``๓`` with a tail rising at its right, and where the tail
    touches the next digit the cut before it reads ``๓`` and the next digit
    (with the tail) as surely as the cut after it reads the truth (Garuda
    ``๑๗๒``, tuning 501056)."""
    if not readings:
        return None
    sure = [min(h.confidence for h in r) for r in readings]
    best = readings[sure.index(max(sure))]
    if best[0].label in TAILLESS:
        level = round(max(sure), 2)
        best = next((r for r, s in zip(readings, sure) if round(s, 2) == level
                     and r[0].label == TAILLESS[best[0].label] and r[1].label == best[1].label),
                    best)
    return best


def _usual_width(glyphs: list[Glyph]) -> float:
    """The median width of the surely read digits (0.0 when there are none)."""
    widths = [g.cluster.width for g in glyphs if g.label in DIGITS and g.confidence >= SPLIT_BELOW]
    return float(np.median(widths)) if widths else 0.0


def _doubtful(glyph: Glyph) -> bool:
    """True for a glyph read as no digit or mark, or not surely."""
    return glyph.label == OTHER or glyph.confidence < SPLIT_BELOW


def _hairline(a: Glyph, b: Glyph) -> bool:
    """True when `b` starts at most `BROKEN_GAP` of the taller's height after `a` ends."""
    return b.cluster.x0 - a.cluster.x1 <= BROKEN_GAP * max(a.cluster.height, b.cluster.height)


def _cuts(c: Cluster) -> Iterator[tuple[bool, tuple[Cluster, Cluster]]]:
    """`c` cut in two at every column of `CUT_RANGE`, straight down (True)
    and along the path through the least ink from there (False; a path
    several starts share is tried once)."""
    starts = np.arange(int(c.width * CUT_RANGE[0]), int(c.width * CUT_RANGE[1]) + 1)
    paths = ink_paths(c, starts)
    seen: set[bytes] = set()
    for start, path in zip(starts, paths):
        parts = cut_at(c, int(start))
        if parts is not None:
            yield True, parts
        key = path.tobytes()
        if key not in seen:
            seen.add(key)
            parts = cut_along(c, path)
            if parts is not None:
                yield False, parts


def digit_count(text: str) -> int:
    """How many Thai and Arabic digits `text` holds."""
    return sum(ch in DIGITS for ch in text)


def keeps_tesseract(read: str, model: str, confidence: float) -> bool:
    """True when Tesseract's Arabic-digit reading `read` should stand against
    the model's `model`: both Arabic digits and separators, the model's no
    longer, and Tesseract sure of it (``2557`` is not turned into ``2558``,
    nor ``04171/ว179`` into ``4171/ว179`` when the model took the 0 with the
    letter before it). The model's reading wins when it is longer (Tesseract
    lost a digit) or has a slash Tesseract read as a digit (``161/2558`` for
    ``16172558``); Tesseract's stands against one mixing Thai digits into
    Arabic ones (``1 ๔``: the ธ of the month beside the day read as ๔), as no
    number is printed so."""
    model = model.replace(" ", "")
    if confidence < ARABIC_TRUSTED or not set(read) <= _ARABIC_NUMBER:
        return False
    if model.count("/") > read.count("/"):
        return False  # Tesseract reads a slash as ``7`` or ``1`` (``16172558``)
    if set(model) <= _ARABIC_NUMBER:
        return len(model) <= len(read)
    return any(ch in _ARABIC_NUMBER and ch.isdigit() for ch in model)


def tesseract_stands(read: str, model: str, confidence: float,
                     doubtful: list[str] | None) -> bool:
    """`keeps_tesseract`; when Tesseract's reading stands against other digits of
    the model's (`_disagrees`), `read` is added to `doubtful` too, and when the
    model's reading wins with fewer digits than Tesseract's Arabic one
    (`_fewer`: ``6`` for an unsure ``16``, the faint ``1`` unseen), `model` is."""
    if not keeps_tesseract(read, model, confidence):
        if doubtful is not None and _fewer(model, read):
            doubtful.append(model)
        return False
    if doubtful is not None and _disagrees(read, model):
        doubtful.append(read)
    return True


def _disagrees(read: str, model: str) -> bool:
    """True when the model read the same number of digits as `read` but other
    ones (``12`` where Tesseract surely read ``19``): whichever stands, the
    number is in doubt."""
    ours, theirs = (to_arabic_digits(re.sub(r"\D", "", t)) for t in (read, model))
    return len(ours) == len(theirs) and ours != theirs


def _fewer(model: str, read: str) -> bool:
    """True when `model` holds fewer digits than Tesseract's Arabic `read`,
    beyond the separators of the model's that Tesseract read as digits (the
    slash as ``1``, the ว of ``/ว`` as ``9``); a Thai `read` says nothing:
    Tesseract's model lacks half the Thai digits."""
    extra = sum(max(0, model.count(mark) - read.count(mark)) for mark in SEPARATORS)
    return set(read) <= _ARABIC_NUMBER and 0 < digit_count(model) < digit_count(read) - extra


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> DigitModel:
    # One BLAS thread: intake reads one file per core, and the model's few rows
    # at a time cost more in waking threads than in arithmetic.
    threadpool_limits(limits=1, user_api="blas")
    return DigitModel()


def digit_model() -> DigitModel:
    """The shipped model, loaded once per process."""
    with _lock:
        return _model()
