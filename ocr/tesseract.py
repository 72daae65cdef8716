"""Tesseract, one thread per call: the words of a page image, as TSV.

Tesseract's own OpenMP threads are several times slower than one thread
per core on 2 cores, so every call runs with OMP_THREAD_LIMIT=1 and the
intake runs one file per core. Page images go to Tesseract's stdin as
uncompressed PGM: encoding a PNG of a 300-dpi page costs as much as reading it.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from dataclasses import dataclass

import numpy as np

from schemas.errors import OcrError

TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Word:
    """One word Tesseract read: text, confidence (0–100), box, and its line."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in image pixels
    line: tuple[int, int, int]  # block, paragraph, line numbers


def read_words(gray: np.ndarray, dpi: int, languages: str, psm: int) -> list[Word]:
    """The words of a grey image (uint8, paper light) in Tesseract's reading order."""
    rows = csv.reader(io.StringIO(_run(gray, dpi, languages, psm, "tsv")), delimiter="\t",
                      quoting=csv.QUOTE_NONE)
    next(rows, None)  # the header
    words = []
    for row in rows:
        if len(row) < 12 or row[0] != "5":
            continue
        text = row[11].strip()
        if not text:
            continue
        left, top, w, h = (int(v) for v in row[6:10])
        words.append(Word(text, float(row[10]), (left, top, left + w, top + h),
                          (int(row[2]), int(row[3]), int(row[4]))))
    return words


def read_text(gray: np.ndarray, dpi: int, languages: str, psm: int) -> str:
    """Tesseract's plain text of a grey image: the baseline the benchmarks compare with."""
    return _run(gray, dpi, languages, psm, "txt")


def _run(gray: np.ndarray, dpi: int, languages: str, psm: int, output: str) -> str:
    height, width = gray.shape
    pgm = b"P5\n%d %d\n255\n" % (width, height) + np.ascontiguousarray(gray, np.uint8).tobytes()
    try:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", languages, "--psm", str(psm),
             "--dpi", str(dpi), output],
            input=pgm, capture_output=True, timeout=TIMEOUT_SECONDS, check=True,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrError("Tesseract ใช้เวลานานเกินไป (Tesseract timed out)") from exc
    except subprocess.CalledProcessError as exc:
        raise OcrError("Tesseract อ่านภาพไม่ได้ (Tesseract failed)",
                       exc.stderr.decode("utf-8", "replace")[-500:]) from exc
    return done.stdout.decode("utf-8", "replace")
