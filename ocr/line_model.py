"""A second digit reader that reads a whole line band at once (CRNN + CTC).

The glyph reader (`ocr.digit_model`) names one ink cluster at a time, so it
depends on cutting the line into glyphs: digits that blur fused into one
blob, a ``๗`` whose tail touches the next digit, or a glyph broken in two
must each be mended by a rule. This reader needs no cutting: a small
convolutional network turns a line band (scaled to `HEIGHT` pixels) into a
sequence of feature columns, a bidirectional LSTM reads them in both
directions, and each column gets a probability for every symbol of
`ALPHABET` and for "nothing here" (CTC's blank). Best-path decoding gives
the line's symbols: Thai and Arabic digits, the separators of numbers and
dates, ``ว`` and ``#`` for any other letter, each with the columns it was
read at and how surely.

Trained by `scripts/train_line_model.py` on lines it renders from Debian's
TLWG fonts; pure numpy at run time, the weights (`models/digit_lines.npz`)
ship with the project and nothing is downloaded.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

MODEL_PATH = Path(__file__).parent / "models" / "digit_lines.npz"
#: The band's height after scaling; every column of the output covers `STRIDE` of its pixels.
HEIGHT = 40
STRIDE = 4
LETTER = "#"
ALPHABET: tuple[str, ...] = (*"๐๑๒๓๔๕๖๗๘๙0123456789/.:-,ว", LETTER)
BLANK = len(ALPHABET)  # the last output column is CTC's blank
_KEPT = frozenset(ALPHABET) - {LETTER}


def label_text(text: str) -> str:
    """`text` in the reader's alphabet: one symbol per printed cluster (a base
    character with its marks), digits and separators as they are, any other
    letter `LETTER`, spaces dropped."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isspace() or unicodedata.category(ch) == "Mn":
            continue
        out.append(ch if ch in _KEPT else LETTER)
    return "".join(out)


def normalise(gray: np.ndarray) -> np.ndarray:
    """A grey crop (paper light) as the network sees it: `HEIGHT` rows, the
    width scaled alike, ink 1 and paper 0 by the crop's own levels."""
    h, w = gray.shape
    width = max(STRIDE, round(w * HEIGHT / h))
    scaled = cv2.resize(gray, (width, HEIGHT), interpolation=cv2.INTER_AREA if h > HEIGHT
                        else cv2.INTER_LINEAR).astype(np.float32)
    paper = float(np.percentile(scaled, 90))
    ink = float(np.percentile(scaled, 1))
    span = max(paper - ink, 24.0)
    return np.clip((paper - scaled) / span, 0.0, 1.0)


@dataclass(frozen=True)
class Symbol:
    """One symbol of the best path: the columns it spans in the normalised
    band (in its pixels) and its probability where it peaked."""

    text: str
    x0: float
    x1: float
    confidence: float


class LineModel:
    """The trained network, in numpy: a normalised band in, symbols out."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        with np.load(path) as data:
            self.w = {k: data[k] for k in data.files}
        if tuple(str(a) for a in self.w["alphabet"]) != ALPHABET:
            raise ValueError(f"{path} was trained for another alphabet: {self.w['alphabet']}")
        self.convs = int(self.w["convs"])
        self.pools = [tuple(int(v) for v in p) for p in self.w["pools"]]

    def probabilities(self, band: np.ndarray) -> np.ndarray:
        """Per output column, the probability of each symbol and the blank."""
        x = band[None]  # channels, rows, columns
        for i in range(self.convs):
            x = _conv(x, self.w[f"c{i}_w"], self.w[f"c{i}_b"])
            np.maximum(x, 0, out=x)
            ph, pw = self.pools[i]
            if ph > 1 or pw > 1:
                x = _pool(x, ph, pw)
        seq = x.reshape(-1, x.shape[-1]).T  # columns, features
        out = np.concatenate([_lstm(seq, self.w, "f"), _lstm(seq[::-1], self.w, "b")[::-1]],
                             axis=1)
        logits = out @ self.w["fc_w"].T + self.w["fc_b"]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def read(self, gray: np.ndarray) -> list[Symbol]:
        """The symbols of a grey line band, best path, left to right."""
        read = self.read_band(gray)
        return read[1] if read else []

    def read_band(self, gray: np.ndarray) -> tuple[np.ndarray, list[Symbol]] | None:
        """The per-column probabilities of a grey line band and its best path,
        or None for a band too narrow to read (under four output columns)."""
        if not gray.size:
            return None
        band = normalise(gray)
        if band.shape[1] < 4 * STRIDE:
            return None
        p = self.probabilities(band)
        return p, decode(p)


def decode(p: np.ndarray) -> list[Symbol]:
    """Best-path CTC decoding with each symbol's columns and peak probability."""
    best = p.argmax(axis=1)
    symbols: list[Symbol] = []
    t = 0
    while t < len(best):
        k = best[t]
        if k == BLANK:
            t += 1
            continue
        end = t
        while end + 1 < len(best) and best[end + 1] == k:
            end += 1
        sure = float(p[t:end + 1, k].max())
        symbols.append(Symbol(ALPHABET[k], t * STRIDE, (end + 1) * STRIDE, sure))
        t = end + 1
    return symbols


def _conv(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A 'same'-padded 2-D convolution (batch norm folded into `w` and `b`) as
    one matrix product: the input's shifted copies stacked (im2col)."""
    out_c, in_c, kh, kw = w.shape
    _, rows, cols = x.shape
    padded = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2)))
    stack = np.empty((kh * kw, in_c, rows, cols), np.float32)
    for dy in range(kh):
        for dx in range(kw):
            stack[dy * kw + dx] = padded[:, dy:dy + rows, dx:dx + cols]
    flat = w.transpose(0, 2, 3, 1).reshape(out_c, kh * kw * in_c)
    out = flat @ stack.reshape(kh * kw * in_c, rows * cols)
    return (out + b[:, None]).reshape(out_c, rows, cols)


def _pool(x: np.ndarray, ph: int, pw: int) -> np.ndarray:
    """Max pooling over `ph` × `pw` cells (a ragged edge dropped, as PyTorch does)."""
    _, h, w = x.shape
    h, w = h // ph * ph, w // pw * pw
    out = x[:, 0:h:ph, 0:w:pw]
    for dy in range(ph):
        for dx in range(pw):
            if dy or dx:
                out = np.maximum(out, x[:, dy:h:ph, dx:w:pw])
    return out


def _lstm(seq: np.ndarray, w: dict[str, np.ndarray], side: str) -> np.ndarray:
    """One direction of the LSTM (PyTorch's gate order: input, forget, cell, output)."""
    wi, wh, b = w[f"l{side}_wi"], w[f"l{side}_wh"], w[f"l{side}_b"]
    size = wh.shape[1]
    gates_in = seq @ wi.T + b
    h = np.zeros(size, np.float32)
    c = np.zeros(size, np.float32)
    out = np.empty((len(seq), size), np.float32)
    for t in range(len(seq)):
        g = gates_in[t] + wh @ h
        gate = _sigmoid(g)  # the cell's input (the third quarter) is tanh'd instead
        c = gate[size:2 * size] * c + gate[:size] * np.tanh(g[2 * size:3 * size])
        h = gate[3 * size:] * np.tanh(c)
        out[t] = h
    return out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> LineModel:
    return LineModel()


def line_model() -> LineModel:
    """The shipped model, loaded once per process."""
    with _LOCK:
        return _model()


def log_likelihood(p: np.ndarray, text: str) -> float:
    """log P(`text` | the band) under CTC: every path of columns that reads
    `text` (blanks between, repeats merged), summed (the forward algorithm)."""
    labels = [ALPHABET.index(ch) for ch in text]
    ext = np.full(2 * len(labels) + 1, BLANK)
    ext[1::2] = labels
    logp = np.log(np.maximum(p, 1e-30))
    n = len(ext)
    # a path may skip a blank between two different symbols
    skip = np.zeros(n, bool)
    skip[3::2] = ext[3::2] != ext[1:-2:2]
    alpha = np.full(n, -np.inf)
    alpha[0] = logp[0, ext[0]]
    if n > 1:
        alpha[1] = logp[0, ext[1]]
    for t in range(1, len(p)):
        prev1 = np.concatenate(([-np.inf], alpha[:-1]))
        prev2 = np.where(skip, np.concatenate(([-np.inf, -np.inf], alpha[:-2])), -np.inf)
        alpha = np.logaddexp(np.logaddexp(alpha, prev1), prev2) + logp[t, ext]
    return float(np.logaddexp(alpha[-1], alpha[-2]) if n > 1 else alpha[-1])
