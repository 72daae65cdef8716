"""Find the parts of a scanned letter that are not body text.

A letter's first page carries, besides the typed text: the Garuda emblem,
red urgency and secrecy stamps (ด่วน, ลับ), the receiving office's receipt
stamp (a box with เลขรับ / วันที่ / เวลา, often in blue), signatures and
handwritten notes. Tesseract reading them as text produces junk lines and
breaks reading order, so they are cut out of the body before OCR and read
on their own.

Zones are found by colour where the scan has colour (stamp ink is red or
blue, typed text is black) and by shape where it is grey (stamp boxes are
rectangles of long thin lines; the emblem and signatures are components much
taller than a text line).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

#: Saturation (max-min of RGB) above which a pixel is coloured ink.
COLOUR_SPREAD = 70
#: Coloured pixels needed (per 300-dpi page area unit) before colour is trusted.
MIN_COLOUR_PIXELS = 400
#: Bands of the page (fractions of its height) where stamps are read.
STAMP_TOP = 0.35
STAMP_BOTTOM = 0.15


@dataclass(frozen=True)
class Zone:
    """A non-body region of the page, in page pixels."""

    kind: str  # "stamp" (boxed or coloured text) or "graphic" (emblem, signature)
    x0: int
    y0: int
    x1: int
    y1: int
    coloured: bool = False

    @property
    def box(self) -> tuple[int, int, int, int]:
        return self.x0, self.y0, self.x1, self.y1


def colour_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels of coloured (red, blue, green) ink."""
    r, g, b = cv2.split(np.ascontiguousarray(rgb))
    high = cv2.max(cv2.max(r, g), b)
    low = cv2.min(cv2.min(r, g), b)
    return (cv2.subtract(high, low) > COLOUR_SPREAD) & (low < 200)


def paper_level(gray: np.ndarray) -> int:
    """The grey level of the paper (90th percentile, from a sample of pixels)."""
    return int(np.percentile(gray[::7, ::7], 90))


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark pixels (any ink) by a threshold between paper and text."""
    return gray < paper_level(gray) * 0.62


def find_zones(rgb: np.ndarray | None, gray: np.ndarray, dpi: int) -> list[Zone]:
    """Stamps and graphics on a page, largest first; never most of the page."""
    # Shapes are found on a 100-dpi map of the ink: a cell is ink if any of
    # its pixels is, so thin frame lines survive the reduction.
    f = max(1, dpi // 100)

    def reduce(mask: np.ndarray) -> np.ndarray:
        size = (mask.shape[1] // f, mask.shape[0] // f)
        return cv2.resize(mask.astype(np.uint8), size, interpolation=cv2.INTER_AREA) > 0

    zones: list[Zone] = []
    if rgb is not None:
        colour = colour_mask(rgb)
        if colour.sum() >= MIN_COLOUR_PIXELS * (dpi / 300) ** 2:
            zones += _coloured_zones(reduce(colour), dpi // f)
    ink = reduce(ink_mask(gray))
    for zone in zones:  # coloured ink is accounted for
        ink[zone.y0:zone.y1, zone.x0:zone.x1] = False
    zones += _boxed_zones(ink, dpi // f)
    for zone in zones:
        ink[zone.y0:zone.y1, zone.x0:zone.x1] = False
    zones += _graphic_zones(ink, dpi // f)
    zones = [_scale(z, f) for z in zones]
    page_area = gray.shape[0] * gray.shape[1]
    zones = [z for z in zones if (z.x1 - z.x0) * (z.y1 - z.y0) < 0.2 * page_area]
    return [z for z in zones if not any(o is not z and _inside(z, o) for o in zones)]


def _scale(zone: Zone, f: float) -> Zone:
    return Zone(zone.kind, int(zone.x0 * f), int(zone.y0 * f), int(round(zone.x1 * f)),
                int(round(zone.y1 * f)), zone.coloured)


def _inside(inner: Zone, outer: Zone) -> bool:
    return (outer.x0 <= inner.x0 and outer.y0 <= inner.y0 and inner.x1 <= outer.x1
            and inner.y1 <= outer.y1 and (inner.box != outer.box or inner.kind < outer.kind))


def _coloured_zones(mask: np.ndarray, dpi: int) -> list[Zone]:
    reach = max(3, dpi // 12)  # ~2 mm: letters of one stamp join up
    joined = cv2.dilate(mask.astype(np.uint8), np.ones((reach, reach), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, 8)
    zones = []
    min_side = dpi // 8
    height = mask.shape[0]
    for x, y, w, h, area in stats[1:]:
        if w >= min_side and h >= min_side // 2:
            # Stamps sit in the top and bottom bands; coloured ink elsewhere
            # is a signature or a handwritten note: masked, not read.
            band = y + h < STAMP_TOP * height or y > (1 - STAMP_BOTTOM) * height
            zones.append(Zone("stamp" if band else "graphic", int(x), int(y), int(x + w),
                              int(y + h), coloured=True))
    return zones


def _boxed_zones(ink: np.ndarray, dpi: int) -> list[Zone]:
    """Rectangles drawn with long straight lines (stamp frames)."""
    u8 = ink.astype(np.uint8)
    horizontal = cv2.morphologyEx(u8, cv2.MORPH_OPEN, np.ones((1, dpi // 2), np.uint8))
    vertical = cv2.morphologyEx(u8, cv2.MORPH_OPEN, np.ones((dpi // 5, 1), np.uint8))
    frames = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(frames, 8)
    zones = []
    for x, y, w, h, _ in stats[1:]:
        if w >= dpi // 2 and h >= dpi // 5 and h < dpi * 3:
            box = (int(x), int(y), int(x + w), int(y + h))
            sides = vertical[box[1]:box[3], box[0]:box[2]].any(axis=0)
            if sides[: max(1, w // 10)].any() and sides[-max(1, w // 10):].any():
                zones.append(Zone("stamp", *box))
    return zones


def _graphic_zones(ink: np.ndarray, dpi: int) -> list[Zone]:
    """Components far taller than a text line: the emblem, signatures, drawings."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), 8)
    tall = dpi * 0.45  # a 16-pt line with marks is about 0.3 inch
    zones = []
    for x, y, w, h, _ in stats[1:]:
        if h >= tall and w >= dpi * 0.2:
            zones.append(Zone("graphic", int(x), int(y), int(x + w), int(y + h)))
    return zones
