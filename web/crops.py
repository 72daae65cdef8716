"""Crops of a record's page image around the place a field was read (the review queue).

A field's source box (`Record.field_sources`) is kept in the units of the
page it was read on (scan pixels or PDF points) with that page's size, so it
scales onto the ~100-dpi page image the web renders. A field with no box
shows the top of the first page, where a letter's head is printed.
Clearance is checked by the route before this runs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

#: Share of the first page's height shown for a field with no box (the letter's head).
HEADER_SHARE = 0.4
PAD = 12  # pixels of the page image around a box
#: Crops are cut from the page rendered at this resolution: a line of 16-pt
#: type is about 45 pixels high there, easy to read beside the input.
CROP_DPI = 200


@dataclass(frozen=True)
class Crop:
    """Which page to crop, the box in that page image's pixels, and how it was found."""

    page: int
    box: tuple[int, int, int, int]
    located: bool  # False: the header zone shown for want of a box


def crop_for(source: dict[str, Any] | None, image_size: tuple[int, int]) -> Crop:
    """The padded crop of a field's source box on a page image of `image_size`."""
    width, height = image_size
    try:
        page = int(source["page"]) if source else 1
        sw, sh = (float(v) for v in source["size"]) if source else (0.0, 0.0)
        x0, y0, x1, y1 = (float(v) for v in source["box"]) if source else (0, 0, 0, 0)
    except (KeyError, TypeError, ValueError):
        source = None
    if not source or sw <= 0 or sh <= 0 or x1 <= x0 or y1 <= y0:
        return Crop(1, (0, 0, width, max(1, round(height * HEADER_SHARE))), located=False)
    fx, fy = width / sw, height / sh
    left, top, right, bottom = x0 * fx, y0 * fy, x1 * fx, y1 * fy
    # Thai stacks vowels and tone marks above the line: more room above than below.
    above, below = max(PAD, (bottom - top) * 0.6), max(PAD, (bottom - top) * 0.3)
    box = (max(0, round(left - 2 * PAD)), max(0, round(top - above)),
           min(width, round(right + 2 * PAD)), min(height, round(bottom + below)))
    if box[2] <= box[0] or box[3] <= box[1]:
        return Crop(1, (0, 0, width, max(1, round(height * HEADER_SHARE))), located=False)
    return Crop(page, box, located=True)


def image_size(path: str | Path) -> tuple[int, int]:
    """Width and height of the image at `path` (its header only is read)."""
    with Image.open(path) as image:
        return image.size


def crop_png(page_png: bytes | str, crop: Crop) -> bytes:
    """The PNG of `crop` cut from a page image (a path or bytes)."""
    source = io.BytesIO(page_png) if isinstance(page_png, bytes) else page_png
    with Image.open(source) as image:
        part = image.crop(crop.box)
    out = io.BytesIO()
    part.save(out, format="PNG", optimize=True)
    return out.getvalue()
