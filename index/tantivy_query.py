"""Compiles the backend-neutral query tree (index.query) into Tantivy queries.

Text fields hold tokens made in Python (index.analysis) and are split by
Tantivy's whitespace tokenizer, so Thai is segmented the same way at index
and query time. A plain word matches as a word (BM25, subject weighted up),
as a compound inside longer words (a phrase of character bigrams), and, in
the tolerant pass, with OCR damage (most of its bigrams present).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

import tantivy

from index.analysis import grams, words
from index.query import (DateRange, FieldFilter, LetterNumber, ParsedQuery, Prefix, TreeCompiler,
                         Words, number_terms)
from schemas.enums import Secrecy
from schemas.text import fold

EPOCH = dt.date(1800, 1, 1)  # `day` counts days from here (0: undated)
TEXT_FIELDS = {None: "words", "subject": "subject_words", "to": "to_words", "from": "from_words"}
TERM_FACETS = ("kind", "secrecy", "urgency", "sender", "status", "addressee", "attachments",
               "register")
NUMBER_FACETS = ("year", "month")
RAW_FILTERS = ("letter_key", "number_key", "cites")
SUBJECT_BOOST = 1.5
NUMBER_BOOST = 20.0
PART_BOOST = 0.8
CORRECTED_BOOST = 0.9
SLIP_BOOST = 0.3
PROXIMITY_BOOST = 2.0
FUZZY_BOOST = 0.5
PARTS_OF = {"words": "parts", "subject_words": "subject_parts", "to_words": "to_words",
            "from_words": "from_words"}

Occur = tantivy.Occur
Query = tantivy.Query


def day_number(date: dt.date) -> int:
    """The `day` field of a date (1 on 1 January 1800)."""
    return max(1, (date - EPOCH).days + 1)


class Compiler(TreeCompiler):
    """Turns parsed queries and filters into Tantivy queries over one schema."""

    def __init__(self, schema: tantivy.Schema) -> None:
        self.schema = schema

    # -- filters ---------------------------------------------------------------
    def clearance(self, clearance: Secrecy) -> Query:
        """Only records at or below the reader's level (DESIGN.md, Secrecy)."""
        return Query.range_query(self.schema, "secrecy_level", tantivy.FieldType.Unsigned, 0,
                                 Secrecy(clearance).level)

    def facet_filter(self, name: str, values: list[str]) -> Query:
        """Records having any of `values` for facet (or thread filter) `name`."""
        if name in NUMBER_FACETS:
            numbers = [int(v) for v in values if v.strip().isdigit()]
            return Query.term_set_query(self.schema, name, numbers or [0])
        if name in TERM_FACETS or name in RAW_FILTERS:
            return Query.term_set_query(self.schema, name, values or [""])
        return Query.empty_query()

    def typed_filter(self, item: DateRange | FieldFilter) -> Query:
        """A filter typed in the query: a date range or `facet:value`."""
        if isinstance(item, FieldFilter):
            return self.facet_filter(item.name, [item.value])
        low = day_number(item.start) if item.start else 1
        high = day_number(item.end) if item.end else None
        return Query.range_query(self.schema, "day", tantivy.FieldType.Unsigned, low, high)

    # -- text ------------------------------------------------------------------
    def text_clauses(self, parsed: ParsedQuery, tolerant: Tolerance | None
                     ) -> list[tuple[Occur, Query]]:
        """Must and must-not clauses of the query's text (OCR-tolerant when `tolerant`)."""
        clauses = [(Occur.Must, self.node(n, tolerant)) for n in parsed.required]
        clauses += [(Occur.MustNot, self.node(n, None)) for n in parsed.excluded]
        clauses += [(Occur.Should, q) for q in self._proximity(parsed)]
        if not parsed.required:
            clauses.append((Occur.Must, Query.all_query()))
        return clauses

    def _proximity(self, parsed: ParsedQuery) -> list[Query]:
        """Words typed side by side (a name: สมชาย ใจดี) score more when they stand together."""
        plain = [n.text for n in parsed.required if isinstance(n, Words) and n.field is None]
        tokens = [t for text in plain for t in words(text)]
        if len(plain) < 2 or len(tokens) < 2:
            return []
        return [Query.boost_query(Query.phrase_query(self.schema, "words", tokens, slop=1),
                                  PROXIMITY_BOOST)]

    def _excluded(self, query: Query) -> Query:
        return Query.boolean_query([(Occur.MustNot, query), (Occur.Must, Query.all_query())])

    def _any_of(self, queries: list[Query]) -> Query:
        return Query.boolean_query([(Occur.Should, q) for q in queries])

    def _letter_number(self, node: LetterNumber) -> Query:
        options = [
            (Occur.Should, Query.boost_query(
                Query.term_query(self.schema, "number_key", node.key), NUMBER_BOOST)),
            # the digits in a row anywhere: OCR often misreads the agency letters (ศธ → AS)
            (Occur.Should, self._phrase(f"{node.unit}/{node.running}" if node.unit else node.text,
                                        None, None)),
        ]
        for term in number_terms(node):
            options.append((Occur.Should, Query.const_score_query(
                Query.term_query(self.schema, term.field, term.text), term.weight)))
            if term.fuzzy:
                options.append((Occur.Should, Query.const_score_query(
                    Query.fuzzy_term_query(self.schema, term.field, term.text, distance=1),
                    term.weight / 2)))
        return Query.boolean_query(options)

    def _words(self, node: Words, tolerant: Tolerance | None) -> Query:
        tokens = words(node.text)
        if not tokens:
            return Query.empty_query()
        field = TEXT_FIELDS.get(node.field, "words")
        options = self._word_options(field, tokens)
        if node.field is None and tolerant is not None:
            options.extend(self._tolerant_options(node.text, tolerant))
        return Query.boolean_query(options)

    def _word_options(self, field: str, tokens: list[str]) -> list[tuple[Occur, Query]]:
        """As words, in the subject (weighted up), and as part of a longer compound."""
        parts = PARTS_OF[field]
        options = [(Occur.Should, self._token_phrase(field, tokens))]
        if field == "words":
            options.append((Occur.Should, Query.boost_query(
                self._token_phrase("subject_words", tokens), SUBJECT_BOOST)))
        joined = "".join(tokens)
        options.append((Occur.Should, Query.boost_query(
            Query.term_query(self.schema, parts, joined), PART_BOOST)))
        if len(tokens) > 1:
            options.append((Occur.Should, Query.boost_query(
                Query.phrase_query(self.schema, parts, tokens, slop=2), PART_BOOST)))
        return options

    def _tolerant_options(self, text: str, tolerant: Tolerance) -> list[tuple[Occur, Query]]:
        """Compound stretches, the visible vocabulary's correction, and one OCR slip."""
        options = [(Occur.Should, q) for q in self._gram_queries(text, tolerant)]
        whole = fold(text).replace(" ", "")
        if len(whole) >= 3:  # one slip anywhere, the first letter included
            options += [(Occur.Should, Query.boost_query(
                Query.fuzzy_term_query(self.schema, field, whole, distance=1), FUZZY_BOOST))
                for field in ("words", "parts")]
        better = tolerant.corrections.get(text)
        if better:
            options += [(Occur.Should, Query.boost_query(q, CORRECTED_BOOST))
                        for _, q in self._word_options("words", words(better))]
        return options

    def _prefix(self, node: Prefix) -> Query:
        """A word starting with the text; Thai also as the start of a stretch of a compound.

        Thai words are not delimited, so `ราชพัส*` is matched as a word that
        starts with it and, without a field, as character bigrams in a row
        (which finds it inside ที่ราชพัสดุ, one dictionary word).
        """
        text = fold(node.text)
        field = TEXT_FIELDS.get(node.field, "words")
        options = [(Occur.Should, Query.regex_query(self.schema, field, _regex_prefix(text)))]
        if node.field is None:
            options.append((Occur.Should, Query.regex_query(self.schema, "parts",
                                                            _regex_prefix(text))))
        gram_tokens = grams(text)
        if node.field is None and len(gram_tokens) > 1:
            options.append((Occur.Should, Query.boost_query(
                Query.phrase_query(self.schema, "grams", gram_tokens), 0.8)))
        return Query.boolean_query(options)

    def _phrase(self, text: str, field_name: str | None, tolerant: Tolerance | None) -> Query:
        field = TEXT_FIELDS.get(field_name, "words")
        tokens = words(text)
        options = [(Occur.Should, self._token_phrase(field, tokens))] if tokens else []
        if field_name is None and tolerant is not None:
            gram_tokens = grams(text)
            if len(gram_tokens) > 1:
                options.append((Occur.Should, Query.boost_query(
                    Query.phrase_query(self.schema, "grams", gram_tokens), 0.7)))
        return Query.boolean_query(options) if options else Query.empty_query()

    def _token_phrase(self, field: str, tokens: list[str]) -> Query:
        if len(tokens) == 1:
            return Query.term_query(self.schema, field, tokens[0])
        return Query.phrase_query(self.schema, field, tokens)

    def _gram_queries(self, text: str, tolerant: Tolerance) -> list[Query]:
        """The text as a stretch of bigrams (inside any compound) and with one slip.

        A slip (one wrong, missing or extra letter) spoils at most two
        neighbouring bigrams, so the bigrams either side of each such pair
        must still stand in a row. Stretches (the whole one too) whose rarest bigram is in more
        than a fiftieth of the letters are skipped: they match too much and
        cost tens of milliseconds at a million letters.
        """
        gram_tokens = grams(text)
        if len(gram_tokens) < 2:
            return [Query.term_query(self.schema, "grams", g) for g in gram_tokens]
        out = []
        if tolerant.rare(gram_tokens):
            out.append(Query.boost_query(Query.phrase_query(self.schema, "grams", gram_tokens),
                                         0.8))
        for sides in tolerant.slip_splits(gram_tokens):
            must = [(Occur.Must, self._token_phrase("grams", side)) for side in sides]
            out.append(Query.boost_query(Query.boolean_query(must), SLIP_BOOST))
        return out


@dataclass
class Tolerance:
    """What the OCR-tolerant pass knows: corrections from visible vocabulary, bigram rarity."""

    corrections: dict[str, str]
    doc_freq: Callable[[list[str]], int]
    common: int

    def rare(self, stretch: list[str]) -> bool:
        """Whether a stretch of bigrams is rare enough to search (see `_gram_queries`)."""
        return self.doc_freq(stretch) <= self.common

    def slip_splits(self, gram_tokens: list[str]) -> list[list[list[str]]]:
        """For each place one slip could be, the stretches either side that must
        still stand in a row (a lone bigram beside a longer stretch is dropped;
        splits leaving too little, or a common stretch, are skipped)."""
        n = len(gram_tokens)
        if n < 4:
            return []
        out = []
        for k in range(-1, n):
            left, right = gram_tokens[: max(k, 0)], gram_tokens[k + 2:]
            if len(left) + len(right) < max(3, math.ceil(0.6 * n)):
                continue
            sides = [side for side in (left, right) if side]
            if any(len(side) == 1 for side in sides) and len(sides) == 2:
                sides = [max(sides, key=len)]
            if all(self.rare(side) for side in sides):
                out.append(sides)
        return out


def _regex_prefix(token: str) -> str:
    """A Tantivy regex matching terms that start with `token` (regex characters escaped)."""
    escaped = "".join("\\" + ch if ch in r".+*?()|[]{}^$\#&~<>\"@" else ch for ch in token)
    return escaped + ".*"
