"""Snippets: the best window of a record's text with whole Thai words marked."""

from __future__ import annotations

import html
import re

from index.analysis import LATIN_OR_DIGIT_RUN, gram_base, segment, words
from schemas.text import fold

WINDOW_WORDS = 40
_THAI = re.compile(r"[\u0e01-\u0e4f]")


def _matches(token: str, wanted: set[str], wanted_bases: list[str]) -> bool:
    folded = fold(token)
    if not folded.strip():
        return False
    if folded in wanted:
        return True
    if not _THAI.search(folded):
        return any(part in wanted for part in LATIN_OR_DIGIT_RUN.findall(folded))
    base = gram_base(token)
    return len(base) >= 2 and any(len(w) >= 3 and w in base for w in wanted_bases)


def snippet(text: str, terms: list[str], *, window: int = WINDOW_WORDS) -> str:
    """HTML-escaped snippet of `text` around the densest run of `terms`, marked with <mark>.

    Whole words are marked (never half a syllable): a word is marked when it
    is a query word, or contains a query word of three or more characters
    (a compound). Without matches, the start of the text is returned.
    """
    flat = " ".join(text.replace("\f", "\n").split())
    if not flat:
        return ""
    tokens = segment(flat)
    wanted = {w for term in terms for w in words(term)}
    wanted_bases = [gram_base(term).replace(" ", "") for term in terms] + [
        gram_base(w) for w in wanted]
    hits = [i for i, token in enumerate(tokens) if _matches(token, wanted, wanted_bases)]
    start = _best_start(hits, len(tokens), window)
    end = min(len(tokens), start + window)
    marked = set(hits)
    parts = []
    for i in range(start, end):
        piece = html.escape(tokens[i])
        parts.append(f"<mark>{piece}</mark>" if i in marked else piece)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(tokens) else ""
    return prefix + "".join(parts).strip() + suffix


def _best_start(hits: list[int], total: int, window: int) -> int:
    if not hits:
        return 0
    best, best_count = hits[0], 0
    right = 0
    for left, position in enumerate(hits):
        while right < len(hits) and hits[right] < position + window:
            right += 1
        if right - left > best_count:
            best, best_count = position, right - left
    return max(0, min(best - window // 4, total - window))
