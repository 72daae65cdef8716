"""Clean Thai OCR output: joined sara am, no letter-spacing, NFC."""

from __future__ import annotations

import re

from pythainlp.util import normalize

from schemas.text import nfc

_THAI = "\u0e00-\u0e7f"
_SPACED_PAIR = re.compile(rf"(?<=[{_THAI}]) (?=[{_THAI}])")
_TOKEN = re.compile(r"\S+")
_BLANK_RUN = re.compile(r"\n{3,}")


def is_letter_spaced(line: str) -> bool:
    """Whether a line looks like Tesseract put a space between Thai characters.

    True when most tokens are a single Thai character (hOCR / PDF text layers
    do this; the sidecar text usually does not).
    """
    tokens = _TOKEN.findall(line)
    if len(tokens) < 4:
        return False
    single = sum(1 for token in tokens if len(token) <= 2 and re.match(rf"[{_THAI}]", token))
    return single / len(tokens) > 0.6


def clean_line(line: str) -> str:
    """One line of OCR text cleaned: NFC, ำ joined, letter-spacing removed."""
    line = nfc(line)
    if is_letter_spaced(line):
        # Word gaps are wider than letter gaps: keep runs of 2+ spaces as one space.
        parts = re.split(r" {2,}", line)
        line = " ".join(_SPACED_PAIR.sub("", part) for part in parts)
    # Keep wide gaps (columns on the page) as they are; normalise what lies between.
    # Removing an orphan mark can expose another, so repeat until nothing changes.
    for _ in range(4):
        pieces = re.split(r"( {2,})", line)
        cleaned = nfc("".join(_normalise_piece(piece) for piece in pieces)).strip()
        if cleaned == line:
            break
        line = cleaned
    return line


def _normalise_piece(piece: str) -> str:
    if piece.startswith("  ") or not re.search(f"[{_THAI}]", piece):
        return piece
    return normalize(piece)


def clean_thai_text(raw: str) -> str:
    """Clean a whole OCR text; pages stay separated by form feeds."""
    pages = raw.split("\f")
    cleaned = ["\n".join(clean_line(line) for line in page.splitlines()) for page in pages]
    return "\f".join(_BLANK_RUN.sub("\n\n", page).strip("\n") for page in cleaned).strip("\f")
