"""Page geometry, line roles and drawing of synthetic scanned letters.

A letter's ground truth keeps only the printed lines (`text`), so the layout
is recovered from them: every line gets a role (number, field, paragraph,
signature, ...) from its kind and its first words, and the roles fix where the
line goes on the page. `cli.samples` composes letters so that this recovery is
exact; the same code paginates (when composing) and places (when drawing).
Geometry is in PostScript points on A4, so the layout does not depend on dpi.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import re
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from schemas.enums import Secrecy, Urgency
from schemas.text import nfc, to_thai_digits

FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
REF_FONT = "Laksaman"
FONT_PT = 16.0
PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
LEFT, RIGHT = 85.0, 538.6  # 3 cm and 2 cm margins
TEXT_W = RIGHT - LEFT
BOTTOM = PAGE_H - 70.0
PITCH = 19.0
INDENT = 70.9  # 2.5 cm paragraph indent
ITEM_CONT = INDENT + 18.0
HEAD_X = 340.0  # agency name and address column
DATE_X = PAGE_W / 2
SIGN_X = 357.0  # centre of the signature block
MEMO_DATE_X = LEFT + TEXT_W / 2
FIRST_Y = {"external": 137.0, "memo": 40.0, "order": 118.0}
TOP_Y = 42.0  # first line of later pages

MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
          "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
               "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
FIELDS = ("เรื่อง ", "เรียน ", "อ้างถึง ", "สิ่งที่ส่งมาด้วย ", "ส่วนราชการ ")
OPENERS = ("ด้วย", "ตามที่", "ตามหนังสือ", "ในการนี้", "ทั้งนี้", "เพื่อให้", "จึง",
           "สำหรับ", "อนึ่ง", "นอกจากนี้", "อาศัยอำนาจ")
CLOSINGS = ("ขอแสดงความนับถือ", "สั่ง ณ วันที่")
# A wrapped continuation line must not start like this, or its role would change.
NO_LINE_START = FIELDS + OPENERS + CLOSINGS + ("ที่", "(", "โทร.", "บันทึกข้อความ", "คำสั่ง")
ITEM_RE = re.compile(r"[0-9๐-๙]+\. ")
PAGE_RE = re.compile(r"- ?[0-9๐-๙]+ ?-")
CONT_ROLE = {"para": "body", "item": "item_cont", "field": "field_cont", "office": "office",
             "order_title": "order_title", "centre": "centre", "position": "position"}
RED, BLUE, INK = (205, 25, 35), (40, 60, 170), (22, 22, 28)
_ABBR = (("สำนักงานเขตพื้นที่การศึกษาประถมศึกษา", "สพป."),
         ("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา", "สพม."),
         ("สำนักงานศึกษาธิการจังหวัด", "ศธจ."), ("ศึกษาธิการจังหวัด", "ศธจ."),
         ("เลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน", "สพฐ."), ("ผู้กำกับการสถานีตำรวจภูธร", "สภ."),
         ("นายกองค์การบริหารส่วนจังหวัด", "อบจ."), ("ผู้ว่าราชการจังหวัด", "ศาลากลางจังหวัด"),
         ("นายอำเภอ", "ที่ว่าการอำเภอ"))


class Line(NamedTuple):
    """One printed line and its layout role."""

    text: str
    role: str


def thai_date(date: dt.date, thai_digits: bool, *, era: bool = False) -> str:
    """Format a date as printed: `2 สิงหาคม 2559`, with `พ.ศ.` when `era`."""
    text = f"{date.day} {MONTHS[date.month - 1]} {'พ.ศ. ' if era else ''}{date.year + 543}"
    return to_thai_digits(text) if thai_digits else text


@functools.lru_cache(maxsize=64)
def load_font(name: str = REF_FONT, px: int = 64, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Load a TLWG font by family name at `px` pixels with RAQM shaping."""
    path = FONT_DIR / f"{name}{'-Bold' if bold else ''}.ttf"
    if not path.exists():
        path = FONT_DIR / f"{name}.ttf"
    return ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.RAQM)


@functools.lru_cache(maxsize=20000)
def text_width(text: str, bold: bool = False, pt: float = FONT_PT, font: str = REF_FONT) -> float:
    """Width of `text` in points when printed at `pt` points in `font`."""
    return load_font(font, 64, bold).getlength(text) / 64 * pt


def value_x(field_line: str) -> float:
    """Left edge (points) of the value after a field keyword such as `เรื่อง `."""
    keyword = field_line.split(" ", 1)[0] + " "
    return LEFT + text_width(keyword)


def infer_roles(kind: str, lines: list[str], date_line: str = "") -> list[Line]:
    """Give each printed line of a letter its layout role.

    Args:
        kind: `external`, `memo` or `order`.
        lines: the printed lines in reading order, page markers included.
        date_line: the external letter's printed date, which ends its head.

    Returns:
        The lines with roles, in the same order.
    """
    out: list[Line] = []
    state, cont, seen_no = "head", "body", False
    for i, t in enumerate(lines):
        nxt = next((n for n in lines[i + 1:] if not PAGE_RE.fullmatch(n)), "")
        if PAGE_RE.fullmatch(t):
            role = "page_no"
        elif state == "foot":
            if t.startswith("("):
                role = "name"
            elif kind == "external" and (t.startswith("โทร.") or nxt.startswith("โทร.")):
                role = "contact"
            else:
                role = "position"
        elif t.startswith(CLOSINGS) or (state == "body" and t.startswith("(")):
            role, state = ("closing" if t.startswith(CLOSINGS) else "name"), "foot"
        elif state == "head" and kind == "order" and not t.startswith(OPENERS):
            seen_no = seen_no or t.startswith("ที่ ")
            role = "centre" if seen_no else "order_title"
        elif state == "head" and not t.startswith(OPENERS):
            role = _head_role(kind, t, date_line, out, cont)
        elif t.startswith(OPENERS):
            role, state = "para", "body"
        elif state == "body" and ITEM_RE.match(t):
            role = "item"
        else:
            role = cont
        if role in CONT_ROLE:
            cont = CONT_ROLE[role]
        out.append(Line(t, role))
    return out


def _head_role(kind: str, t: str, date_line: str, done: list[Line], cont: str) -> str:
    """Role of a line in the head of an external letter or a memo."""
    if kind == "memo" and t == "บันทึกข้อความ":
        return "memo_title"
    if kind == "memo" and t.startswith("ที่ ") and " วันที่ " in t:
        return "memo_no"
    if kind == "external" and not done:
        return "number"
    if kind == "external" and t == date_line:
        return "date"
    if t.startswith(FIELDS):
        return "field"
    if kind == "external" and all(ln.role in ("number", "office") for ln in done):
        return "office"
    return cont


def advance(role: str, prev: str | None) -> float:
    """Rows (of `PITCH`) to move down from the previous line to this one."""
    head = ("field", "field_cont", "memo_no", "centre", "date", "office")
    if prev == "page_no":
        return 1.5
    if role == "closing":
        return 2.0
    if role == "name":
        return 3.0 if prev == "closing" else 4.0
    rules = {("office", "number"): 0.0, ("date", "office"): 1.5, ("field", "date"): 1.5,
             ("field", "memo_title"): 2.2, ("centre", "order_title"): 1.2,
             ("contact", "position"): 3.0}
    if (role, prev) in rules:
        return rules[(role, prev)]
    if role in ("para", "item") and prev in head:
        return 1.5
    return 1.0


def place(kind: str, lines: list[Line], thai_digits: bool) -> list[list[tuple[Line, float]]]:
    """Lay lines out on pages, starting a page (with its `- n -` marker) on overflow.

    Returns:
        One list per page of (line, top y in points).
    """
    pages: list[list[tuple[Line, float]]] = [[]]
    y, prev = FIRST_Y[kind], None
    for ln in lines:
        if ln.role != "page_no" and prev is not None:
            y += advance(ln.role, prev) * PITCH
            if y + PITCH > BOTTOM + (24 if ln.role == "contact" else 0):  # contact: in margin
                mark = f"- {len(pages) + 1} -"
                ln_mark = Line(to_thai_digits(mark) if thai_digits else mark, "page_no")
                pages.append([(ln_mark, TOP_Y)])
                y = TOP_Y + advance(ln.role, "page_no") * PITCH
        elif ln.role == "page_no":
            pages.append([])
            y = TOP_Y
        pages[-1].append((ln, y))
        prev = ln.role
    return pages


def layout(truth: dict) -> list[list[tuple[Line, float]]]:
    """Recover the placed lines of each page from a ground-truth dict."""
    date_line = thai_date(dt.date.fromisoformat(truth["date"]), truth["thai_digits"])
    lines = infer_roles(truth["kind"], truth["text"].split("\n"), date_line)
    return place(truth["kind"], lines, truth["thai_digits"])


def render_pages(truth: dict, *, dpi: int | None = None, font: str = REF_FONT,
                 noise: float = 0.0, skew_deg: float = 0.0, blur: float = 0.0,
                 jpeg_quality: int | None = None, colour: bool = True,
                 seed: int | None = None,
                 extra_receipts: tuple[int, ...] = ()) -> list[Image.Image]:
    """Draw a letter's pages as A4 scans.

    Args:
        truth: a ground-truth dict from `cli.samples.make_letter`.
        dpi: resolution; default `truth["dpi"]`.
        font: TLWG family name (Laksaman, Garuda, Kinnari, Loma, Norasi, ...).
        noise: standard deviation of gaussian noise as a fraction of full scale.
        skew_deg: rotation of the page, in degrees (positive: anticlockwise).
        blur: gaussian blur radius in pixels.
        jpeg_quality: if set, pass each page through JPEG at this quality.
        colour: RGB pages with red and blue stamps; otherwise greyscale.
        seed: seed of the noise and the signature; default from the letter id.
        extra_receipts: เลขรับ of up to two more receipt stamps on page 1 (offices
            that passed the letter on), drawn in the bottom margin, right then left.

    Returns:
        One image per page, with `info["dpi"]` set.
    """
    dpi = dpi or truth.get("dpi") or 200
    seed = zlib.crc32(truth["id"].encode()) if seed is None else seed
    placed = layout(truth)
    fit = _fit_scale(font, [ln.text for page in placed for ln, _ in page])
    pages = []
    for n, page in enumerate(placed):
        canvas = _Canvas(dpi, font, fit)
        _draw_furniture(canvas, truth, n, random.Random(seed * 31 + n))
        for slot, number in enumerate(extra_receipts[:2] if n == 0 else ()):
            _receipt_stamp(canvas, truth, random.Random(seed * 37 + slot), number, slot + 1)
        for ln, y in page:
            canvas.line(ln, y)
        _draw_signature(canvas, page, random.Random(seed + n))
        img = _degrade(canvas.img, noise, skew_deg, blur, jpeg_quality,
                       np.random.default_rng(seed + 7919 * n))
        img = img if colour else img.convert("L")
        img.info["dpi"] = (dpi, dpi)
        pages.append(img)
    return pages


def _fit_scale(font: str, lines: list[str]) -> float:
    """Shrink factor so lines wrapped for the reference font fit in `font`."""
    if font == REF_FONT:
        return 1.0
    ratio = max((text_width(t, font=font) / max(text_width(t), 1.0) for t in lines if t.strip()),
                default=1.0)
    return min(1.0, 1.0 / ratio)


class _Canvas:
    """An A4 page at a resolution, drawing in point coordinates."""

    def __init__(self, dpi: int, font: str, fit: float,
                 size_pt: tuple[float, float] = (PAGE_W, PAGE_H),
                 transparent: bool = False) -> None:
        self.s = dpi / 72.0
        self.font, self.fit = font, fit
        size = (round(size_pt[0] * self.s), round(size_pt[1] * self.s))
        self.img = (Image.new("RGBA", size, (255, 255, 255, 0)) if transparent
                    else Image.new("RGB", size, (255, 255, 255)))
        self.draw = ImageDraw.Draw(self.img)
        self.field_x = LEFT

    def text(self, xy: tuple[float, float], text: str, *, pt: float = FONT_PT,
             bold: bool = False, fill: tuple[int, int, int] = INK, anchor: str = "la") -> None:
        """Draw text at (x, y) points, `pt` points tall (scaled to fit)."""
        f = load_font(self.font, max(6, round(pt * self.fit * self.s)), bold)
        self.draw.text((xy[0] * self.s, xy[1] * self.s), text, font=f, fill=fill, anchor=anchor)

    def line(self, ln: Line, y: float) -> None:
        """Draw one printed line where its role puts it."""
        t, r = ln.text, ln.role
        if r == "field":
            self.field_x = value_x(t)
        if r == "memo_no":
            left, right = t.split(" วันที่ ", 1)
            self.text((LEFT, y), left)
            self.text((MEMO_DATE_X, y), "วันที่ " + right)
        elif r == "memo_title":
            self.text((PAGE_W / 2, y - 4), t, pt=29, bold=True, anchor="ma")
        elif r in ("order_title", "centre", "page_no"):
            x = PAGE_W / 2 if r == "page_no" else LEFT + TEXT_W / 2
            self.text((x, y), t, bold=r == "order_title", anchor="ma")
        elif r in ("closing", "name", "position"):
            self.text((SIGN_X, y), t, anchor="ma")
        else:
            x = {"office": HEAD_X, "date": DATE_X, "para": LEFT + INDENT, "item": LEFT + INDENT,
                 "item_cont": LEFT + ITEM_CONT, "field_cont": self.field_x}.get(r, LEFT)
            self.text((x, y), t)


def _draw_furniture(c: _Canvas, truth: dict, page: int, rng: random.Random) -> None:
    """Emblem, secrecy and urgency stamps and the receipt stamp of one page."""
    kind = truth["kind"]
    if page == 0:
        if kind == "memo":
            _emblem(c, LEFT + 22, 45, 36)
        else:
            _emblem(c, PAGE_W / 2, 38, 80 if kind == "external" else 70)
    secrecy = Secrecy(truth["secrecy"]).thai
    if secrecy:
        c.text((PAGE_W / 2, 6), secrecy, pt=24, bold=True, fill=RED, anchor="ma")
        c.text((PAGE_W / 2, PAGE_H - 42), secrecy, pt=24, bold=True, fill=RED, anchor="ma")
    urgency = Urgency(truth["urgency"]).thai
    if urgency and page == 0:
        x, y = LEFT - 30, (4 if kind == "memo" else 40)
        w = text_width(urgency, True, 26, c.font) * c.fit
        c.draw.rectangle([x * c.s, y * c.s, (x + w + 16) * c.s, (y + 38) * c.s],
                         outline=RED, width=max(2, round(2 * c.s)))
        c.text((x + 8, y + 2), urgency, pt=26, bold=True, fill=RED)
    if page == 0 and truth.get("receipt_stamp_number"):
        _receipt_stamp(c, truth, rng)


def _emblem(c: _Canvas, cx: float, top: float, h: float) -> None:
    """A simplified Garuda emblem: head circle, wings and body."""
    s, w = c.s, h * 0.55
    pen = max(2, round(h * s / 40))
    c.draw.ellipse([(cx - w * 0.45) * s, top * s, (cx + w * 0.45) * s, (top + h * 0.4) * s],
                   outline=INK, width=pen)
    c.draw.polygon([((cx - w) * s, (top + h * 0.25) * s), ((cx + w) * s, (top + h * 0.25) * s),
                    (cx * s, (top + h) * s)], outline=INK, width=pen)
    c.draw.line([(cx * s, (top + h * 0.4) * s), (cx * s, (top + h) * s)], fill=INK, width=pen)


def _receipt_stamp(c: _Canvas, truth: dict, rng: random.Random, number: int | None = None,
                   slot: int = 0) -> None:
    """The receiving office's ตรารับ: office, เลขรับ, วันที่, เวลา in a blue box.

    Slot 0 is top right; slots 1 and 2 are the bottom margin, right and left.
    """
    digits = to_thai_digits if truth["thai_digits"] else str
    got = dt.date.fromisoformat(truth["date"]) + dt.timedelta(days=rng.randint(2, 9))
    office = (truth.get("to") or truth["from_org"]).removeprefix("ผู้อำนวยการ")
    for long_name, abbr in _ABBR:
        office = office.replace(long_name, abbr)
    number = truth["receipt_stamp_number"] if number is None else number
    rows = [nfc(office), f"เลขรับ {number}",
            f"วันที่ {got.day} {MONTHS_ABBR[got.month - 1]} {(got.year + 543) % 100:02d}",
            f"เวลา {rng.randint(8, 15)}.{rng.randint(0, 59):02d} น."]
    width = max(text_width(r, pt=12, font=c.font) * c.fit for r in rows) + 16
    box = _Canvas(round(c.s * 72), c.font, c.fit, (max(width, 120), 76), transparent=True)
    box.draw.rectangle([2, 2, box.img.width - 3, box.img.height - 3], outline=BLUE,
                       width=max(2, round(1.5 * c.s)))
    for i, row in enumerate(rows):
        box.text((8, 3 + 17 * i), digits(row), pt=12, fill=BLUE)
    patch = box.img.rotate(rng.uniform(-3, 3), resample=Image.BICUBIC, expand=True)
    x, y = RIGHT + 15 - patch.width / c.s, 2 if truth["kind"] == "memo" else 24
    if slot:
        x, y = (x if slot == 1 else 8.0), PAGE_H - 2 - patch.height / c.s
    c.img.paste(patch, (round(x * c.s), round(y * c.s)), patch)


def _draw_signature(c: _Canvas, page: list[tuple[Line, float]], rng: random.Random) -> None:
    """A pen squiggle above the signer's name, if the name is on this page."""
    for ln, y in page:
        if ln.role == "name":
            x0, base = SIGN_X - 45 + rng.uniform(-10, 10), y - 1.2 * PITCH
            pts = [((x0 + 10 * i) * c.s, (base + rng.uniform(-7, 7)) * c.s) for i in range(10)]
            c.draw.line(pts, fill=BLUE, width=max(2, round(1.2 * c.s)), joint="curve")


def _degrade(img: Image.Image, noise: float, skew: float, blur: float,
             quality: int | None, rng: np.random.Generator) -> Image.Image:
    """Scanner effects: rotation, blur, gaussian noise, JPEG compression."""
    if skew:
        img = img.rotate(skew, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        arr = np.asarray(img, dtype=np.float32)
        arr = arr + rng.normal(0.0, noise * 255.0, arr.shape[:2])[..., None]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    if quality:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return img
