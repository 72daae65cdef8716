"""Train the Thai digit reader shipped in ocr/models/thai_digits.npz.

Reproducible: the same seed gives the same data and the same weights on the
same numpy. Everything is rendered here from Debian's TLWG fonts
(fonts-thai-tlwg); nothing is downloaded.

    .venv/bin/python scripts/train_digit_model.py            # train + report
    .venv/bin/python scripts/train_digit_model.py --tokens 8000 --epochs 3   # quick

Tokens look like what letters print — letter numbers (``ศธ ๐๔๐๔๙/ว๕๖๗๘``),
dates (``๒๑ มิถุนายน ๒๕๕๖``, ``๕ ม.ค. ๖๗``), times, phone numbers, digits glued
to words — in Thai or Arabic digits, rendered at 12–20 pt for 150–300 dpi,
then blurred, noised, JPEG-compressed and cut into glyph clusters by the
same `ocr.glyphs.segment` the reader uses. Thai words beside the digits
(PyThaiNLP's word list, weighted to letters shaped like digits: ฒ ซ ด ต ๆ)
teach it what is *not* a digit. The report scores fresh tokens of every
family; ``--hold-out FAMILY`` leaves one design out to see how it reads a
font it has never seen.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ocr.digit_model import LABELS, MODEL_PATH, OTHER  # noqa: E402
from ocr.glyphs import FEATURES, WORK_HEIGHT, features, segment  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/truetype/tlwg")
FAMILIES = ("Laksaman", "Garuda", "Kinnari", "Loma", "Norasi", "Sawasdee", "TlwgTypewriter",
            "TlwgTypo", "TlwgTypist", "TlwgMono", "Waree", "Purisa", "Umpush")
#: Letters whose shapes come nearest a digit (ฒ in พัฒนา reads as ๙ or ๑, ซ as
#: ๖, ๆ as ๆ-like ๗): the reader meets them beside the digits of a line, so
#: they are drawn often as "other".
LOOKALIKES = "ฒฑซญณฌฟฝดตคฅบปผพมยรลวสหอฮขฃถภกทธนงจฉชศษฎฏฐๆฯ"
THAI = "๐๑๒๓๔๕๖๗๘๙"
MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
          "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
ABBREV = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
          "พ.ย.", "ธ.ค.")
CODES = ("ศธ", "กษ", "อว", "มท", "สธ", "กค", "นร", "พณ", "รง", "ทส", "คค", "ยธ", "วธ", "สพป",
         "สพม", "ที่", "ที", "เลขรับ", "วันที่", "เวลา", "น.", "โทร.", "เขต", "จำนวน", "ชุด",
         "หน้า", "ข้อ", "ฉบับ", "ลงวันที่", "พ.ศ.", "ปี", "ราย", "บาท")
LATIN = "ABCDEFGHIJKLMNOPRSTUVWXYZabcdefghijklmnoprstuvwxyz()"
COMBINING = {"Mn"}


def graphemes(text: str) -> list[str]:
    """Base characters with their combining marks (Thai vowels above/below, tones)."""
    out: list[str] = []
    for ch in text:
        if out and unicodedata.category(ch) in COMBINING:
            out[-1] += ch
        else:
            out.append(ch)
    return out


@lru_cache(maxsize=1)
def thai_vocabulary() -> tuple[str, ...]:
    """Short Thai words from PyThaiNLP's word list (shipped in its wheel),
    sorted so that a seed picks the same words on every machine."""
    from pythainlp.corpus.common import thai_words

    return tuple(sorted(w for w in thai_words() if 1 < len(w) <= 8 and w.isalpha()))


def thai_word(rng: random.Random) -> str:
    """A Thai word, half the time one that holds a digit look-alike."""
    words = thai_vocabulary()
    if rng.random() < 0.5:
        return rng.choice(words)
    letter = rng.choice(LOOKALIKES)
    for _ in range(40):
        word = rng.choice(words)
        if letter in word:
            return word
    return letter


def label_of(g: str) -> str:
    return g if g in LABELS else OTHER


def digits(rng: random.Random, n: int, thai: bool) -> str:
    s = "".join(rng.choice("0123456789") for _ in range(n))
    return s.translate(str.maketrans("0123456789", THAI)) if thai else s


def token(rng: random.Random) -> str:
    thai = rng.random() < 0.6
    d = lambda lo, hi: digits(rng, rng.randint(lo, hi), thai)  # noqa: E731
    pick = rng.random()
    if pick < 0.25:
        code = rng.choice(CODES[:15])
        sub = "." + d(3, 3) if rng.random() < 0.2 else ""
        circ = "ว" if rng.random() < 0.3 else ""
        sp = " " if rng.random() < 0.3 else ""
        return f"{code}{sp}{d(4, 5)}{sub}/{circ}{d(1, 4)}" if rng.random() < 0.6 else \
            f"{d(4, 5)}{sub}/{circ}{d(1, 4)}"
    if pick < 0.45:
        month = rng.choice(MONTHS + ABBREV)
        year = d(4, 4) if rng.random() < 0.8 else d(2, 2)
        return rng.choice((f"{d(1, 2)}{month}{year}", f"{d(1, 2)} {month} {year}", year, d(1, 2)))
    if pick < 0.55:
        return rng.choice((f"{d(2, 2)}.{d(2, 2)}", f"{d(2, 2)}:{d(2, 2)}", f"{d(1, 2)}-{d(2, 4)}",
                           f"{d(1, 3)},{d(3, 3)}", f"({d(1, 2)})", f"{d(1, 2)}."))
    if pick < 0.72:
        return d(1, 6)
    if pick < 0.86:  # the words a line's digits stand beside
        word = thai_word(rng)
        return rng.choice((word, f"{word} {d(1, 4)}", f"{d(1, 4)} {word}", f"{word}{d(1, 2)}"))
    word = rng.choice(CODES)
    return rng.choice((f"{word}{d(1, 3)}", f"{d(1, 3)}{word}", word,
                       "".join(rng.choice(LATIN) for _ in range(rng.randint(1, 4))) + d(0, 2)))


def font(family: str, px: int, bold: bool) -> ImageFont.FreeTypeFont:
    name = f"{family}-Bold.ttf" if bold else f"{family}.ttf"
    path = FONT_DIR / name
    if not path.exists():
        path = FONT_DIR / f"{family}.ttf"
    return ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.RAQM)


def render(rng: random.Random, text: str, family: str):
    """A degraded grey crop of `text` and each grapheme's x-range in it."""
    px = rng.randint(22, 66)
    f = font(family, px * 2, rng.random() < 0.15)
    parts = graphemes(text)
    spacing = rng.choice((0, 0, 0, px * 0.15, px * 0.3))
    width = int(f.getlength(text) + spacing * 2 * len(parts) + px * 4)
    height = px * 4
    paper, ink = rng.randint(190, 255), rng.randint(0, 110)
    image = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(image)
    x, y = px, px
    ranges = []
    for g in parts:
        if g == " ":
            x += f.getlength(" ") + spacing * 2
            continue
        box = draw.textbbox((x, y), g, font=f)
        draw.text((x, y), g, font=f, fill=ink)
        ranges.append((box[0] / 2, box[2] / 2, label_of(g)))
        x += f.getlength(g) + spacing * 2
    image = image.resize((width // 2, height // 2), Image.Resampling.LANCZOS)
    if rng.random() < 0.5:
        image = image.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BILINEAR,
                             fillcolor=paper)
    gray = scan_effects(image, rng, 1.2, 18)
    ink_rows = np.flatnonzero((gray < (paper + ink) / 2).any(axis=1))
    ink_cols = np.flatnonzero((gray < (paper + ink) / 2).any(axis=0))
    if ink_rows.size == 0:
        return None
    m = int(px * rng.uniform(0.05, 0.3))
    top, bottom = max(0, ink_rows[0] - m), min(gray.shape[0], ink_rows[-1] + m + 1)
    left, right = max(0, ink_cols[0] - m), min(gray.shape[1], ink_cols[-1] + m + 1)
    crop = gray[top:bottom, left:right]
    return crop, [(a - left, b - left, lab) for a, b, lab in ranges]


def scan_effects(image: Image.Image, rng: random.Random, blur: float, noise: float) -> np.ndarray:
    """A scanner's blur (up to `blur` px), grey noise (up to `noise` levels)
    and JPEG compression (quality 30–95) on a grey image."""
    sigma = rng.uniform(0, blur)
    if sigma > 0.2:
        image = image.filter(ImageFilter.GaussianBlur(sigma))
    arr = np.asarray(image, dtype=np.float32)
    arr += np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(0, noise), arr.shape)
    image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=rng.randint(30, 95))
    return np.asarray(Image.open(buf).convert("L"))


def samples(rng: random.Random, families: tuple[str, ...], n_tokens: int):
    """Feature rows and label indices: a cluster that is one glyph gets its
    label, one that fuses several glyphs is "other" (so the reader tries to
    split it), pieces of a broken glyph are left out."""
    xs, ys = [], []
    index = {label: i for i, label in enumerate(LABELS)}
    for _ in range(n_tokens):
        rendered = render(rng, token(rng), rng.choice(families))
        if rendered is None:
            continue
        crop, ranges = rendered
        clusters = segment(crop)
        scale = WORK_HEIGHT / crop.shape[0]
        labels: list[str | None] = []
        owners: list[list[int]] = []
        for c in clusters:
            covered = [j for j, (a, b, _) in enumerate(ranges)
                       if min(c.x1, b * scale) - max(c.x0, a * scale) > 0.3 * (b - a) * scale]
            owners.append(covered)
        counts: dict[int, int] = {}
        for covered in owners:
            for j in covered:
                counts[j] = counts.get(j, 0) + 1
        for covered in owners:
            if len(covered) >= 2:
                labels.append(OTHER)  # touching glyphs: the reader splits these
            elif len(covered) == 1 and counts[covered[0]] == 1:
                labels.append(ranges[covered[0]][2])
            else:
                labels.append(None)  # a broken glyph's piece: not a sample
        keep = [i for i, label in enumerate(labels) if label is not None]
        if not keep:
            continue
        rows = features(clusters)
        xs.append(rows[keep])
        ys.extend(index[labels[i]] for i in keep)
    return np.concatenate(xs), np.array(ys, dtype=np.int64)


def train(x: np.ndarray, y: np.ndarray, epochs: int, seed: int, hidden=(256, 128)):
    """A ReLU perceptron trained with Adam on softmax cross-entropy."""
    rng = np.random.default_rng(seed)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-3
    x = ((x - mean) / scale).astype(np.float32)
    sizes = (x.shape[1], *hidden, len(LABELS))
    params = []
    for a, b in zip(sizes, sizes[1:]):
        params += [rng.normal(0, np.sqrt(2 / a), (a, b)).astype(np.float32),
                   np.zeros(b, np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    step, lr, batch = 0, 2e-3, 256
    for epoch in range(epochs):
        order = rng.permutation(len(x))
        loss_sum = 0.0
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            acts = [x[idx]]
            for i in range(0, len(params), 2):
                z = acts[-1] @ params[i] + params[i + 1]
                acts.append(np.maximum(z, 0) if i < len(params) - 2 else z)
            logits = acts[-1] - acts[-1].max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            loss_sum += -np.log(p[np.arange(len(idx)), y[idx]] + 1e-9).sum()
            grad = p
            grad[np.arange(len(idx)), y[idx]] -= 1
            grad /= len(idx)
            grads = [None] * len(params)
            for i in range(len(params) - 2, -1, -2):
                grads[i] = acts[i // 2].T @ grad + 1e-5 * params[i]
                grads[i + 1] = grad.sum(axis=0)
                if i:
                    grad = (grad @ params[i].T) * (acts[i // 2] > 0)
            step += 1
            rate = lr * (0.5 ** (epoch // max(1, epochs // 3)))
            for k, g in enumerate(grads):
                m[k] = 0.9 * m[k] + 0.1 * g
                v[k] = 0.999 * v[k] + 0.001 * g * g
                mh = m[k] / (1 - 0.9 ** step)
                vh = v[k] / (1 - 0.999 ** step)
                params[k] -= rate * mh / (np.sqrt(vh) + 1e-8)
        print(f"epoch {epoch + 1}/{epochs}: loss {loss_sum / len(x):.4f}", flush=True)
    return params, mean.astype(np.float32), scale.astype(np.float32)


def save(path: Path, params, mean, scale) -> None:
    arrays = {f"w{i // 2}": params[i] for i in range(0, len(params), 2)}
    arrays |= {f"b{i // 2}": params[i + 1] for i in range(0, len(params), 2)}
    np.savez_compressed(path, depth=np.array(len(params) // 2), mean=mean, scale=scale,
                        labels=np.array(LABELS), **arrays)


def evaluate(path: Path, x: np.ndarray, y: np.ndarray) -> dict:
    from ocr.digit_model import DigitModel

    pred = DigitModel(path).probabilities(x).argmax(axis=1)
    digit_ids = [i for i, lab in enumerate(LABELS) if lab.isdigit()]
    is_digit = np.isin(y, digit_ids)
    other = LABELS.index(OTHER)
    return {
        "clusters": int(len(y)),
        "accuracy": round(float((pred == y).mean()), 4),
        "digit_accuracy": round(float((pred[is_digit] == y[is_digit]).mean()), 4),
        "other_read_as_digit": round(float(np.isin(pred[y == other], digit_ids).mean()), 4),
        "per_label": {LABELS[k]: round(float((pred[y == k] == k).mean()), 3)
                      for k in range(len(LABELS)) if (y == k).any()},
    }


def per_family(path: Path, seed: int, families: tuple[str, ...], n_tokens: int) -> dict:
    """Scores on fresh tokens (another seed) of each family alone."""
    out = {}
    for k, family in enumerate(families):
        vx, vy = samples(random.Random(seed * 100 + k), (family,), n_tokens)
        report = evaluate(path, vx, vy)
        out[family] = {key: report[key] for key in
                       ("clusters", "accuracy", "digit_accuracy", "other_read_as_digit")}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=48000)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2567)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--hold-out", choices=FAMILIES, default=None,
                        help="leave one family out of training to see how the model "
                             "reads a design it has never seen (the shipped model uses all)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    train_families = tuple(f for f in FAMILIES if f != args.hold_out)
    t0 = time.perf_counter()
    x, y = samples(rng, train_families, args.tokens)
    print(f"{len(y)} training clusters from {args.tokens} tokens "
          f"in {time.perf_counter() - t0:.0f} s", flush=True)
    vx, vy = samples(random.Random(args.seed + 1), FAMILIES, max(1000, args.tokens // 10))
    assert x.shape[1] == FEATURES
    params, mean, scale = train(x, y, args.epochs, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save(args.out, params, mean, scale)
    report = {"seed": args.seed, "tokens": args.tokens, "epochs": args.epochs,
              "trained_on": list(train_families), "held_out_font": args.hold_out,
              "fresh_tokens": evaluate(args.out, vx, vy),
              "per_family": per_family(args.out, args.seed + 2, FAMILIES,
                                       max(20, min(400, args.tokens // 100))),
              "train": evaluate(args.out, x[:20000], y[:20000]),
              "seconds": round(time.perf_counter() - t0)}
    args.out.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
