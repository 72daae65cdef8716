"""Review queue benchmark: page 1, a late page and "next" over a large store.

Usage::

    nice .venv/bin/python bench/review_queue.py --records 200000 [--home DIR] [--rounds 20]

Writes `--records` records straight into a fresh archive's SQLite store (a
Core bulk insert, as bench/search.py does; `records.review_confidence` is
filled by its column default): each header field read with a random
confidence, about one in five not read, one in ten records with fields a
person confirmed, one in twenty secret. Then times, as a clerk (clearance
none, threshold 0.8), `review_page` for page 1 and for a page near the end,
and `next_in_queue`, each the median of `--rounds` runs. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]
os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from sqlalchemy import insert  # noqa: E402

from ingest.archive import Archive  # noqa: E402
from schemas.enums import RecordStatus, Secrecy  # noqa: E402
from schemas.review_rule import REVIEW_FIELDS  # noqa: E402
from schemas.settings import Settings  # noqa: E402
from schemas.tables import Record, StoredFile  # noqa: E402
from store.review_queue import next_in_queue, review_page  # noqa: E402

INSERT_BATCH = 5000
THRESHOLD = 0.8


def _row(i: int, rng: random.Random, start: dt.datetime) -> dict[str, object]:
    confidence = {name: round(rng.uniform(0.5, 1.0), 3) for name in REVIEW_FIELDS
                  if rng.random() > 0.2}
    seen = rng.sample(REVIEW_FIELDS, rng.randint(1, 8)) if rng.random() < 0.1 else []
    return {"id": i, "file_id": i, "status": RecordStatus.ok, "subject": f"หนังสือที่ {i}",
            "secrecy": Secrecy.secret if i % 20 == 0 else Secrecy.none,
            "confidence": confidence, "corrected_fields": {name: {} for name in seen},
            "created_at": start + dt.timedelta(seconds=i)}


def fill_store(archive: Archive, n: int) -> float:
    """Insert `n` records (and a file row each); return seconds taken."""
    started = time.perf_counter()
    rng, start = random.Random(5), dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with archive.db.engine.begin() as conn:
        for first in range(1, n + 1, INSERT_BATCH):
            ids = range(first, min(first + INSERT_BATCH, n + 1))
            conn.execute(insert(StoredFile), [
                {"id": i, "sha256": f"{i:064x}", "size": 1, "mime": "application/pdf",
                 "original_name": f"{i}.pdf"} for i in ids])
            conn.execute(insert(Record), [_row(i, rng, start) for i in ids])
    return time.perf_counter() - started


def median_ms(rounds: int, run: Callable[[], object]) -> float:
    """Median wall time of `run` in milliseconds."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="saraban-rq-"))
    archive = Archive.open(Settings(home=home))
    try:
        print(f"fill {args.records:,} records: {fill_store(archive, args.records):.1f} s")
        with archive.db.session() as session:
            first = review_page(session, Secrecy.none, THRESHOLD, 1)
            print(f"queue: {first.total:,} records, {first.pages:,} pages")
            late = max(1, first.pages - 10)
            after = first.entries[5].record.id

            def page(number: int) -> Callable[[], object]:
                return lambda: review_page(session, Secrecy.none, THRESHOLD, number)

            print(f"review_page 1: {median_ms(args.rounds, page(1)):.1f} ms (median)")
            print(f"review_page {late:,}: {median_ms(args.rounds, page(late)):.1f} ms (median)")
            nxt = median_ms(args.rounds,
                            lambda: next_in_queue(session, Secrecy.none, THRESHOLD, after))
            print(f"next_in_queue: {nxt:.1f} ms (median)")
    finally:
        archive.close()


if __name__ == "__main__":
    main()
