"""Tune search relevance on OCR text of *tuning* letters (never the test's held-out letters).

Usage::

    .venv/bin/python bench/search_quality.py [--letters 40] [--cache /tmp/quality-ocr] [-v]

Renders letters with seeds from 50000 (tests/test_search_relevance.py uses
7000–7039 and 8000–8199), reads them with plain Tesseract (cached in
`--cache` between runs, so ranking changes can be tried quickly), adds 200
damaged distractors, and prints recall in the top 10 and MRR per kind of
query, with the misses when `-v`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli.samples import make_letter  # noqa: E402
from cli.samples_queries import (clerk_queries, evaluate, judged_archive, plain_ocr,  # noqa: E402
                                 ranked)
from ingest.archive import Archive  # noqa: E402
from schemas.settings import Settings  # noqa: E402

TUNING = 50_000
KINDS = ("external", "memo", "order")


def letter(i: int, seed: int) -> dict:
    return make_letter(seed, kind=KINDS[i % 3], thai_digits=bool(i % 2), long=i % 7 == 6,
                       letter_id=f"Q{seed}")


def ocr_text(truth: dict, i: int, cache: Path) -> str:
    path = cache / f"{truth['id']}.txt"
    if path.exists():
        return path.read_text(encoding="utf-8")
    text = plain_ocr(truth, i)
    path.write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=40)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/saraban-quality-ocr"))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    held = [letter(i, TUNING + i) for i in range(args.letters)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        texts = list(pool.map(lambda a: ocr_text(*a, args.cache), zip(held, range(len(held)))))
    archive = Archive.open(Settings(home=Path(tempfile.mkdtemp(prefix="saraban-quality-"))))
    others = [letter(i, TUNING + 1000 + i) for i in range(200)]
    ids = judged_archive(archive, list(zip(held, texts, strict=True)), others)
    held_ids = {t["id"] for t in held}
    queries = [q for q in clerk_queries(held + others) if q.relevant & held_ids]
    top = ranked(archive, ids, queries)
    for kind, s in sorted(evaluate(queries, top).items()):
        print(f"{kind:<9} n={int(s['n']):>3}  recall@10 {s['recall']:.3f}  MRR {s['mrr']:.3f}")
    if args.verbose:
        for q in queries:
            found = top[q.text]
            first = next((r for r, i in enumerate(found, 1) if i in q.relevant), None)
            if first != 1:
                print(json.dumps({"kind": q.kind, "q": q.text, "rank": first, "top": found[:3],
                                  "relevant": sorted(q.relevant)[:4]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
