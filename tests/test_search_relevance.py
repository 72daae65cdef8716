"""Relevance on OCR text: letters the test renders and reads with plain Tesseract itself.

Forty held-out letters (seeds 7000–7039; tuning uses 50000+ in
bench/search_quality.py) are drawn as scans, a third of them with scanner
noise and blur, read by Tesseract (`tha+eng`, no cache), cleaned and
extracted as intake does; two hundred more letters with OCR-like damage
(no rendering) stand beside them as distractors. The clerk-style queries of
cli/samples_queries.py are then searched and judged against ground truth.
Targets (issue 4): recall in the top 10 ≥ 0.95, mean reciprocal rank ≥ 0.90;
measured 0.969 and 0.971.

A letter number typed in the other digits is judged twice: on the plain
Tesseract text (which has no ๔ ๖ ๗ ๘ ๙, so some numbers are simply not in
it) and on the same scans read as intake reads them (`ocr.page_reader`, the
digit model on number lines): that text is what the archive indexes.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from cli.samples import make_letter
from cli.samples_queries import (archive_ocr, clerk_queries, evaluate, judged_archive,
                                 plain_ocr, ranked)

pytestmark = pytest.mark.slow

HELD_OUT = range(7000, 7040)
DISTRACTORS = range(8000, 8200)
KINDS = ("external", "memo", "order")


def _letter(i: int, seed: int) -> dict:
    return make_letter(seed, kind=KINDS[i % 3], thai_digits=bool(i % 2), long=i % 7 == 6,
                       letter_id=f"T{seed}")


def _judged(home, read):  # type: ignore[no-untyped-def]
    """The archive of the held-out letters as `read` reads them and the
    distractors, record id → letter id, and all truths."""
    from ingest.archive import Archive
    from schemas.settings import Settings

    archive = Archive.open(Settings(home=home))
    held = [_letter(i, seed) for i, seed in enumerate(HELD_OUT)]
    with ThreadPoolExecutor(max_workers=2) as pool:  # Tesseract runs as a subprocess
        texts = list(pool.map(read, held, range(len(held))))
    others = [_letter(i, seed) for i, seed in enumerate(DISTRACTORS)]
    ids = judged_archive(archive, list(zip(held, texts, strict=True)), others)
    return archive, ids, held + others


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    """Held-out letters read by plain Tesseract."""
    archive, ids, truths = _judged(tmp_path_factory.mktemp("relevance") / "home", plain_ocr)
    yield archive, ids, truths
    archive.close()


@pytest.fixture(scope="module")
def judged_by_archive(tmp_path_factory):
    """The same letters read as intake reads them."""
    archive, ids, truths = _judged(tmp_path_factory.mktemp("relevance_own") / "home",
                                   archive_ocr)
    yield archive, ids, truths
    archive.close()


def test_recall_and_mrr_on_ocr_text(judged, capsys):
    archive, ids, truths = judged
    held_ids = {f"T{seed}" for seed in HELD_OUT}
    queries = [q for q in clerk_queries(truths) if q.relevant & held_ids]
    top = ranked(archive, ids, queries)
    scores = evaluate(queries, top)
    with capsys.disabled():
        print(f"\nrelevance on OCR text ({dt.date.today()}):")
        for kind, s in sorted(scores.items()):
            print(f"  {kind:<9} n={int(s['n']):>3}  recall@10 {s['recall']:.3f}  MRR {s['mrr']:.3f}")
        misses = [(q.kind, q.text, top[q.text][:3], sorted(q.relevant)[:3]) for q in queries
                  if not set(top[q.text][:10]) & q.relevant]
        for miss in misses[:15]:
            print("  miss:", *miss)
    # Issue 4's targets: recall in the top 10 >= 0.95 and MRR >= 0.90.
    assert scores["all"]["recall"] >= 0.95
    assert scores["all"]["mrr"] >= 0.90


def _held_queries(truths, kind):
    held_ids = {f"T{seed}" for seed in HELD_OUT}
    return [q for q in clerk_queries(truths) if q.kind == kind and q.relevant & held_ids]


def _numbers_first(judged, reader: str) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    archive, ids, truths = judged
    queries = _held_queries(truths, "number")
    top = ranked(archive, ids, queries)
    missed = [q.text for q in queries if top[q.text][:1] != sorted(q.relevant)]
    print(f"\nletter number in the other digits, first ({reader}): "
          f"{len(queries) - len(missed)}/{len(queries)}; not first: {missed}")
    return missed, len(queries)


def test_number_in_the_other_digits_finds_that_letter_first(judged_by_archive, capsys):
    """As the archive reads the scans, numbers in Thai digits come back and a
    number typed in the other digits brings its letter first. Measured 40/40
    with the digit model of 2026-11-20, 38/40 with the one retrained on all
    thirteen fonts (see README, "Relevance on OCR text"); before the page reader stopped letting specks outvote a ที่ line the digit
    model had read (``า . ที ๒๐๑/๒๕๖๔ บ`` on a noisy order), that letter was
    not found by its number at all."""
    with capsys.disabled():
        missed, n = _numbers_first(judged_by_archive, "the archive's reader")
    assert len(missed) <= 0.05 * n, missed


def test_number_in_the_other_digits_on_plain_tesseract_text(judged, capsys):
    """Thai-digit letters lose ๔ ๖ ๗ ๘ ๙ in plain Tesseract (DESIGN.md); the graded
    number keys still bring most first. Measured 36/40: two numbers are not in
    the text at all (the ที่ line lost, the running number read as letters), two
    lost or gained a digit and rank second and fourth (README, "Search at
    archive scale")."""
    with capsys.disabled():
        missed, n = _numbers_first(judged, "plain Tesseract")
    assert len(missed) <= 0.10 * n, missed


def test_one_ocr_slip_in_the_query_still_finds_the_letter(judged):
    archive, ids, truths = judged
    queries = _held_queries(truths, "ocr_slip")
    scores = evaluate(queries, ranked(archive, ids, queries))
    assert scores["all"]["recall"] >= 0.95
