"""Type-ahead and "did you mean" from the archive's own vocabulary, within clearance.

Both walk Tantivy's term dictionary with the reader's clearance as the
filter query, so a term is offered only when a record the reader may see
contains it; terms whose visible count is zero are dropped here, never shown.
"""

from __future__ import annotations

import tantivy

from index.analysis import words
from index.backend import Suggestion, SuggestRequest
from index.query import ParsedQuery
from index.tantivy_query import Compiler
from schemas.enums import Secrecy
from schemas.text import fold
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
    last = typed.split()[-1]
    tokens = words(last)
    if tokens and len(tokens[-1]) >= 2:
        stem = typed[: len(typed) - len(tokens[-1])] if typed.endswith(tokens[-1]) else ""
        out += [Suggestion(stem + term, "word", count) for term, count in
                _visible_terms(searcher, compiler, "subject_words", tokens[-1],
                               request.clearance, limit) if term != tokens[-1]]
    seen: set[str] = set()
    unique = []
    for item in sorted(out, key=lambda s: (s.kind == "word", -s.count)):
        if item.text not in seen:
            seen.add(item.text)
            unique.append(item)
    return unique[:limit]


def _best_match(searcher: tantivy.Searcher, compiler: Compiler, token: str,
                clearance: Secrecy) -> str | None:
    """The visible vocabulary word closest to `token` (one or two edits), if any."""
    if len(token) < 3:
        return None
    limit = 1 if len(token) <= 5 else 2
    best: tuple[int, int, str] | None = None
    for field in VOCABULARY:
        for term, count in _visible_terms(searcher, compiler, field, token[:1], clearance,
                                          MAX_CANDIDATES):
            if term == token:
                return None  # the word is known: nothing to correct
            distance = edit_distance(token, term, limit)
            if distance <= limit and (best is None or (distance, -count) < best[:2]):
                best = (distance, -count, term)
    return best[2] if best else None


def correct(searcher: tantivy.Searcher, compiler: Compiler, query: str, parsed: ParsedQuery,
            clearance: Secrecy) -> str | None:
    """The query with misspelt plain words replaced by visible vocabulary, or None."""
    corrected = fold(query)
    changed = False
    for text in parsed.plain_words():
        token = fold(text)
        better = _best_match(searcher, compiler, token, clearance)
        if better and better != token and token in corrected:
            corrected = corrected.replace(token, better, 1)
            changed = True
    return corrected if changed else None
