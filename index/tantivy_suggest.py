"""Type-ahead and "did you mean" from the archive's own vocabulary, within clearance.

Both walk Tantivy's term dictionary with the reader's clearance as the
filter query, so a term is offered only when a record the reader may see
contains it; terms whose visible count is zero are dropped here, never shown.
"""

from __future__ import annotations

import tantivy

from index.analysis import segment, words
from index.backend import Suggestion, SuggestRequest
from index.query import ParsedQuery
from index.tantivy_query import Compiler
from schemas.enums import Secrecy
from schemas.text import fold
from index.fuzzy import approximate_substring
from schemas.thai_dates import edit_distance

VOCABULARY = ("subject_words", "from_words")
MAX_CANDIDATES = 5000


def _visible_terms(searcher: tantivy.Searcher, compiler: Compiler, field: str, prefix: str,
                   clearance: Secrecy, limit: int | None) -> list[tuple[str, int]]:
    """Terms of `field` starting with `prefix`, counted over records the reader may see."""
    found = searcher.terms_with_prefix(field, prefix, filter_query=compiler.clearance(clearance),
                                       limit=limit)
    return [(str(term), int(count)) for term, count in found if int(count) > 0]


def complete(searcher: tantivy.Searcher, compiler: Compiler,
             request: SuggestRequest) -> list[Suggestion]:
    """Subjects and senders that start with the typed text, then subject words."""
    typed = fold(request.text)
    if not typed:
        return []
    limit = max(1, request.limit)
    out: list[Suggestion] = []
    for field, kind in (("subject_key", "subject"), ("sender_key", "sender")):
        out += [Suggestion(term, kind, count) for term, count in
                _visible_terms(searcher, compiler, field, typed, request.clearance, limit)]
    out += _word_completions(searcher, compiler, typed, request.clearance, limit)
    seen: set[str] = set()
    unique = []
    for item in sorted(out, key=lambda s: (s.kind == "word", -s.count)):
        if item.text not in seen:
            seen.add(item.text)
            unique.append(item)
    return unique[:limit]


def _word_completions(searcher: tantivy.Searcher, compiler: Compiler, typed: str,
                      clearance: Secrecy, limit: int) -> list[Suggestion]:
    """Complete the last word being typed: the longest tail of it that starts a known word."""
    head, _, chunk = typed.rpartition(" ")
    tokens = words(chunk) or [chunk]
    for k in range(len(tokens)):
        tail = "".join(tokens[k:]) if k else chunk
        if len(tail) < 2 or not chunk.endswith(tail):
            continue
        stem = (head + " " if head else "") + chunk[: len(chunk) - len(tail)]
        found = [Suggestion(stem + term, "word", count) for term, count in
                 _visible_terms(searcher, compiler, "subject_words", tail, clearance, limit)
                 if term != tail]
        if found:
            return found
    return []


def _near_terms(searcher: tantivy.Searcher, compiler: Compiler, field: str, token: str,
                edits: int, clearance: Secrecy) -> list[tuple[str, int]]:
    """Visible terms that may lie within `edits` of `token` (same first letter), counted.

    Tantivy's term dictionary is walked from the first letter (the most
    common `MAX_CANDIDATES`); a vocabulary that can find near terms itself
    (OpenSearch's spell checker: `terms_near`) is asked for them directly.
    """
    near = getattr(searcher, "terms_near", None)
    if near is not None:
        return near(field, token, edits, compiler.clearance(clearance))  # type: ignore[no-any-return]
    return _visible_terms(searcher, compiler, field, token[:1], clearance, MAX_CANDIDATES)


def _best_match(searcher: tantivy.Searcher, compiler: Compiler, token: str,
                clearance: Secrecy) -> str | None:
    """The visible vocabulary word closest to `token` (one or two edits), if any."""
    if len(token) < 3:
        return None
    limit = 1 if len(token) <= 5 else 2
    best: tuple[int, int, str] | None = None
    for field in VOCABULARY:
        for term, count in _near_terms(searcher, compiler, field, token, limit, clearance):
            if term == token:
                return None  # the word is known: nothing to correct
            distance = edit_distance(token, term, limit)
            if distance <= limit and (best is None or (distance, -count) < best[:2]):
                best = (distance, -count, term)
    return best[2] if best else None


def _boundaries(text: str) -> set[int]:
    edges, at = {0}, 0
    for piece in segment(text):
        at += len(piece)
        edges.add(at)
    return edges


def corrections(searcher: tantivy.Searcher, compiler: Compiler, parsed: ParsedQuery,
                clearance: Secrecy) -> dict[str, str]:
    """Plain words of the query that are not visible vocabulary, mapped to the closest that is."""
    out = {}
    for text in parsed.plain_words():
        better = _best_match(searcher, compiler, fold(text), clearance)
        if better:
            out[text] = better
    return out


def _closest_in(token: str, texts: list[str]) -> str | None:
    """The stretch of one of `texts` closest to `token` (approximate substring match)."""
    limit = 1 if len(token) <= 5 else 2
    best: tuple[int, str] | None = None
    for text in texts:
        found = approximate_substring(token, text, _boundaries(text))
        if found and found[0] <= limit and (best is None or found[0] < best[0]):
            best = found
    return best[1] if best else None


def correct(searcher: tantivy.Searcher, compiler: Compiler, query: str, parsed: ParsedQuery,
            clearance: Secrecy, subjects: list[str]) -> str | None:
    """The query with misspelt plain words replaced by visible vocabulary, or None.

    `subjects` are the subjects of the (visible) letters the tolerant search
    found; a stretch of one of them close to the typed word is the first
    choice, since Thai compounds are often one dictionary word longer than
    what was typed. Otherwise the closest visible subject or sender word.
    """
    corrected = fold(query)
    changed = False
    for text in parsed.plain_words():
        token = fold(text)
        if len(token) < 3:
            continue
        better = _closest_in(token, subjects) or _best_match(searcher, compiler, token, clearance)
        if better and better != token and token in corrected:
            corrected = corrected.replace(token, better, 1)
            changed = True
    return corrected if changed else None
