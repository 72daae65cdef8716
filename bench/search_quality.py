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
import random
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli.samples import make_letter, render_pages  # noqa: E402
from cli.samples_queries import clerk_queries, damage, evaluate, store_extracted  # noqa: E402
from index.backend import SearchRequest  # noqa: E402
from index.service import search  # noqa: E402
from index.sync import sync_pending  # noqa: E402
from ingest.archive import Archive  # noqa: E402
from ocr.clean import clean_thai_text  # noqa: E402
from ocr.tesseract import read_text  # noqa: E402
from schemas.enums import Secrecy  # noqa: E402
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
    noisy = {"noise": 0.05, "blur": 0.6, "skew_deg": 0.4} if i % 3 == 2 else {}
    text = clean_thai_text("\f".join(read_text(np.asarray(p.convert("L")), truth["dpi"], "tha+eng", 3)
                                     for p in render_pages(truth, **noisy)))
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
    rng = random.Random(5)
    others = [letter(i, TUNING + 1000 + i) for i in range(200)]
    ids = {}
    for truth, text in zip(held, texts, strict=True):
        ids[store_extracted(archive, truth["id"], text)] = truth["id"]
    for truth in others:
        ids[store_extracted(archive, truth["id"], damage(truth["text"], rng))] = truth["id"]
    sync_pending(archive.db, archive.backend)
    held_ids = {t["id"] for t in held}
    queries = [q for q in clerk_queries(held + others) if q.relevant & held_ids]
    ranked = {}
    for query in queries:
        response = search(archive.db, archive.backend, SearchRequest(
            query=query.text, clearance=Secrecy.top_secret, limit=10, suggest=False))
        ranked[query.text] = [ids[hit.record_id] for hit in response.hits]
    for kind, s in sorted(evaluate(queries, ranked).items()):
        print(f"{kind:<9} n={int(s['n']):>3}  recall@10 {s['recall']:.3f}  MRR {s['mrr']:.3f}")
    if args.verbose:
        for q in queries:
            top = ranked[q.text]
            first = next((r for r, i in enumerate(top, 1) if i in q.relevant), None)
            if first != 1:
                print(json.dumps({"kind": q.kind, "q": q.text, "rank": first, "top": top[:3],
                                  "relevant": sorted(q.relevant)[:4]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
