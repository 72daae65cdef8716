"""Rendered text lines for training and scoring the digit line reader.

A line is drawn the way letters print the lines that hold digits — the
letter number (``ที่ ศธ ๐๔๐๔๙/ว๕๖๗๘``), a memo's number and date on one
line, dates with full and short months, a cited letter, a receipt stamp's
เลขรับ / วันที่ / เวลา, body text with a figure in it — in one of the TLWG
fonts, at 150–300 dpi, blurred, noised and JPEG-compressed, and then cut the
way `ocr.digit_lines` cuts a line: a band around the line's body whose top
and bottom wander (Tesseract's boxes are loose), with pieces of the lines
above and below reaching into it. Its label is the line in the reader's
alphabet: digits and separators as printed, any other letter as ``#``.

Nothing is downloaded: fonts from Debian's fonts-thai-tlwg, Thai words from
PyThaiNLP's word list in its wheel.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ocr.line_model import label_text, normalise  # noqa: E402
from train_digit_model import (ABBREV, FAMILIES, MONTHS, digits, font,  # noqa: E402
                               graphemes, scan_effects, thai_word, token)

AGENCIES = ("ศธ", "กษ", "อว", "มท", "สธ", "กค", "นร", "พณ", "รง", "ทส", "คค", "ยธ", "วธ",
            "สพป", "สพม", "กห", "ตช", "พม", "สร")


def line_text(rng: random.Random) -> str:
    """One line of a letter that holds digits (or, now and then, none)."""
    thai = rng.random() < 0.6
    d = lambda lo, hi: digits(rng, rng.randint(lo, hi), thai)  # noqa: E731
    month = rng.choice(MONTHS) if rng.random() < 0.75 else rng.choice(ABBREV)
    year = d(4, 4)
    date = f"{d(1, 2)} {month} {rng.choice(('', 'พ.ศ. '))}{year}"
    code = rng.choice(AGENCIES)
    sub = "." + d(1, 3) if rng.random() < 0.15 else ""
    circ = "ว" if rng.random() < 0.3 else ""
    gap = rng.choice((" ", "", " "))
    number = f"{code}{gap}{d(4, 5)}{sub}/{circ}{d(1, 5)}"
    pick = rng.random()
    if pick < 0.30:
        return f"ที่ {number}"
    if pick < 0.40:
        return f"ที่ {number}{' ' * rng.randint(2, 6)}วันที่ {date}"
    if pick < 0.50:
        return f"ที่ {d(1, 4)}/{year}" if rng.random() < 0.7 else f"คำสั่ง ที่ {d(1, 4)}/{year}"
    if pick < 0.62:
        return rng.choice((date, f"วันที่ {date}", f"สั่ง ณ วันที่ {date}"))
    if pick < 0.70:
        return f"{rng.choice(('อ้างถึง', 'ตามหนังสือ', '๑. หนังสือ'))} ที่ {number} ลงวันที่ {date}"
    if pick < 0.78:
        return rng.choice((f"เลขรับ {d(1, 5)}", f"วันที่ {d(1, 2)} {rng.choice(ABBREV)} {d(2, 4)}",
                           f"เวลา {d(1, 2)}.{d(2, 2)} น.", f"โทร. {d(1, 3)} {d(3, 4)} {d(4, 4)}"))
    words = [token(rng) if rng.random() < 0.5 else thai_word(rng)
             for _ in range(rng.randint(1, 5))]
    return " ".join(words)


def _draw(text: str, family: str, px: int, bold: bool, spacing: float,
          ink: int, paper: int) -> tuple[Image.Image, tuple[int, int], tuple[int, int]]:
    """`text` at twice `px`, its digits' top and baseline (rows, at 2x)."""
    f = font(family, px * 2, bold)
    width = int(f.getlength(text) + spacing * 2 * len(text) + px * 12)
    image = Image.new("L", (width, px * 8), paper)
    draw = ImageDraw.Draw(image)
    x, y = px * 6, px * 3
    if spacing:
        for ch in graphemes(text):
            draw.text((x, y), ch, font=f, fill=ink)
            x += f.getlength(ch) + spacing * 2
        right = int(x)
    else:
        draw.text((x, y), text, font=f, fill=ink)
        right = int(x + f.getlength(text))
    probe = draw.textbbox((0, y), "0๐", font=f)  # the digits' body: top and baseline
    return image, (probe[1], probe[3]), (px * 6, right)


def render_line(rng: random.Random, text: str, family: str) -> np.ndarray | None:
    """A degraded grey band of `text` as `ocr.digit_lines` would cut it."""
    px = rng.randint(30, 70)  # 16 pt at 150–300 dpi is 33–67 px an em
    bold = rng.random() < 0.12
    spacing = rng.choice((0, 0, 0, 0, px * 0.1, px * 0.25, px * rng.uniform(0.3, 0.7)))
    paper, ink = rng.randint(200, 255), rng.randint(0, 100)
    image, (top, base), (left, right) = _draw(text, family, px, bold, spacing, ink, paper)
    draw = ImageDraw.Draw(image)
    f = font(family, px * 2, False)
    pitch = px * 2 * rng.uniform(1.05, 1.5)  # the lines above and below
    if rng.random() < 0.7:
        draw.text((left + rng.randint(-px, px), px * 3 - pitch), line_text(rng), font=f, fill=ink)
    if rng.random() < 0.7:
        draw.text((left + rng.randint(-px, px), px * 3 + pitch), line_text(rng), font=f, fill=ink)
    image = image.resize((image.width // 2, image.height // 2), Image.Resampling.LANCZOS)
    top, base, left, right = top / 2, base / 2, left / 2, right / 2
    if rng.random() < 0.5:
        image = image.rotate(rng.uniform(-0.6, 0.6), resample=Image.Resampling.BILINEAR,
                             fillcolor=paper)
    gray = scan_effects(image, rng, 1.3, 20)
    h = base - top
    # Tesseract's boxes are loose, and the band is cut from their medians:
    # tone marks above or only the body (its top even clipped), tails below
    # or the next line's marks; paper beside the words, or a lot of it where
    # the line's crop reached out for a glyph Tesseract dropped.
    y0 = int(top - h * rng.uniform(-0.1, 0.75))
    y1 = int(base + h * rng.uniform(0.0, 0.6))
    x0 = int(left - h * (rng.uniform(0.1, 1.0) if rng.random() < 0.8 else rng.uniform(1, 4)))
    x1 = int(right + h * (rng.uniform(0.1, 1.0) if rng.random() < 0.8 else rng.uniform(1, 4)))
    crop = gray[max(0, y0):y1, max(0, x0):x1]
    return crop if crop.size and crop.shape[0] >= 8 else None


def sample(rng: random.Random, families: tuple[str, ...] = FAMILIES
           ) -> tuple[np.ndarray, str] | None:
    """One (normalised image, label) pair, or None when the draw left no crop."""
    text = line_text(rng)
    crop = render_line(rng, text, rng.choice(families))
    if crop is None:
        return None
    return normalise(crop), label_text(text)


def batch(seed: int, n: int, families: tuple[str, ...] = FAMILIES
          ) -> list[tuple[np.ndarray, str]]:
    """`n` samples from `seed` (deterministic for the same fonts and Pillow)."""
    rng = random.Random(seed)
    out: list[tuple[np.ndarray, str]] = []
    while len(out) < n:
        s = sample(rng, families)
        if s is not None and s[0].shape[1] >= 2 * len(s[1]):  # two pixels a symbol at least
            out.append(s)
    return out

