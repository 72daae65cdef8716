"""Cut a word image into glyph clusters and describe each for the digit model.

Used at run time on the crops of words that hold digits, and by the training
script on rendered tokens — the same code both ways, so the model sees at
training exactly what it will see on a scan.

A glyph cluster is one or more connected components that overlap in x: a
Thai consonant with a vowel or tone mark that reaches into its body, a
digit, a slash. What lies wholly above or below the type (tone marks, ุ, ู,
the marks of the lines above and below) is left out, as no digit has any.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: Side of the square a cluster is resampled to.
CELL = 24
#: Scalar features appended to the pixels (see `features`).
EXTRA = 5
FEATURES = CELL * CELL + EXTRA
#: Word crops are scaled so that this many pixels make the token's height.
WORK_HEIGHT = 64
#: A cluster reaching lower than this share of the crop's height below the
#: type's bottom is cut there, when its ink below is narrower than
#: `TAIL_WIDTH` of its width (see `_clip_tails`).
TAIL_MARGIN = 0.06
TAIL_WIDTH = 0.4
#: An `ink_paths` path pays this much ink a row for each column it strays from its start.
PATH_DRIFT = 0.15
#: Where an `ink_paths` row's column came from: the same, one left, one right.
_STEPS = np.array([0, -1, 1], dtype=np.int8)


@dataclass(frozen=True)
class Cluster:
    """One glyph cluster inside a word crop (work-scale pixel coordinates)."""

    x0: int
    y0: int
    x1: int
    y1: int
    mask: np.ndarray  # bool, (y1 - y0, x1 - x0)

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


def smoothed(gray: np.ndarray) -> np.ndarray:
    """The crop lightly smoothed (3×3 Gaussian), as ink is judged on it."""
    return cv2.GaussianBlur(gray, (3, 3), 0)


def ink_level(smooth: np.ndarray) -> float:
    """Otsu's grey level between ink and paper of a `smoothed` crop: grey at
    or below it is ink."""
    level, _ = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return level


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink as True: Otsu on a lightly smoothed crop (dark text, light paper)."""
    if gray.size == 0:
        return np.zeros_like(gray, dtype=bool)
    smooth = smoothed(gray)
    ink = smooth <= ink_level(smooth)
    if ink.mean() > 127 / 255:  # a crop with more ink than paper is not text on paper
        ink = ~ink
    return ink


def to_work_scale(gray: np.ndarray) -> np.ndarray:
    """Resize a word crop so that its height is `WORK_HEIGHT` pixels."""
    h, w = gray.shape[:2]
    if h == 0 or w == 0:
        return gray
    f = WORK_HEIGHT / h
    size = (max(1, round(w * f)), WORK_HEIGHT)
    return cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)


def segment(gray: np.ndarray) -> list[Cluster]:
    """Glyph clusters of a grey word crop, left to right, at work scale."""
    work = to_work_scale(gray)
    ink = binarize(work)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), 8)
    min_area = max(4, (WORK_HEIGHT // 16) ** 2)
    boxes = [
        (int(x), int(y), int(x + w), int(y + h), i)
        for i, (x, y, w, h, area) in enumerate(stats)
        if i and area >= min_area
    ]
    boxes = _within_the_type(boxes)
    boxes.sort()
    groups: list[list[tuple[int, int, int, int, int]]] = []
    for box in boxes:
        if groups and _overlaps(groups[-1], box):
            groups[-1].append(box)
        else:
            groups.append([box])
    return _clip_tails([_cluster(labels, group) for group in groups],
                       [len(group) == 1 for group in groups], ink.shape[0])


def _within_the_type(boxes: list[tuple[int, int, int, int, int]]
                     ) -> list[tuple[int, int, int, int, int]]:
    """Drop pieces lying wholly below the type's bottom or wholly above its
    top (the median bottom and top of the tall pieces): the marks of the
    lines below and above reaching into a crop, and this line's own marks
    above and below, which no digit has. Taken for marks of the glyph beside
    them, the next line's made a clean ``2`` or ``4`` read as a letter
    (tuning letters 500322, 500602), and a ุ of the line above between ว and
    ``83`` read as a ``9`` once the band fitted the line (500435)."""
    if len(boxes) < 3:
        return boxes
    tallest = max(b[3] - b[1] for b in boxes)
    tall = [b for b in boxes if b[3] - b[1] >= 0.5 * tallest]
    top = float(np.median([b[1] for b in tall]))
    bottom = float(np.median([b[3] for b in tall]))
    return [b for b in boxes if b[1] < bottom and b[3] > top]


def _clip_tails(clusters: list[Cluster], single: list[bool], height: int) -> list[Cluster]:
    """Cut at the type's bottom a glyph of one stroke reaching below it by a
    narrow tail: a tone mark of the line below touching a digit (tuning
    letter 500469, a ``๔`` read as a letter). A glyph whose ink below is wide
    for it (a comma) or a separate piece (a letter's ุ in most faces) is left
    whole; letters with a narrow foot (ฎ, ฤ) lose it and are still letters."""
    if len(clusters) < 3:
        return clusters
    limit = int(np.median([c.y1 for c in clusters]) + TAIL_MARGIN * height)
    out = []
    for c, one in zip(clusters, single):
        cut = limit - c.y0
        if one and 0 < cut < c.height and c.mask[cut:].any(axis=0).sum() < TAIL_WIDTH * c.width:
            kept = c.mask[:cut]
            rows = np.flatnonzero(kept.any(axis=1))
            cols = np.flatnonzero(kept.any(axis=0))
            c = Cluster(c.x0 + int(cols[0]), c.y0 + int(rows[0]), c.x0 + int(cols[-1]) + 1,
                        c.y0 + int(rows[-1]) + 1,
                        kept[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1])
        out.append(c)
    return out


def _overlaps(group: list[tuple[int, int, int, int, int]], box: tuple) -> bool:
    """True when `box` is a mark of the group's glyph: it overlaps it in x and
    is either much shorter (a vowel or tone mark) or lies above or below it.
    Two full-height glyphs that overlap (kerned digits, ๕๖) stay apart."""
    gx0 = min(b[0] for b in group)
    gx1 = max(b[2] for b in group)
    gy0 = min(b[1] for b in group)
    gy1 = max(b[3] for b in group)
    overlap = min(gx1, box[2]) - max(gx0, box[0])
    narrower = min(gx1 - gx0, box[2] - box[0])
    if overlap <= 0.45 * max(narrower, 1):
        return False
    h_group, h_box = gy1 - gy0, box[3] - box[1]
    stacked = box[3] <= gy0 + 0.25 * h_group or box[1] >= gy1 - 0.25 * h_group
    return stacked or min(h_group, h_box) < 0.6 * max(h_group, h_box)


def _cluster(labels: np.ndarray, group: list[tuple[int, int, int, int, int]]) -> Cluster:
    x0 = min(b[0] for b in group)
    y0 = min(b[1] for b in group)
    x1 = max(b[2] for b in group)
    y1 = max(b[3] for b in group)
    window = labels[y0:y1, x0:x1]
    mask = np.isin(window, [b[4] for b in group])
    return Cluster(x0, y0, x1, y1, mask)


def split(c: Cluster) -> tuple[Cluster, Cluster] | None:
    """Cut a cluster in two at its thinnest interior column (blur fuses
    neighbouring digits at 150 dpi); None when there is nothing to cut."""
    if c.width < 10:
        return None
    columns = c.mask.sum(axis=0).astype(float)
    lo, hi = int(c.width * 0.25), int(c.width * 0.75)
    return cut_at(c, lo + int(np.argmin(columns[lo:hi])))


def cut_at(c: Cluster, cut: int) -> tuple[Cluster, Cluster] | None:
    """The cluster's ink left and right of column `cut`, each trimmed to its
    rows; None when either side is empty."""
    parts = []
    for a, b in ((0, cut), (cut, c.width)):
        part = c.mask[:, a:b]
        rows = np.flatnonzero(part.any(axis=1))
        if rows.size == 0:
            return None
        part = part[rows[0] : rows[-1] + 1]
        parts.append(Cluster(c.x0 + a, c.y0 + int(rows[0]), c.x0 + b, c.y0 + int(rows[-1]) + 1, part))
    return parts[0], parts[1]


def ink_paths(c: Cluster, starts: np.ndarray) -> np.ndarray:
    """For each column of `starts`, the top-to-bottom path through the
    cluster's least ink that keeps near it (`PATH_DRIFT` a row for each
    column away, one column of drift a row): its column in every row, one
    row of the result per start. Cut along such a path (`cut_along`), glyphs
    whose ends overlap in x part where no straight cut parts them: Garuda's
    ``๗`` beside a ``๓`` or a slash (tuning letters 500734, 500810)."""
    height, width = c.mask.shape
    ink = c.mask.astype(np.float32)
    columns = np.arange(width, dtype=np.float32)[None, :]
    away = PATH_DRIFT * np.abs(columns - np.asarray(starts, dtype=np.float32)[:, None])
    cost = ink[0] + away
    blocked = np.full((len(starts), 1), np.inf, dtype=np.float32)
    came = np.zeros((height, len(starts), width), dtype=np.int8)
    for row in range(1, height):
        options = np.stack((cost, np.concatenate((blocked, cost[:, :-1]), axis=1),
                            np.concatenate((cost[:, 1:], blocked), axis=1)))
        best = options.argmin(axis=0)  # straight down first when two cost the same
        came[row] = _STEPS[best]
        cost = np.take_along_axis(options, best[None], axis=0)[0] + ink[row] + away
    paths = np.empty((len(starts), height), dtype=int)
    paths[:, -1] = cost.argmin(axis=1)
    every = np.arange(len(starts))
    for row in range(height - 1, 0, -1):
        paths[:, row - 1] = paths[:, row] + came[row, every, paths[:, row]]
    return paths


def cut_along(c: Cluster, path: np.ndarray) -> tuple[Cluster, Cluster] | None:
    """The cluster's ink left and right of `path` (a column per row, from
    `ink_paths`), each trimmed to its ink; None when either side is empty."""
    left = c.mask & (np.arange(c.width)[None, :] < path[:, None])
    parts = [_trimmed(part, c.x0, c.y0) for part in (left, c.mask & ~left)]
    return None if parts[0] is None or parts[1] is None else (parts[0], parts[1])


def _trimmed(mask: np.ndarray, x0: int, y0: int) -> Cluster | None:
    """A cluster of `mask`'s ink (its window at `x0`, `y0`), trimmed to it."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    return Cluster(x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1,
                   y0 + int(rows[-1]) + 1, mask[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1])


def join(a: Cluster, b: Cluster) -> Cluster:
    """Two clusters as one (a glyph that noise broke in two)."""
    x0, y0, x1, y1 = min(a.x0, b.x0), min(a.y0, b.y0), max(a.x1, b.x1), max(a.y1, b.y1)
    mask = np.zeros((y1 - y0, x1 - x0), dtype=bool)
    for c in (a, b):
        mask[c.y0 - y0 : c.y1 - y0, c.x0 - x0 : c.x1 - x0] |= c.mask
    return Cluster(x0, y0, x1, y1, mask)


def features(clusters: list[Cluster], context: list[Cluster] | None = None) -> np.ndarray:
    """One row per cluster: its shape on a CELL×CELL grid, then its size and
    place relative to the token (height, width, top, bottom against the
    token's median glyph, and aspect). The token is `context` (the token's
    other clusters, whose rows are not wanted) and `clusters` together."""
    if not clusters:
        return np.zeros((0, FEATURES), dtype=np.float32)
    token = (context or []) + clusters
    heights = np.array([c.height for c in token], dtype=np.float32)
    bottoms = np.array([c.y1 for c in token], dtype=np.float32)
    ref = float(np.median(heights)) or 1.0
    base = float(np.median(bottoms))
    rows = np.zeros((len(clusters), FEATURES), dtype=np.float32)
    for i, c in enumerate(clusters):
        rows[i, : CELL * CELL] = _cell(c.mask).ravel()
        rows[i, CELL * CELL :] = (
            c.height / ref,
            c.width / ref,
            (base - c.y0) / ref,
            (base - c.y1) / ref,
            np.log(max(c.width, 1) / max(c.height, 1)),
        )
    return rows


def _cell(mask: np.ndarray) -> np.ndarray:
    """The cluster's ink centred on a square, resampled to CELL×CELL in [0, 1]."""
    h, w = mask.shape
    side = max(h, w, 1)
    square = np.zeros((side, side), dtype=np.float32)
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = mask
    return cv2.resize(square, (CELL, CELL), interpolation=cv2.INTER_AREA)
