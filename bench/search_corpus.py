"""A fast generator of realistic archive records for the search benchmark (no rendering, no OCR).

A pool of letters composed by `cli.samples.make_letter` (real Thai letter
text, one or two pages, Thai or Arabic digits) is recombined per record:
each record takes one pool letter's text with its own OCR-style damage
(tone marks dropped, ำ split, look-alike consonants swapped, a few stray
Latin characters, a letter number rewritten), its own number, date, sender,
addressee, secrecy, urgency and อ้างถึง references (about one in four cite an
earlier record of the corpus, so threads exist). The damage makes most
records' word pieces differ, so the analysis caches are not flattered.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli.samples import make_letter  # noqa: E402
from cli import samples_vocab as V  # noqa: E402
from cli.samples_queries import damage  # noqa: E402

SECRECY = (("none", 0.9), ("confidential", 0.06), ("secret", 0.03), ("top_secret", 0.01))
URGENCY = (("normal", 0.7), ("urgent", 0.15), ("very_urgent", 0.1), ("most_urgent", 0.05))
KINDS = {"external": 0.55, "memo": 0.3, "order": 0.1, "announcement": 0.05}


def letter_pool(size: int = 1500, seed: int = 100_000) -> list[dict]:
    """Composed letters to recombine (about one in six runs to two pages)."""
    return [make_letter(seed + i, long=(i % 6 == 5)) for i in range(size)]


def _weighted(rng: random.Random, options) -> str:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def records(n: int, pool: list[dict], seed: int = 7) -> Iterator[dict]:
    """`n` record rows (dicts of Record columns) in id order 1..n."""
    rng = random.Random(seed)
    numbers: list[tuple[str, dt.date]] = []
    kinds = list(KINDS.items())
    for record_id in range(1, n + 1):
        base = pool[rng.randrange(len(pool))]
        date = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(21 * 365))
        code = f"ศธ 04{rng.randint(1, 299):03d}"
        number = f"{code}/{'ว' if rng.random() < 0.2 else ''}{rng.randint(1, 9000)}"
        refs = []
        if numbers and rng.random() < 0.25:
            cited_number, cited_date = numbers[rng.randrange(len(numbers))]
            refs.append({"number": cited_number, "date": cited_date.isoformat()})
        if rng.random() < 0.15:
            refs.append({"number": f"ศธ 04{rng.randint(1, 299):03d}/{rng.randint(1, 4000)}",
                         "date": (date - dt.timedelta(days=30)).isoformat()})
        if len(numbers) < 50_000:
            numbers.append((number, date))
        elif rng.random() < 0.02:
            numbers[rng.randrange(len(numbers))] = (number, date)
        text = damage(base["text"].replace(base["number"], number), rng)
        prov = rng.choice(V.PROVINCES)[0]
        yield {
            "id": record_id, "kind": _weighted(rng, kinds), "number": number,
            "date": date, "subject": base["subject"], "to": base["to"] or "",
            "from_org": f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษา{prov} เขต {rng.randint(1, 4)}",
            "secrecy": _weighted(rng, SECRECY), "urgency": _weighted(rng, URGENCY),
            "references": refs, "enclosures": base["enclosures"], "signer": base["signer"],
            "text": text, "status": "ok",
        }
