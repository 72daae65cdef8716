"""Ingest shared/letters with `saraban ingest` and check each letter is found by its subject.

Usage::

    .venv/bin/python bench/sample_letters.py [--letters DIR] [--home DIR]

Prints the ingest time, then for each letter the subject word searched and
the rank of the letter in `saraban search WORD --json` (top 10), and the
count found. A word is the longest PyThaiNLP word of the subject (ties: first).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pythainlp.tokenize import word_tokenize


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SARABAN_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True,
                          env=env, check=False)


def subject_word(subject: str) -> str:
    words = [w for w in word_tokenize(subject, keep_whitespace=False) if len(w) > 2]
    return max(words, key=len)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=Path, default=Path(__file__).resolve().parents[2]
                        / "shared" / "letters")
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="saraban-bench-"))
    pdfs = sorted(args.letters.glob("*/*.pdf"))
    started = time.monotonic()
    done = run(home, "ingest", *map(str, pdfs), "--json")
    took = time.monotonic() - started
    by_file = {json.loads(line)["file"]: json.loads(line) for line in done.stdout.splitlines()}
    print(f"ingested {len(pdfs)} letters in {took:.1f} s ({took / len(pdfs):.1f} s/letter, "
          f"{os.cpu_count()} cores), exit {done.returncode}")
    found = 0
    for pdf in pdfs:
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        word = subject_word(truth["subject"])
        hits = json.loads(run(home, "search", word, "--json").stdout)["hits"]
        ids = [hit["record_id"] for hit in hits]
        record_id = by_file[str(pdf)]["record_id"]
        rank = ids.index(record_id) + 1 if record_id in ids else None
        found += rank is not None
        print(f"{pdf.stem}  {word:<24} rank {rank}")
    print(f"found in top 10 by a subject word: {found}/{len(pdfs)}")


if __name__ == "__main__":
    main()
