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

import tantivy

from index.analysis import gram_base, grams, loose_number, words
from index.query import (AnyOf, DateRange, FieldFilter, LetterNumber, Node, Not, ParsedQuery,
                         Phrase, Prefix, Words)
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
LOOSE_NUMBER_BOOST = 6.0
PREFIX_EXPANSIONS = 50

Occur = tantivy.Occur
Query = tantivy.Query


def day_number(date: dt.date) -> int:
    """The `day` field of a date (1 on 1 January 1800)."""
    return max(1, (date - EPOCH).days + 1)


class Compiler:
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
    def text_clauses(self, parsed: ParsedQuery, tolerant: bool) -> list[tuple[Occur, Query]]:
        """Must and must-not clauses of the query's text."""
        clauses = [(Occur.Must, self.node(n, tolerant)) for n in parsed.required]
        clauses += [(Occur.MustNot, self.node(n, False)) for n in parsed.excluded]
        if not parsed.required:
            clauses.append((Occur.Must, Query.all_query()))
        return clauses

    def node(self, node: Node, tolerant: bool) -> Query:
        """One node of the tree."""
        if isinstance(node, LetterNumber):
            return self._letter_number(node)
        if isinstance(node, Not):
            return Query.boolean_query([(Occur.MustNot, self.node(node.node, False)),
                                        (Occur.Must, Query.all_query())])
        if isinstance(node, AnyOf):
            return Query.boolean_query([(Occur.Should, self.node(n, tolerant))
                                        for n in node.nodes])
        if isinstance(node, Phrase):
            return self._phrase(node.text, node.field)
        if isinstance(node, Prefix):
            return self._prefix(node)
        return self._words(node, tolerant)

    def _letter_number(self, node: LetterNumber) -> Query:
        options = [
            (Occur.Should, Query.boost_query(
                Query.term_query(self.schema, "number_key", node.key), NUMBER_BOOST)),
            (Occur.Should, self._phrase(node.text, None)),
        ]
        if node.unit and node.running:
            options.append((Occur.Should, Query.boost_query(Query.term_query(
                self.schema, "loose_numbers", loose_number(node.unit, node.running)),
                LOOSE_NUMBER_BOOST)))
        return Query.boolean_query(options)

    def _words(self, node: Words, tolerant: bool) -> Query:
        tokens = words(node.text)
        if not tokens:
            return Query.empty_query()
        field = TEXT_FIELDS.get(node.field, "words")
        options: list[tuple[Occur, Query]] = [(Occur.Should, self._token_phrase(field, tokens))]
        if field == "words":
            options.append((Occur.Should, Query.boost_query(
                self._token_phrase("subject_words", tokens), SUBJECT_BOOST)))
        if node.field is None:
            options.extend((Occur.Should, q) for q in self._gram_queries(node.text, tolerant))
        return Query.boolean_query(options)

    def _prefix(self, node: Prefix) -> Query:
        """A word starting with the text; Thai also as the start of a stretch of a compound.

        Thai words are not delimited, so `ราชพัส*` is matched as a word that
        starts with it and, without a field, as character bigrams in a row
        (which finds it inside ที่ราชพัสดุ, one dictionary word).
        """
        text = fold(node.text)
        field = TEXT_FIELDS.get(node.field, "words")
        options = [(Occur.Should, Query.regex_query(self.schema, field, _regex_prefix(text)))]
        gram_tokens = grams(text)
        if node.field is None and len(gram_tokens) > 1:
            options.append((Occur.Should, Query.boost_query(
                Query.phrase_query(self.schema, "grams", gram_tokens), 0.8)))
        return Query.boolean_query(options)

    def _phrase(self, text: str, field_name: str | None) -> Query:
        field = TEXT_FIELDS.get(field_name, "words")
        tokens = words(text)
        options = [(Occur.Should, self._token_phrase(field, tokens))] if tokens else []
        if field_name is None:
            gram_tokens = grams(text)
            if len(gram_tokens) > 1:
                options.append((Occur.Should, Query.boost_query(
                    Query.phrase_query(self.schema, "grams", gram_tokens), 0.7)))
        return Query.boolean_query(options) if options else Query.empty_query()

    def _token_phrase(self, field: str, tokens: list[str]) -> Query:
        if len(tokens) == 1:
            return Query.term_query(self.schema, field, tokens[0])
        return Query.phrase_query(self.schema, field, tokens)

    def _gram_queries(self, text: str, tolerant: bool) -> list[Query]:
        """Compound match (gram phrase); when tolerant, also most grams present (OCR damage)."""
        gram_tokens = grams(text)
        if not gram_tokens:
            return []
        if len(gram_tokens) == 1:
            return [Query.term_query(self.schema, "grams", gram_tokens[0])]
        out = [Query.boost_query(Query.phrase_query(self.schema, "grams", gram_tokens), 0.8)]
        if tolerant and len(gram_base(text)) >= 5:
            distinct = list(dict.fromkeys(gram_tokens))
            need = max(2, math.ceil(0.7 * len(distinct)))
            fuzzy = Query.boolean_query(
                [(Occur.Should, Query.term_query(self.schema, "grams", g)) for g in distinct],
                minimum_number_should_match=need)
            out.append(Query.boost_query(fuzzy, 0.2))
        return out


def _regex_prefix(token: str) -> str:
    """A Tantivy regex matching terms that start with `token` (regex characters escaped)."""
    escaped = "".join("\\" + ch if ch in r".+*?()|[]{}^$\#&~<>\"@" else ch for ch in token)
    return escaped + ".*"
