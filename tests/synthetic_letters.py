"""Varied synthetic scans for measuring extraction: fonts, noise, stamps, layouts.

`letter_spec(seed)` draws, from the seed alone, a letter (`cli.samples.make_letter`)
and how it is scanned (`cli.samples_render.render_pages`): one of the TLWG
fonts, 150–300 dpi, colour or grey, noise, blur, skew, JPEG, Thai or Arabic
digits, kind, circular numbers, secrecy and urgency stamps (more often than
the plain generator draws them), zero to three receipt stamps and two-page
letters. `write_spec` renders and writes it with its truth sidecar.

Seed ranges are kept apart so nothing is tuned on the letters it is scored on:
`TUNING` for looking at failures, `HELD_OUT` for the figures reported.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from cli.samples import make_letter, render_pages, write_letter

#: Seeds to look at while improving extraction.
TUNING = range(500_000, 502_000)
#: Seeds only ever scored, never looked at while tuning.
HELD_OUT = range(900_000, 902_000)
FONTS = ("Laksaman", "Garuda", "Kinnari", "Loma", "Norasi", "Sawasdee", "TlwgTypo",
         "Waree", "Umpush", "Purisa")
KINDS = ("external", "memo", "order")
SECRECY = ("none", "confidential", "secret", "top_secret")
URGENCY = ("normal", "urgent", "very_urgent", "most_urgent")


@dataclass
class LetterSpec:
    """A letter's ground truth and the options of its scan."""

    truth: dict
    render: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.truth["id"]


def letter_spec(seed: int) -> LetterSpec:
    """Draw one varied letter and scan from `seed` (deterministic)."""
    rng = random.Random(seed * 7 + 3)
    receipts = rng.choices((0, 1, 2, 3), weights=(4, 3, 2, 1))[0]
    truth = make_letter(
        seed,
        kind=rng.choices(KINDS, weights=(5, 3, 2))[0],
        thai_digits=rng.random() < 0.55,
        secrecy=rng.choices(SECRECY, weights=(10, 3, 2, 1))[0],
        urgency=rng.choices(URGENCY, weights=(8, 3, 3, 2))[0],
        long=rng.random() < 0.2,
        receipt_stamp=receipts > 0,
        dpi=rng.choice((150, 200, 200, 240, 300)),
        letter_id=f"G{seed:07d}",
    )
    extra = tuple(rng.randint(1, 9999) for _ in range(max(0, receipts - 1)))
    if extra:
        truth["receipt_stamp_numbers"] = [truth["receipt_stamp_number"], *extra]
    render = {
        "font": rng.choice(FONTS),
        "noise": round(rng.choice((0.0, 0.02, 0.04, 0.06)), 3),
        "blur": round(rng.choice((0.0, 0.0, 0.5, 0.8)), 2),
        "skew_deg": round(rng.uniform(-1.2, 1.2), 2) if rng.random() < 0.6 else 0.0,
        "jpeg_quality": rng.choice((None, 85, 70)),
        "colour": rng.random() < 0.7,
        "extra_receipts": extra,
    }
    truth["scan"] = {k: v for k, v in render.items() if k != "extra_receipts"}
    return LetterSpec(truth, render)


def write_spec(spec: LetterSpec, out_dir: Path) -> Path:
    """Render `spec` and write its PDF and truth sidecar into `out_dir`; return the PDF."""
    pdf = Path(out_dir) / f"{spec.id}.pdf"
    if pdf.exists() and pdf.with_suffix(".json").exists():
        return pdf
    return write_letter(spec.truth, render_pages(spec.truth, **spec.render), out_dir)


def scanned_page(seed: int, out_dir: Path, number: int = 1):  # type: ignore[no-untyped-def]
    """Page `number` of letter `seed` as a scanner gives it (grey when the
    scan is grey) and its dpi: what `ocr.page_reader.read_page` is handed."""
    import pypdfium2 as pdfium

    spec = letter_spec(seed)
    dpi = spec.truth["dpi"]
    pdf = pdfium.PdfDocument(write_spec(spec, out_dir))
    page = pdf[number - 1].render(scale=dpi / 72).to_pil()
    return (page if spec.truth["scan"]["colour"] else page.convert("L")), dpi
