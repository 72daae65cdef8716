"""Thai analysis shared by every backend: both index the same Python-side tokens.

- `words`: PyThaiNLP (newmm) word segmentation, digits folded to Arabic,
  lower case, punctuation dropped.
- `grams`: character bigrams of each Thai run with tone marks removed, so a
  compound (อนุเคราะห์ inside ความอนุเคราะห์) and an OCR-damaged word
  (a dropped tone mark, one wrong character) still match.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pythainlp.tokenize import word_tokenize

from schemas.text import fold

_THAI_RUN = re.compile(r"[\u0e01-\u0e4f]+")
_TONE_AND_SILENT = re.compile(r"[\u0e47-\u0e4c]")  # ็ ่ ้ ๊ ๋ ์
_WORDLIKE = re.compile(r"\w")
_LATIN_OR_DIGIT_RUN = re.compile(r"[a-z0-9]+(?:[.][a-z0-9]+)*")


@lru_cache(maxsize=4096)
def _segment(chunk: str) -> tuple[str, ...]:
    return tuple(word_tokenize(chunk, engine="newmm", keep_whitespace=False))


def words(text: str) -> list[str]:
    """Word tokens of `text`, folded (NFC, Arabic digits, lower case)."""
    tokens: list[str] = []
    for chunk in fold(text).split():
        if _THAI_RUN.search(chunk):
            tokens.extend(t for t in _segment(chunk) if _WORDLIKE.search(t))
        else:
            tokens.extend(_LATIN_OR_DIGIT_RUN.findall(chunk) or ([chunk] if _WORDLIKE.search(chunk) else []))
    return [t.strip() for t in tokens if t.strip()]


def gram_base(text: str) -> str:
    """The folded form the gram field is built from: no tone marks, no spaces in Thai."""
    return _TONE_AND_SILENT.sub("", fold(text))


def grams(text: str) -> list[str]:
    """Positional character bigrams of each Thai run, in order."""
    out: list[str] = []
    for run in _THAI_RUN.findall(gram_base(text)):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def joined(tokens: list[str]) -> str:
    """Tokens as the space-separated text the backends' whitespace tokenizer splits."""
    return " ".join(tokens)
