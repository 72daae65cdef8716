"""Deterministic synthetic scanned Thai official letters with ground truth.

`make_letter(seed)` composes a letter (external letter, memo or order) and
returns its ground truth in the format of `shared/letters/*.json`;
`render_pages` draws it as A4 scans; `write_letter` writes the scan and its
sidecar `<id>.json`; `make_corpus` writes many; `write_bad_files` writes the
broken and hostile files intake must survive. Stamps (secrecy, urgency,
receipt) are drawn but, as in the shared samples, are not part of `text`.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import io
import json
import random
import re
from pathlib import Path

import img2pdf
from PIL import Image

from cli import samples_vocab as V
from cli.samples_bad import write_bad_files
from cli.samples_render import (HEAD_X, INDENT, ITEM_CONT, ITEM_RE, LEFT, MONTHS, NO_LINE_START,
                                PAGE_RE, RIGHT, SIGN_X, TEXT_W, Line, layout, place, render_pages,
                                text_width, thai_date, value_x)
from schemas.enums import Kind, Secrecy, Urgency
from schemas.text import nfc, to_thai_digits

__all__ = ["TRUTH_KEYS", "make_letter", "render_pages", "write_letter", "make_corpus",
           "write_bad_files", "page_texts", "search_word", "layout"]

TRUTH_KEYS = ("id", "kind", "number", "circular", "date", "subject", "to", "from_org",
              "secrecy", "urgency", "references", "enclosures", "signer", "thai_digits", "text",
              "pages", "dpi")
KINDS = ("external", "memo", "order")
SIGN_W = 2 * (RIGHT - SIGN_X)
_ATOM = re.compile(r"[0-9๐-๙A-Za-z/().,:-]")
# Pieces of text: spaces, phone numbers, letter numbers (04095/ว 633), Thai abbreviations
# (สพป. ก.ค.ศ. โทร.), runs of digits and Latin; the Thai runs between them get segmented.
_PIECES = re.compile(r"( +|[0๐] [0-9๐-๙]{4} [0-9๐-๙]{4}|[0-9๐-๙.]+/ว ?[0-9๐-๙]+"
                     r"|(?:[เ-ไ]?[ก-ฮ]{1,3}\.)+|[0-9๐-๙A-Za-z/().,:-]+)")


def make_letter(seed: int, *, kind: str | Kind | None = None, thai_digits: bool | None = None,
                secrecy: str | Secrecy | None = None, urgency: str | Urgency | None = None,
                circular: bool | None = None, references: int | None = None,
                enclosures: int | None = None, long: bool = False, receipt_stamp: bool = False,
                dpi: int = 200, letter_id: str | None = None) -> dict:
    """Compose a synthetic letter and return its ground truth.

    Every choice comes from `random.Random(seed)`; an argument left as None is
    drawn at random, a given one overrides the draw (the other draws stay).

    Args:
        seed: the letter's seed (non-negative).
        kind: `external`, `memo` or `order`.
        thai_digits: print numbers and dates in Thai digits.
        secrecy: a `Secrecy` value; drawn mostly `none`.
        urgency: an `Urgency` value; drawn mostly `normal`.
        circular: a หนังสือเวียน (ว number); never for orders.
        references: how many earlier letters to cite under อ้างถึง (not orders).
        enclosures: how many สิ่งที่ส่งมาด้วย items (not orders).
        long: add paragraphs so the letter runs to a second page.
        receipt_stamp: put a receiving office's ตรารับ on page 1.
        dpi: the scan resolution recorded in the truth.
        letter_id: the id; default `S` and the seed in eight digits.

    Returns:
        A dict with the keys `TRUTH_KEYS` (and `receipt_stamp_number` when stamped).
    """
    return _compose(seed, kind=kind, thai_digits=thai_digits, secrecy=secrecy, urgency=urgency,
                    circular=circular, references=references, enclosures=enclosures, long=long,
                    receipt_stamp=receipt_stamp, dpi=dpi, letter_id=letter_id)[0]


def _compose(seed: int, compact: bool = False, **kw) -> tuple[dict, list[Line]]:
    """Build the truth and the composed lines (with roles, markers included).

    A letter not asked to be long that runs over a page is composed again,
    `compact` (one middle paragraph), from the same seed.
    """
    rng = random.Random(seed)
    kind = _pick(rng, KINDS, kw["kind"], (5, 3, 2))
    digits = _pick(rng, (False, True), kw["thai_digits"])
    secrecy = _pick(rng, list(Secrecy), kw["secrecy"], (14, 3, 2, 1))
    urgency = _pick(rng, list(Urgency), kw["urgency"], (12, 4, 3, 1))
    circular = _pick(rng, (False, True), kw["circular"], (4, 1)) and kind != "order"
    n_refs = _count(rng, (6, 3, 1), kw["references"], 3) if kind != "order" else 0
    n_encl = _count(rng, (5, 3, 2, 1), kw["enclosures"], len(V.ENCLOSURES))
    n_encl = n_encl if kind != "order" else 0
    date = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(21 * 365))

    def p(text: str) -> str:
        """Printed form: NFC, with Thai digits if the letter uses them."""
        return nfc(to_thai_digits(text) if digits else text)

    c = _context(rng, kind, date, p) | {"compact": compact}
    refs = [_reference(rng, date) for _ in range(n_refs)]
    encl = [p(e.format(k=rng.randint(1, 3))) for e in rng.sample(V.ENCLOSURES, n_encl)]
    number, printed = _number(rng, kind, c, circular, date)
    blocks = {"external": _external, "memo": _memo, "order": _order}[kind](
        rng, c, p("ที่ " + printed), refs, encl, p, bool(kw["long"]))
    lines = place(kind, [ln for text, role, cw in blocks for ln in _wrap_block(text, role, cw)],
                  digits)
    if len(lines) > 1 and not (kw["long"] or compact):
        return _compose(seed, compact=True, **kw)
    flat = [ln for page in lines for ln, _ in page]
    truth = {
        "id": kw["letter_id"] or f"S{seed:08d}", "kind": kind, "number": number,
        "circular": circular, "date": date.isoformat(), "subject": c["subject"],
        "to": c["to"] if kind != "order" else None, "from_org": c["org"], "secrecy": secrecy.value,
        "urgency": urgency.value,
        "references": [{"number": n, "date": d.isoformat()} for n, d, _ in refs],
        "enclosures": encl, "signer": c["signer"], "thai_digits": digits,
        "text": "\n".join(ln.text for ln in flat), "pages": len(lines), "dpi": kw["dpi"],
    }
    stamp = rng.randint(1, 9999)
    if kw["receipt_stamp"]:
        truth["receipt_stamp_number"] = stamp
    return truth, flat


def _pick(rng: random.Random, options, given, weights=None):
    """Draw from options (always, to keep later draws stable); `given` wins."""
    drawn = rng.choices(list(options), weights=weights)[0]
    if given is None:
        return drawn
    for opt in options:
        if opt == given or getattr(opt, "value", None) == given:
            return opt
    raise ValueError(f"unsupported choice {given!r}; expected one of {list(options)}")


def _count(rng: random.Random, weights: tuple, given: int | None, cap: int) -> int:
    """Draw a count 0..len(weights)-1 (always, like `_pick`); `given` wins, capped."""
    drawn = rng.choices(range(len(weights)), weights=weights)[0]
    return drawn if given is None else max(0, min(int(given), cap))


def _inline(org: str) -> str:
    """An office name to run into a sentence: a space after a final digit (เขต 1 ได้...)."""
    return org + " " if org[-1].isdigit() else org


def _context(rng: random.Random, kind: str, date: dt.date, p) -> dict:
    """Issuing office, signer, addressee, subject and contact of a letter."""
    prov, post = rng.choice(V.PROVINCES)
    area, school = rng.randint(1, 4), rng.choice(V.SCHOOLS)
    org_type = rng.choices(("spp", "spm", "school", "ptj"), weights=(5, 2, 2, 1))[0]
    code = f"ศธ 04{rng.randint(1, 299):03d}"
    if org_type == "spp":
        org = f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{prov} เขต {area}"
        short = f"สพป.{prov} เขต {area}"
        head = ["ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", f"ประถมศึกษา{prov} เขต {area}"]
    elif org_type == "spm":
        org, short = f"สำนักงานเขตพื้นที่การศึกษามัธยมศึกษา{prov}", f"สพม.{prov}"
        head = ["ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", f"มัธยมศึกษา{prov}"]
    elif org_type == "school":
        org = short = f"โรงเรียน{school}"
        head, code = [f"ผู้อำนวยการโรงเรียน{school}"], f"{code}.{rng.randint(1, 199):03d}"
    else:
        org = short = f"สำนักงานศึกษาธิการจังหวัด{prov}"
        head, code = [f"ศึกษาธิการจังหวัด{prov}"], f"ศธ 02{rng.randint(10, 99)}"
    units = {"school": V.SCHOOL_UNITS, "ptj": V.PROVINCE_UNITS}.get(org_type, V.AREA_UNITS)
    unit = rng.choice(units)
    tambon = rng.choice(V.TAMBONS)
    where = f"ตำบล{tambon} " if org_type == "school" else ""
    title = rng.choice(("นาย", "นาง", "นางสาว"))
    first = rng.choice(V.MALE if title == "นาย" else V.FEMALE)
    signer = f"{title}{first} {rng.choice(V.SURNAMES)}"
    deputy = org_type in ("spp", "spm") and rng.random() < 0.4
    position = ["รอง" + head[0], *head[1:]] if deputy else head
    if kind == "memo":
        boss = "หัวหน้า" if org_type == "school" else "ผู้อำนวยการ"
        to, position = "".join(head), [boss + unit]
    else:
        fill = {"p": rng.choice(V.PROVINCES)[0], "s": school, "d": rng.randint(1, 4)}
        to = rng.choice(V.ADDRESSEES).format(**fill)
    subjects = V.ORDER_SUBJECTS if kind == "order" else V.SUBJECTS
    raw = rng.choice(subjects)[0]
    be = date.year + 543
    subject = raw.format(year=be, n=be - 2499, month=MONTHS[date.month - 1])
    phone = f"0 {rng.randint(2000, 5999)} {rng.randint(1000, 9999)}"
    return {"org": nfc(org), "short": nfc(short), "address": [p(short), p(
        f"{where}อำเภอเมือง{prov} จังหวัด{prov} {post}")], "code": code, "position": position,
        "unit": unit, "signer": nfc(signer), "to": nfc(to), "subject": p(subject),
        "topic": p(subject.split(" ประจำปี")[0]), "phone": phone, "prov": prov, "date": date}


def _reference(rng: random.Random, date: dt.date) -> tuple[str, dt.date, str]:
    """An earlier letter: canonical number, date and the citing agency."""
    wa = "ว" if rng.random() < 0.7 else ""
    number = f"ศธ 04{rng.randint(1, 299):03d}/{wa}{rng.randint(1, 4000)}"
    agency = rng.choice(V.AGENCIES).format(p=rng.choice(V.PROVINCES)[0])
    return number, date - dt.timedelta(days=rng.randint(5, 90)), agency


def _number(rng: random.Random, kind: str, c: dict, circular: bool,
            date: dt.date) -> tuple[str, str]:
    """The letter's canonical number and its printed form (before digit choice)."""
    if kind == "order":
        number = f"{rng.randint(1, 600)}/{date.year + 543}"
        return number, number
    code = c["code"]
    if kind == "memo" and "." not in code and rng.random() < 0.3:
        code = f"{code}.{rng.randint(1, 9):03d}"
    run = rng.randint(1, 4000)
    number = f"{code}/{'ว' if circular else ''}{run}"
    printed = f"{code}/ว {run}" if circular and rng.random() < 0.3 else number
    return number, printed


def _head_fields(c: dict, refs: list, encl: list[str], p) -> list[tuple[str, str, float | None]]:
    """เรื่อง, เรียน, อ้างถึง and สิ่งที่ส่งมาด้วย blocks."""
    blocks = [(f"เรื่อง {c['subject']}", "field", None), (p(f"เรียน {c['to']}"), "field", None)]
    cited = [p(f"หนังสือ{agency} ที่ {n} ลงวันที่ {thai_date(d, False)}") for n, d, agency in refs]
    for label, items in (("อ้างถึง", cited), ("สิ่งที่ส่งมาด้วย", encl)):
        if len(items) == 1:
            blocks.append((f"{label} {items[0]}", "field", None))
        for i, item in enumerate(items if len(items) > 1 else []):
            numbered = p(f"{i + 1}. ") + item
            cont = TEXT_W - (value_x(label + " ") - LEFT)
            blocks.append((f"{label} {numbered}", "field", None) if i == 0
                          else (numbered, "field_cont", cont))
    return blocks


def _body(rng: random.Random, c: dict, refs: list, p, long: bool, closing: tuple) -> list[tuple]:
    """Body paragraphs: opening, one or two middles, extras when long, closing."""
    be = c["date"].year + 543
    fill = {"org": _inline(c["org"]), "short": c["short"], "unit": c["unit"],
            "topic": c["topic"], "phone": c["phone"], "fy": be + (c["date"].month >= 10),
            "agency": refs[0][2] if refs else rng.choice(V.AGENCIES).format(p=c["prov"]),
            "deadline": thai_date(c["date"] + dt.timedelta(days=rng.randint(7, 30)), False)}
    paras = [V.OPENING_REF if refs else rng.choice(V.OPENING)]
    paras += rng.sample(V.MIDDLE, 1 if c["compact"] else rng.randint(1, 2))
    if long:
        paras += rng.sample(V.EXTRA, len(V.EXTRA)) + [m for m in V.MIDDLE if m not in paras]
    paras.append(rng.choice(closing))
    return [(p(t.format(**fill)), "para", None) for t in paras]


def _external(rng, c, number_line, refs, encl, p, long) -> list[tuple]:
    """Blocks of an external letter (หนังสือภายนอก)."""
    blocks = [(number_line, "number", None)] + [(a, "office", None) for a in c["address"]]
    blocks += [(thai_date(c["date"], False), "date", None)]
    blocks = [(p(t), r, w) for t, r, w in blocks] + _head_fields(c, refs, encl, p)
    blocks += _body(rng, c, refs, p, long, V.CLOSING)
    blocks += [("ขอแสดงความนับถือ", "closing", None), (f"({c['signer']})", "name", None)]
    blocks += [(p(t), "position", None) for t in c["position"]]
    fax = f" โทรสาร {c['phone'][:-4]}{rng.randint(1000, 9999)}" if rng.random() < 0.5 else ""
    return blocks + [(c["unit"], "contact", None), (p(f"โทร. {c['phone']}{fax}"), "contact", None)]


def _memo(rng, c, number_line, refs, encl, p, long) -> list[tuple]:
    """Blocks of a memo (บันทึกข้อความ)."""
    blocks = [("บันทึกข้อความ", "memo_title", None),
              (p(f"ส่วนราชการ {c['unit']} {c['org']} โทร. {c['phone']}"), "field", None),
              (f"{number_line} วันที่ {thai_date(c['date'], False)}", "memo_no", None)]
    blocks = [(p(t), r, w) for t, r, w in blocks] + _head_fields(c, refs, encl, p)
    blocks += _body(rng, c, refs, p, long, V.MEMO_CLOSING)
    blocks += [(f"({c['signer']})", "name", None)]
    return blocks + [(p(t), "position", None) for t in c["position"]]


def _order(rng, c, number_line, refs, encl, p, long) -> list[tuple]:
    """Blocks of an order (คำสั่ง)."""
    blocks = [(f"คำสั่ง{c['org']}", "order_title", None), (number_line, "centre", None),
              (f"เรื่อง {c['subject']}", "centre", None), ("-" * 24, "centre", None),
              (V.ORDER_OPENING.format(org=_inline(c["org"])), "para", None),
              (V.ORDER_POWER, "para", None)]
    n_items = rng.randint(8, 14) if long else rng.randint(3, 5)
    for i in range(n_items):
        title = rng.choice(("นาย", "นาง", "นางสาว"))
        first = rng.choice(V.MALE if title == "นาย" else V.FEMALE)
        name = f"{title}{first} {rng.choice(V.SURNAMES)}"
        duty = V.DUTIES[0] if i == 0 else V.DUTIES[-1] if i == n_items - 1 else "กรรมการ"
        blocks.append((f"{i + 1}. {name} {rng.choice(V.STAFF_POSITIONS)} {duty}", "item", None))
    if long:
        blocks += [(t, "para", None) for t in rng.sample(V.EXTRA, 4)]
    blocks += [(V.ORDER_DUTY, "para", None), (V.ORDER_END, "para", None)]
    blocks = [(p(t), r, w) for t, r, w in blocks]
    blocks += [(p("สั่ง ณ วันที่ " + thai_date(c["date"], False, era=True)), "closing", None),
               (f"({c['signer']})", "name", None)]
    return blocks + [(p(t), "position", None) for t in c["position"]]


_WIDTHS = {"office": (RIGHT - HEAD_X,) * 2, "para": (TEXT_W - INDENT, TEXT_W),
           "item": (TEXT_W - INDENT, TEXT_W - ITEM_CONT), "name": (SIGN_W,) * 2,
           "position": (SIGN_W,) * 2, "closing": (SIGN_W,) * 2}
_CONT = {"para": "body", "item": "item_cont", "field": "field_cont"}


def _wrap_block(text: str, role: str, cont_w: float | None) -> list[Line]:
    """Wrap one block into lines of its role (continuations get the follow-on role)."""
    text = nfc(text)
    first, cont = _WIDTHS.get(role, (TEXT_W, TEXT_W))
    if role == "field":
        cont = TEXT_W - (value_x(text) - LEFT)
    if cont_w is not None:
        first = cont = cont_w
    if role in ("number", "date", "memo_no", "memo_title"):
        return [Line(text, role)]
    bold = role == "order_title"
    return [Line(t, role if i == 0 else _CONT.get(role, role))
            for i, t in enumerate(_wrap(text, first, cont, bold))]


@functools.lru_cache(maxsize=1)
def _dictionary():
    """pythainlp's word list plus office terms it would split."""
    from pythainlp.corpus import thai_words
    from pythainlp.util import dict_trie
    return dict_trie(set(thai_words()) | set(V.EXTRA_WORDS))


@functools.lru_cache(maxsize=4096)
def _thai_words(run: str) -> tuple[str, ...]:
    """Segment a run of Thai letters into words (pythainlp newmm)."""
    from pythainlp.tokenize import word_tokenize
    return tuple(word_tokenize(run, custom_dict=_dictionary(), engine="newmm",
                               keep_whitespace=False))


def _tokens(text: str) -> list[str]:
    """Breakable tokens: Thai words, spaces, and unbreakable numbers and codes."""
    out: list[str] = []
    for piece in _PIECES.split(text):
        if not piece:
            continue
        prev = out[-2] if len(out) >= 2 and out[-1].isspace() else ""
        glue = piece[:1].isdigit() and (prev.endswith(("ศธ", "เขต", "โทร.", "โทรสาร")))
        if not piece.isspace() and glue:
            out[-2:] = [out[-2] + out[-1] + piece]
        elif piece.isspace() or _ATOM.search(piece):
            out.append(piece)
        else:
            out.extend(_thai_words(piece))
    return out


def _starts_ok(rest: str) -> bool:
    """Whether a continuation line may start with `rest` without changing role."""
    return not (rest.startswith(NO_LINE_START) or ITEM_RE.match(rest) or PAGE_RE.fullmatch(rest))


def _wrap(text: str, first_w: float, cont_w: float, bold: bool = False) -> list[str]:
    """Greedy line breaking at word boundaries within widths (points)."""
    toks, lines, i = _tokens(text), [], 0
    while i < len(toks):
        limit = first_w if not lines else cont_w
        end = i + 1
        while end <= len(toks) and text_width("".join(toks[i:end]).strip(), bold) <= limit:
            end += 1
        fit = max(end - 1, i + 1)
        cut = fit if fit >= len(toks) else next(
            (k for k in range(fit, i, -1) if not toks[k - 1].isspace()
             and _starts_ok("".join(toks[k:]).lstrip())), fit)
        lines.append("".join(toks[i:cut]).strip())
        i = cut
        while i < len(toks) and toks[i].isspace():
            i += 1
    return [ln for ln in lines if ln]


def page_texts(truth: dict) -> list[str]:
    """Split a letter's `text` into the text of each page (at the `- n -` markers)."""
    pages: list[list[str]] = [[]]
    for line in truth["text"].split("\n"):
        if PAGE_RE.fullmatch(line):
            pages.append([])
        pages[-1].append(line)
    return ["\n".join(p) for p in pages]


def search_word(truth: dict) -> str:
    """A word of the letter's subject that no other generated subject contains."""
    subject = truth["subject"]
    for _, word in V.SUBJECTS + V.ORDER_SUBJECTS:
        if word in subject:
            return word
    raise ValueError(f"not a generated subject: {subject!r}")


def write_letter(truth: dict, pages: list[Image.Image], out_dir: str | Path,
                 fmt: str = "pdf") -> Path:
    """Write a scan and its ground-truth sidecar `<id>.json`.

    Args:
        truth: the letter's ground truth.
        pages: its rendered pages.
        out_dir: directory to write into (created if missing).
        fmt: `pdf` (image-only, all pages), `tiff` (multi-page), or `png`,
            `jpg`, `gif` (first page only; the sidecar then covers page 1 only).

    Returns:
        Path of the scan.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    dpi = round(pages[0].info.get("dpi", (truth["dpi"],))[0])
    fmt = fmt.lower().lstrip(".")
    path = out / f"{truth['id']}.{fmt}"
    if fmt == "pdf":
        path.write_bytes(img2pdf.convert([_encode(img, dpi) for img in pages], nodate=True))
    elif fmt in ("tiff", "tif"):
        pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:],
                      compression="tiff_deflate", dpi=(dpi, dpi))
    elif fmt in ("png", "jpg", "jpeg", "gif"):
        kw = {"quality": 90} if fmt in ("jpg", "jpeg") else {}
        img = pages[0].convert("P") if fmt == "gif" else pages[0]
        img.save(path, {"jpg": "JPEG"}.get(fmt, fmt.upper()), dpi=(dpi, dpi), **kw)
    else:
        raise ValueError(f"unsupported format {fmt!r}")
    side = dict(truth, dpi=dpi)
    if fmt in ("png", "jpg", "jpeg", "gif") and len(pages) > 1:
        side.update(text=page_texts(truth)[0], pages=1)
    else:
        side["pages"] = len(pages)
    (out / f"{truth['id']}.json").write_text(json.dumps(side, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return path


def _encode(img: Image.Image, dpi: int) -> bytes:
    """A page as JPEG (colour) or PNG (grey) bytes with its dpi, for img2pdf."""
    buf = io.BytesIO()
    if img.mode == "RGB":
        img.save(buf, "JPEG", quality=88, dpi=(dpi, dpi))
    else:
        img.save(buf, "PNG", dpi=(dpi, dpi))
    return buf.getvalue()


_RENDER_OPTS = set(inspect.signature(render_pages).parameters) - {"truth", "dpi", "seed"}


def make_corpus(out_dir: str | Path, n: int, seed: int = 0, fmt: str = "pdf",
                **opts) -> list[Path]:
    """Write `n` letters of varied kinds, digits, secrecy and urgency.

    Letter i uses seed `seed + i`; kinds cycle external, memo, order, digits
    alternate Arabic and Thai, every fifth letter has a receipt stamp and every
    seventh runs to two pages. Options named like `render_pages` arguments
    (font, noise, skew_deg, blur, jpeg_quality, colour) go to rendering; the
    rest (kind, thai_digits, long, receipt_stamp, dpi, ...) to `make_letter`
    and override the cycle.

    Returns:
        Paths of the scans, in seed order.
    """
    render_kw = {k: v for k, v in opts.items() if k in _RENDER_OPTS}
    letter_kw = {k: v for k, v in opts.items() if k not in _RENDER_OPTS}
    paths = []
    for i in range(n):
        kw = {"kind": KINDS[i % 3], "thai_digits": bool(i % 2), "receipt_stamp": i % 5 == 4,
              "long": i % 7 == 6} | letter_kw
        truth = make_letter(seed + i, **kw)
        paths.append(write_letter(truth, render_pages(truth, **render_kw), out_dir, fmt))
    return paths
