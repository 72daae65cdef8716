"""Compiles the backend-neutral query tree (index.query) into OpenSearch query DSL.

Clause for clause the same as index.tantivy_query, over the same Python-side
tokens (index.analysis), with the same boosts, so both backends match the same
records and rank them alike:

- OpenSearch's default similarity is BM25 with the (k1 + 1) factor, as
  Tantivy's, with the same k1, b and length encoding: on the same documents a
  term or phrase scores the same on both (checked by the conformance suite).
- Constant-score matches (a prefix, a one-slip fuzzy term) use the
  `constant_score` rewrite, scoring their boost, as Tantivy's automaton queries
  score 1; numbers' `const_score_query` is `constant_score`.
- Filters (clearance, typed and requested facet values, date ranges) are in
  filter context: they decide what matches, never how it ranks (in Tantivy
  they add the same constant to every hit, which changes no order).
"""

from __future__ import annotations

from typing import Any

from index.analysis import grams, words
from index.query import (DateRange, FieldFilter, LetterNumber, ParsedQuery, Prefix, TreeCompiler,
                         Words, number_terms)
from index.tantivy_query import (CORRECTED_BOOST, FUZZY_BOOST, NUMBER_BOOST, NUMBER_FACETS,
                                 PART_BOOST, PARTS_OF, PROXIMITY_BOOST, RAW_FILTERS, SLIP_BOOST,
                                 SUBJECT_BOOST, TERM_FACETS, TEXT_FIELDS, Tolerance, day_number)
from schemas.enums import Secrecy
from schemas.text import fold

Query = dict[str, Any]
MATCH_NONE: Query = {"match_none": {}}
MATCH_ALL: Query = {"match_all": {}}


def should(options: list[Query], boost: float = 1.0) -> Query:
    """At least one of `options`; the score is the sum of those that match."""
    if not options:
        return MATCH_NONE
    out: Query = {"bool": {"should": options, "minimum_should_match": 1}}
    if boost != 1.0:
        out["bool"]["boost"] = boost
    return out


def term(field: str, token: str, boost: float = 1.0) -> Query:
    """A BM25-scored term."""
    return {"term": {field: {"value": token, "boost": boost}}}


def constant(query: Query, score: float) -> Query:
    """Matches of `query` all scoring Tantivy's `score` (a constant, not a BM25 weight)."""
    return {"constant_score": {"filter": query, "boost": score}}


def fuzzy(field: str, text: str, score: float) -> Query:
    """One edit (transpositions count one) anywhere, a constant `score` like Tantivy's."""
    return {"fuzzy": {field: {"value": text, "fuzziness": 1, "prefix_length": 0,
                              "transpositions": True, "rewrite": "constant_score",
                              "boost": score}}}


def phrase(field: str, tokens: list[str], boost: float = 1.0, slop: int = 0) -> Query:
    """Tokens in a row (within `slop`); one token is a term."""
    if len(tokens) == 1:
        return term(field, tokens[0], boost)
    return {"match_phrase": {field: {"query": " ".join(tokens), "boost": boost, "slop": slop}}}


class Compiler(TreeCompiler):
    """Turns parsed queries and filters into OpenSearch queries over the mapping."""

    # -- filters ---------------------------------------------------------------
    @staticmethod
    def clearance(clearance: Secrecy) -> Query:
        """Only records at or below the reader's level (DESIGN.md, Secrecy)."""
        return {"range": {"secrecy_level": {"lte": Secrecy(clearance).level}}}

    @staticmethod
    def facet_filter(name: str, values: list[str]) -> Query:
        """Records having any of `values` for facet (or thread filter) `name`."""
        if name in NUMBER_FACETS:
            numbers = [int(v) for v in values if v.strip().isdigit()]
            return {"terms": {name: numbers or [0]}}
        if name in TERM_FACETS or name in RAW_FILTERS:
            return {"terms": {name: values or [""]}}
        return MATCH_NONE

    def typed_filter(self, item: DateRange | FieldFilter) -> Query:
        """A filter typed in the query: a date range or `facet:value`."""
        if isinstance(item, FieldFilter):
            return self.facet_filter(item.name, [item.value])
        bounds: dict[str, int] = {"gte": day_number(item.start) if item.start else 1}
        if item.end:
            bounds["lte"] = day_number(item.end)
        return {"range": {"day": bounds}}

    # -- text ------------------------------------------------------------------
    def text_query(self, parsed: ParsedQuery, tolerant: Tolerance | None) -> Query:
        """Must, must-not and proximity clauses of the query's text (OCR-tolerant when asked)."""
        must = [self.node(n, tolerant) for n in parsed.required] or [MATCH_ALL]
        out: Query = {"bool": {"must": must,
                               "must_not": [self.node(n, None) for n in parsed.excluded]}}
        proximity = self._proximity(parsed)
        if proximity:
            out["bool"]["should"] = proximity
        return out

    @staticmethod
    def _proximity(parsed: ParsedQuery) -> list[Query]:
        """Words typed side by side (a name: สมชาย ใจดี) score more when they stand together."""
        plain = [n.text for n in parsed.required if isinstance(n, Words) and n.field is None]
        tokens = [t for text in plain for t in words(text)]
        if len(plain) < 2 or len(tokens) < 2:
            return []
        return [phrase("words", tokens, PROXIMITY_BOOST, slop=1)]

    def _excluded(self, query: Query) -> Query:
        return {"bool": {"must": [constant(MATCH_ALL, 1.0)], "must_not": [query]}}

    def _any_of(self, queries: list[Query]) -> Query:
        return should(queries)

    def _letter_number(self, node: LetterNumber) -> Query:
        options = [
            term("number_key", node.key, NUMBER_BOOST),
            # the digits in a row anywhere: OCR often misreads the agency letters (ศธ → AS)
            self._phrase(f"{node.unit}/{node.running}" if node.unit else node.text, None, None),
        ]
        for item in number_terms(node):
            options.append(constant({"term": {item.field: item.text}}, item.weight))
            if item.fuzzy:
                options.append(fuzzy(item.field, item.text, item.weight / 2))
        return should(options)

    def _words(self, node: Words, tolerant: Tolerance | None) -> Query:
        tokens = words(node.text)
        if not tokens:
            return MATCH_NONE
        field = TEXT_FIELDS.get(node.field, "words")
        options = self._word_options(field, tokens)
        if node.field is None and tolerant is not None:
            options.extend(self._tolerant_options(node.text, tolerant))
        return should(options)

    @staticmethod
    def _word_options(field: str, tokens: list[str]) -> list[Query]:
        """As words, in the subject (weighted up), and as part of a longer compound."""
        parts = PARTS_OF[field]
        options = [phrase(field, tokens)]
        if field == "words":
            options.append(phrase("subject_words", tokens, SUBJECT_BOOST))
        options.append(term(parts, "".join(tokens), PART_BOOST))
        if len(tokens) > 1:
            options.append(phrase(parts, tokens, PART_BOOST, slop=2))
        return options

    def _tolerant_options(self, text: str, tolerant: Tolerance) -> list[Query]:
        """Compound stretches, the visible vocabulary's correction, and one OCR slip."""
        options = self._gram_queries(text, tolerant)
        whole = fold(text).replace(" ", "")
        if len(whole) >= 3:  # one slip anywhere, the first letter included
            options += [fuzzy(field, whole, FUZZY_BOOST) for field in ("words", "parts")]
        better = tolerant.corrections.get(text)
        if better:
            options += [should([q], CORRECTED_BOOST)
                        for q in self._word_options("words", words(better))]
        return options

    @staticmethod
    def _prefix(node: Prefix) -> Query:
        """A word starting with the text; Thai also as the start of a stretch of a compound."""
        text = fold(node.text)
        field = TEXT_FIELDS.get(node.field, "words")
        options = [_prefix_of(field, text)]
        if node.field is None:
            options.append(_prefix_of("parts", text))
        gram_tokens = grams(text)
        if node.field is None and len(gram_tokens) > 1:
            options.append(phrase("grams", gram_tokens, 0.8))
        return should(options)

    @staticmethod
    def _phrase(text: str, field_name: str | None, tolerant: Tolerance | None) -> Query:
        field = TEXT_FIELDS.get(field_name, "words")
        tokens = words(text)
        options = [phrase(field, tokens)] if tokens else []
        if field_name is None and tolerant is not None:
            gram_tokens = grams(text)
            if len(gram_tokens) > 1:
                options.append(phrase("grams", gram_tokens, 0.7))
        return should(options) if options else MATCH_NONE

    @staticmethod
    def _gram_queries(text: str, tolerant: Tolerance) -> list[Query]:
        """The text as a stretch of bigrams and with one slip (index.tantivy_query's rule)."""
        gram_tokens = grams(text)
        if len(gram_tokens) < 2:
            return [term("grams", g) for g in gram_tokens]
        out = []
        if tolerant.rare(gram_tokens):
            out.append(phrase("grams", gram_tokens, 0.8))
        for sides in tolerant.slip_splits(gram_tokens):
            out.append({"bool": {"must": [phrase("grams", side) for side in sides],
                                 "boost": SLIP_BOOST}})
        return out


def _prefix_of(field: str, text: str) -> Query:
    """Terms of `field` starting with `text`, scoring a constant 1 (Tantivy's regex query)."""
    return {"prefix": {field: {"value": text, "rewrite": "constant_score", "boost": 1.0}}}


def regex_prefix(text: str) -> str:
    """A Lucene regular expression matching terms that start with `text`."""
    return "".join("\\" + ch if ch in '.?+*|{}[]()"\\#@&<>~^$' else ch for ch in text) + ".*"
