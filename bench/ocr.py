"""OCR benchmark: character error rate and time per page, ours vs plain Tesseract.

    .venv/bin/python bench/ocr.py                      # ../shared/letters/hard
    .venv/bin/python bench/ocr.py --letters DIR -v     # any folder of <id>.pdf + <id>.json

Baseline: `tesseract PAGE - -l tha --psm 3 --dpi DPI` on each page image at
its scan resolution. Ours: `ocr.page_reader.read_page` (layout, Tesseract on
the body, the project's digit model). Both run one Tesseract thread
(OMP_THREAD_LIMIT=1), one page at a time, on the same page images. Time is
CPU seconds per page (process and children), which other load on the
machine does not inflate; wall time is printed too.

CER = edit distance / reference length, over the whole set, after Unicode
NFC and with all whitespace removed, against the ground truth's `text`
(every line printed on the letter; stamps are not part of it, so our
stamps' lines are left out of our text and reported apart).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

os.environ["OMP_THREAD_LIMIT"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from ocr.page_reader import read_page  # noqa: E402
from ocr.pages import pdf_page_count, render_scan_page  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "letters" / "hard"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def baseline(image_path: Path, dpi: int) -> str:
    return subprocess.run(
        ["tesseract", str(image_path), "-", "-l", "tha", "--psm", "3", "--dpi", str(dpi)],
        capture_output=True, text=True, check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
    ).stdout


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: unlike wall time,
    it does not grow when other work shares the machine."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=Path, default=DEFAULT)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    totals = {"ref": 0, "base_err": 0, "ours_err": 0, "base_s": 0.0, "ours_s": 0.0, "pages": 0,
              "base_wall": 0.0, "ours_wall": 0.0}
    print(f"{'letter':<12}{'pages':>6}{'dpi':>5}{'CER base':>10}{'CER ours':>10}"
          f"{'CPU s/page base':>17}{'CPU s/page ours':>17}")
    with tempfile.TemporaryDirectory() as tmp:
        for truth_path in sorted(args.letters.glob("*.json")):
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            pdf = truth_path.with_suffix(".pdf")
            base_text, ours_text, base_s, ours_s = [], [], 0.0, 0.0
            pages = pdf_page_count(pdf)
            for number in range(1, pages + 1):
                image, dpi = render_scan_page(pdf, number)
                page_png = Path(tmp) / f"{truth_path.stem}-{number}.png"
                image.save(page_png, dpi=(dpi, dpi))
                t0, c0 = time.perf_counter(), cpu_seconds()
                base_text.append(baseline(page_png, dpi))
                t1, c1 = time.perf_counter(), cpu_seconds()
                reading = read_page(image, dpi)
                t2, c2 = time.perf_counter(), cpu_seconds()
                ours_text.append(reading.text)
                base_s += c1 - c0
                ours_s += c2 - c1
                totals["base_wall"] += t1 - t0
                totals["ours_wall"] += t2 - t1
                if args.verbose:
                    for stamp in reading.stamps:
                        print(f"    stamp {stamp.zone.box}: {' | '.join(stamp.lines)}")
            ref = squash(truth["text"])
            base_err = Levenshtein.distance(ref, squash("".join(base_text)))
            ours_err = Levenshtein.distance(ref, squash("".join(ours_text)))
            totals["ref"] += len(ref)
            totals["base_err"] += base_err
            totals["ours_err"] += ours_err
            totals["base_s"] += base_s
            totals["ours_s"] += ours_s
            totals["pages"] += pages
            print(f"{truth_path.stem:<12}{pages:>6}{dpi:>5}{base_err / len(ref):>10.3f}"
                  f"{ours_err / len(ref):>10.3f}{base_s / pages:>17.2f}{ours_s / pages:>17.2f}")
            if args.verbose:
                print("\n".join("    " + line for line in "\n".join(ours_text).splitlines()))
    n = totals["pages"]
    print(f"{'ALL':<12}{n:>6}{'':>5}{totals['base_err'] / totals['ref']:>10.3f}"
          f"{totals['ours_err'] / totals['ref']:>10.3f}{totals['base_s'] / n:>17.2f}"
          f"{totals['ours_s'] / n:>17.2f}")
    print(f"wall time per page (shared machine): baseline {totals['base_wall'] / n:.2f} s, "
          f"ours {totals['ours_wall'] / n:.2f} s")


if __name__ == "__main__":
    main()
