"""Score extract_letter on the sample letters' real OCR text, field by field.

Usage::

    .venv/bin/python bench/extract_eval.py [--cache /tmp/ocr_cache] [--letters DIR] [-v]

Each ``<id>.pdf`` under ``DIR/easy`` and ``DIR/hard`` goes once through the
product's scan reader (ocrmypdf ``-l tha+eng --deskew --clean``, sidecar text,
one Tesseract thread, plus the stamp-zone OCR) and the result is cached as
``<cache>/<id>.pipeline.json``. The extraction is
compared with ``<id>.json`` by the rules of shared/letters/README.md: NFC,
whitespace removed and digits folded; dates as dates; numbers canonical;
subject, to and enclosures right at a difflib similarity of at least 0.90.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.extract import _prepare, extract_letter  # noqa: E402
from schemas.letter import LetterMetadata  # noqa: E402
from schemas.letter_numbers import canonical_number  # noqa: E402
from schemas.text import nfc, to_arabic_digits  # noqa: E402

FIELDS = (
    "kind", "number", "circular", "date", "subject", "to", "from_org",
    "secrecy", "urgency", "references", "enclosures", "signer",
)
SIMILAR = 0.90
CONFIDENT = 0.7


def pipeline_text(pdf: Path, cache: Path) -> tuple[str, list[str], str | None, list, list[str]]:
    """The cleaned OCR text of `pdf`, its stamp-zone lines, number line, stamps and
    doubtful digits, as extraction gets them.

    Runs the product's own intake pipeline (ocrmypdf + stamp zones) once per
    letter and caches the result as ``<cache>/<id>.pipeline.json``.
    """
    target = cache / f"{pdf.stem}.pipeline.json"
    if not target.exists():
        from ingest.components import _document
        from ocr.ocrmypdf_exec import OcrmypdfOptions
        from ocr.scans import ocr_pdf

        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            result = ocr_pdf(pdf, Path(tmp), OcrmypdfOptions(jobs=1))
        doc = _document(result)
        target.write_text(json.dumps({"text": doc.content, "stamps": doc.meta["stamp_lines"],
                                     "number_line": doc.meta["number_line"],
                                     "stamp_groups": doc.meta["stamps"],
                                     "doubtful_digits": doc.meta["doubtful_digits"]},
                                     ensure_ascii=False), encoding="utf-8")
    data = json.loads(target.read_text(encoding="utf-8"))
    return (data["text"], data["stamps"], data["number_line"], data.get("stamp_groups", []),
            data.get("doubtful_digits", []))


def _fold(text: str | None) -> str:
    """NFC, Arabic digits, no whitespace."""
    return "".join(to_arabic_digits(nfc(text or "")).split())


def _similar(a: str | None, b: str | None) -> bool:
    """True when both are given and their folded forms are at least 90 % alike."""
    if not a or not b:
        return not a and not b
    return difflib.SequenceMatcher(None, _fold(a), _fold(b)).ratio() >= SIMILAR


def _same_number(a: str | None, b: str | None) -> bool:
    """Numbers equal in canonical form."""
    if not a or not b:
        return not a and not b
    return canonical_number(a) == canonical_number(b)


def _refs_right(got: list, want: list[dict]) -> bool:
    """Same count, each with the same canonical number and date."""
    return len(got) == len(want) and all(
        _same_number(g.number, w.get("number"))
        and (g.date.isoformat() if g.date else None) == w.get("date")
        for g, w in zip(got, want)
    )


def field_right(field: str, got: LetterMetadata, truth: dict) -> bool:
    """Whether `got` has `field` right against the truth JSON."""
    value, want = getattr(got, field), truth.get(field)
    if field in ("subject", "to"):
        return _similar(value, want)
    if field == "number":
        return _same_number(value, want)
    if field == "date":
        return value == (dt.date.fromisoformat(want) if want else None)
    if field == "references":
        return _refs_right(value, want or [])
    if field == "enclosures":
        return len(value) == len(want or []) and all(map(_similar, value, want or []))
    if field in ("from_org", "signer"):
        return _fold(value) == _fold(want)
    if field in ("kind", "secrecy", "urgency"):
        return (value.value if value is not None else None) == want
    return value == want


def evaluate(letters: Path, cache: Path, verbose: bool) -> dict[str, list[bool]]:
    """Run extraction on every sample letter; print one row per letter; return the marks."""
    marks: dict[str, list[bool]] = {f: [] for f in FIELDS}
    overconfident: list[str] = []
    arabic: dict[str, list[bool]] = {"number": [], "date": []}
    receipts: list[bool] = []
    stamp_as_number = 0
    header = f"{'letter':10} {'digits':6} " + " ".join(f"{f[:7]:>7}" for f in FIELDS)
    print(header)
    for pdf in sorted(letters.glob("*/*.pdf")):
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        text, stamps, number_line, groups, doubtful = pipeline_text(pdf, cache)
        got = extract_letter(_prepare(text), stamps, number_line, groups, doubtful)
        row = []
        for field in FIELDS:
            ok = field_right(field, got, truth)
            marks[field].append(ok)
            if field in arabic and not truth["thai_digits"]:
                arabic[field].append(ok)
            row.append(f"{'ok' if ok else 'X':>7}")
            conf = got.confidence.get(field, 0.0)
            if not ok and conf >= CONFIDENT:
                overconfident.append(f"{pdf.stem} {field} conf {conf}: {getattr(got, field)!r}")
            if verbose and not ok:
                value, want = getattr(got, field), truth.get(field)
                print(f"  {pdf.stem} {field}: got {value!r} want {want!r}")
        if truth.get("receipt_stamp_number"):
            want = str(truth["receipt_stamp_number"])
            receipts.append(any(r.number == want for r in got.receipt_stamps))
            stamp_as_number += _fold(got.number).endswith("/" + want)
        digits = "thai" if truth["thai_digits"] else "arabic"
        print(f"{pdf.stem:10} {digits:6} " + " ".join(row))
    print(f"{'right':17} " + " ".join(f"{sum(v):>4}/{len(v):<2}" for v in marks.values()))
    for field, oks in arabic.items():
        print(f"{field} on Arabic-digit letters: {sum(oks)}/{len(oks)}")
    print(f"receipt stamps: {sum(receipts)}/{len(receipts)} stamp numbers read right; "
          f"stamp number taken for the letter's number: {stamp_as_number}")
    print(f"wrong with confidence >= {CONFIDENT}: {len(overconfident)}")
    for line in overconfident:
        print(f"  {line}")
    return marks


def main() -> None:
    """Parse arguments and print the score table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/ocr_cache"))
    parser.add_argument("--letters", type=Path, default=Path("/work/shared/letters"))
    parser.add_argument("-v", "--verbose", action="store_true", help="show wrong values")
    args = parser.parse_args()
    evaluate(args.letters, args.cache, args.verbose)


if __name__ == "__main__":
    main()
