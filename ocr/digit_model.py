"""The project's own reader for digits in Thai letters.

Tesseract's Thai model has no ๔ ๖ ๗ ๘ ๙ (nor ำ) in its character set, so a
letter number such as ``ศธ ๐๔๐๔๙/ว๕๖๗๘`` comes back wrong. This module reads
number tokens itself: a word crop is cut into glyph clusters
(`ocr.glyphs`), and a small multilayer perceptron — trained by
`scripts/train_digit_model.py` on glyphs rendered from Debian's TLWG fonts —
names each cluster: a Thai or Arabic digit, ``/ . : - ,``, ``ว`` (circular
letters) or "other" (any other letter). Pure numpy at run time; the weights
ship in `ocr/models/thai_digits.npz`, nothing is downloaded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from ocr.glyphs import Cluster, features, segment, split

MODEL_PATH = Path(__file__).parent / "models" / "thai_digits.npz"
OTHER = "other"
LABELS: tuple[str, ...] = (*"๐๑๒๓๔๕๖๗๘๙0123456789/.:-,ว", OTHER)
DIGITS = frozenset("๐๑๒๓๔๕๖๗๘๙0123456789")
DIGIT_COUNT = 20  # LABELS starts with the Thai, then the Arabic digits
#: A cluster read below this is tried as two fused glyphs.
SPLIT_BELOW = 0.8
#: Tesseract's Thai model has Arabic digits in its character set and reads
#: them well: an Arabic number it read at least this surely is not changed
#: into another of the same length or shorter.
ARABIC_TRUSTED = 80.0
_ARABIC_NUMBER = frozenset("0123456789/.:-,ว")


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
        for glyph in glyphs:
            out.extend(self._maybe_split(glyph, clusters))
        return out

    def _classify(self, clusters: list[Cluster], context: list[Cluster] | None = None) -> list[Glyph]:
        # Relative size features use the whole token as reference.
        rows = features(context + clusters if context else clusters)
        probs = self.probabilities(rows)[len(context) if context else 0 :]
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


def digit_count(text: str) -> int:
    """How many Thai and Arabic digits `text` holds."""
    return sum(ch in DIGITS for ch in text)


def keeps_tesseract(read: str, model: str, confidence: float) -> bool:
    """True when Tesseract's Arabic-digit reading `read` should stand against
    the model's `model`: both Arabic digits and separators, the model's no
    longer, and Tesseract sure of it (``2557`` is not turned into ``2558``,
    nor ``04171/ว179`` into ``4171/ว179`` when the model took the 0 with the
    letter before it). A longer reading is the model's: Tesseract lost a digit."""
    model = model.replace(" ", "")
    return (confidence >= ARABIC_TRUSTED and len(model) <= len(read)
            and set(read) <= _ARABIC_NUMBER and set(model) <= _ARABIC_NUMBER)


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
