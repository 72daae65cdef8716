"""Thai analysis shared by every backend: both index the same Python-side tokens.

- `words`: Thai runs segmented into words (PyThaiNLP's `nlpo3` engine, the
  Rust port of newmm: the same maximal-matching on the same dictionary, about
  twenty times faster, which is what lets reindexing reach 1,000 letters a
  second), digits folded to Arabic, lower case, punctuation dropped.
- `grams`: character bigrams of each Thai run with tone marks removed, so a
  compound (อนุเคราะห์ inside ความอนุเคราะห์) and an OCR-damaged word
  (a dropped tone mark, one wrong character) still match.
- `loose_numbers`: the digits of every letter number in a text with the
  digits Tesseract's Thai model confuses folded together (it has no ๔ ๖ ๗ ๘ ๙;
  DESIGN.md), so a number typed correctly still finds a letter whose
  Thai-digit number came back damaged. Folding leaves four digit classes,
  so at archive scale a loose key is shared by many letters: it ranks below
  an exact number and only decides among letters whose number was misread.
  Arabic-digit numbers get keys too: their digits come back right, but the
  ว of a circular number often comes back as ``2`` or with a space after it,
  and the dot of a sub-unit with a space after it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pythainlp.tokenize import word_tokenize

from schemas.text import fold, nfc, to_arabic_digits

_THAI_RUN = re.compile(r"[\u0e01-\u0e4f]+")
_THAI_OR_NOT = re.compile(r"[\u0e01-\u0e4f]+|\s+|[^\s\u0e01-\u0e4f]+")
_TONE_AND_SILENT = re.compile(r"[\u0e47-\u0e4c]")  # ็ ่ ้ ๊ ๋ ์
_WORDLIKE = re.compile(r"\w")
LATIN_OR_DIGIT_RUN = re.compile(r"[a-z0-9]+(?:[.][a-z0-9]+)*")
# A number as OCR leaves it: Thai digits with ฒ or ส for ๗ or ๙ inside, a space
# after a sub-unit's dot, ว (or the 2 Tesseract makes of it) with a space after.
_DIGIT = "[0-9๐-๙]"
_NUMBER_IN_TEXT = re.compile(
    rf"(?<![0-9๐-๙])({_DIGIT}(?:{_DIGIT}|[ฒส](?=[๐-๙/]))*(?:\.\s?{_DIGIT}+)*)"
    rf"\s?/\s?(?:ว[ุู]?\s?|2\s)?({_DIGIT}(?:{_DIGIT}|[ฒส](?=[๐-๙]))*)(?![0-9๐-๙])")
_SPACE = re.compile(r"\s+")
_THAI_DIGIT = re.compile("[๐-๙]")
# Tesseract (tha) reads ๔ ๘ ๙ as ๕, ๖ as ๒ (or ๒๐), ๗ as ๓, ๕, ๑ or ฒ, ๙ as ส
# (measured on the generator's letters). Keys at three grains, finest first:
# the digits as read ("d:"); the common slips folded ("f:": ๔ ๘ ๙ ส → ๕,
# ๖ → ๒, ๗ ฒ → ๓); every slip folded (no prefix: ๓ and ๗ → ๕ as well). Leading
# zeros are dropped (ที่ is often read as a 0 glued to the number) and, in the
# folded keys, the 0s after a 2 (๒๐ for ๖). A search ranks a finer match
# higher and also allows one more slip (an edit) in the coarsest key.
_FINE = str.maketrans("46789ฒส", "5235535")
_COARSE = str.maketrans("346789ฒส", "55255555")
_ZERO_AFTER_TWO = re.compile(r"(?<=2)0+")
EXACT_KEY, FINE_KEY = "d:", "f:"
_ENGINE = "nlpo3"


_TOKEN = re.compile(r"([\u0e01-\u0e4f]+)|([a-z0-9]+(?:[.][a-z0-9]+)*)")
CACHE = 65_536  # distinct Thai runs kept per cache (bounded: the web server shares them)


@lru_cache(maxsize=CACHE)
def segment_thai(run: str) -> tuple[str, ...]:
    """Words of one run of Thai letters (cached: office letters repeat their words)."""
    return tuple(t for t in word_tokenize(run, engine=_ENGINE, keep_whitespace=False)
                 if t.strip())


@lru_cache(maxsize=CACHE)
def _thai_words(run: str) -> tuple[str, ...]:
    return tuple(t for t in segment_thai(run) if _WORDLIKE.search(t))


@lru_cache(maxsize=CACHE)
def _run_grams(run: str) -> tuple[str, ...]:
    base = _TONE_AND_SILENT.sub("", run)
    if len(base) == 1:
        return (base,)
    return tuple(base[i : i + 2] for i in range(len(base) - 1))


_MARKS = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
MIN_PART = 3


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words())


@lru_cache(maxsize=CACHE)
def word_parts(token: str) -> tuple[str, ...]:
    """Dictionary words inside a longer Thai token (ความอนุเคราะห์ → ความ, อนุเคราะห์).

    Maximal matching keeps compounds whole when the dictionary has them, so a
    reader's อนุเคราะห์ would miss ขอความอนุเคราะห์; indexing the parts lets a
    plain term lookup find it (a phrase of character bigrams would too, but
    costs tens of milliseconds on common words at 100,000 letters). Parts are
    at least three characters and never cut a vowel or tone mark from its
    consonant.
    """
    n = len(token)
    if n <= MIN_PART or not _THAI_RUN.fullmatch(token):
        return ()
    known = _dictionary()
    out = []
    for i in range(n):
        if _MARKS.match(token, i):
            continue
        for j in range(i + MIN_PART, n + 1):
            if (i == 0 and j == n) or (j < n and _MARKS.match(token, j)):
                continue
            if token[i:j] in known:
                out.append(token[i:j])
    return tuple(dict.fromkeys(out))


def parts_of(tokens: list[str]) -> list[str]:
    """The dictionary parts of every token, in order (see `word_parts`)."""
    out: list[str] = []
    for token in tokens:
        out.extend(word_parts(token))
    return out


def segment(text: str) -> list[str]:
    """`text` cut into pieces, Thai runs into words; joining the pieces gives `text` back."""
    out: list[str] = []
    for piece in _THAI_OR_NOT.findall(text):
        if _THAI_RUN.fullmatch(piece):
            out.extend(_split_keep(piece))
        else:
            out.append(piece)
    return out


def _split_keep(run: str) -> list[str]:
    pieces = list(segment_thai(run))
    return pieces if "".join(pieces) == run else [run]


def folded_words(folded: str) -> list[str]:
    """Word tokens of text already passed through `fold`."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(folded):
        thai, other = match.groups()
        if thai:
            tokens.extend(_thai_words(thai))
        else:
            tokens.append(other)
    return tokens


def folded_grams(folded: str) -> list[str]:
    """Character bigrams of text already passed through `fold` (tone marks removed)."""
    out: list[str] = []
    for run in _THAI_RUN.findall(folded):
        out.extend(_run_grams(run))
    return out


def words(text: str) -> list[str]:
    """Word tokens of `text`, folded (NFC, Arabic digits, lower case)."""
    return folded_words(fold(text))


def gram_base(text: str) -> str:
    """The folded form the gram field is built from: no tone marks, no spaces in Thai."""
    return _TONE_AND_SILENT.sub("", fold(text))


def grams(text: str) -> list[str]:
    """Positional character bigrams of each Thai run, in order."""
    return folded_grams(fold(text))


def number_keys(unit: str, running: str) -> tuple[str, str, str]:
    """The OCR-tolerant keys of a number's digits, finest first (agency letters and ว left out)."""
    digits = f"{unit.lstrip('0')}/{running}"
    return (EXACT_KEY + digits, FINE_KEY + _ZERO_AFTER_TWO.sub("", digits.translate(_FINE)),
            _ZERO_AFTER_TWO.sub("", digits.translate(_COARSE)))


def loose_number(unit: str, running: str) -> str:
    """The coarsest OCR-tolerant key of a number's digits."""
    return number_keys(unit, running)[2]


def loose_numbers(text: str) -> list[str]:
    """OCR-tolerant keys of the `digits/digits` numbers in `text`.

    Arabic digits come back right, so a number in them gets only its exact
    key; one in Thai digits may have lost ๔ ๖ ๗ ๘ ๙ and gets every grain.
    """
    found = []
    for m in _NUMBER_IN_TEXT.finditer(nfc(text)):
        keys = number_keys(to_arabic_digits(_SPACE.sub("", m.group(1))),
                           to_arabic_digits(m.group(2)))
        found.extend(keys if _THAI_DIGIT.search(m.group(0)) else keys[:1])
    return list(dict.fromkeys(found))


def joined(tokens: list[str]) -> str:
    """Tokens as the space-separated text the backends' whitespace tokenizer splits."""
    return " ".join(tokens)
