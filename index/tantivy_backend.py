"""The embedded search backend on Tantivy (the `tantivy` wheel).

Text fields hold tokens made in Python (index.analysis) and are split by
Tantivy's whitespace tokenizer, so Thai is segmented the same way at index
and query time. Clearance is a range filter on `secrecy_level` inside every
query, so hits, counts and facets above the reader's level never exist.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from pathlib import Path

import tantivy

from index.analysis import gram_base, grams, words
from index.backend import FACET_FIELDS, FacetValue, IndexDoc, IndexHit, IndexResult, SearchRequest
from index.query import AnyOf, LetterNumber, Node, Not, Phrase, Words, parse
from schemas.enums import Secrecy
from schemas.thai_dates import be_year

_TEXT_FACETS = ("kind", "secrecy", "urgency", "sender", "status")
_EPOCH = dt.date(1970, 1, 1)
SCHEMA_VERSION = "1"


def build_schema() -> tantivy.Schema:
    """The index schema."""
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("record_id", stored=True, indexed=True, fast=True)
    for name in ("words", "subject_words", "grams"):
        sb.add_text_field(name, tokenizer_name="whitespace")
    sb.add_text_field("number_key", tokenizer_name="raw")
    for name in _TEXT_FACETS:
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    sb.add_unsigned_field("secrecy_level", indexed=True, fast=True)
    sb.add_unsigned_field("year", indexed=True, fast=True)  # BE; 0 when unknown
    sb.add_unsigned_field("day", indexed=True, fast=True)  # days since 1970 for sorting
    return sb.build()


class TantivyBackend:
    """Search index in a directory; one writer at a time across processes."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        marker = directory / "SCHEMA_VERSION"
        if marker.exists() and marker.read_text().strip() != SCHEMA_VERSION:
            for child in directory.iterdir():
                child.unlink()
        self.schema = build_schema()
        self.index = tantivy.Index(self.schema, path=str(directory))
        marker.write_text(SCHEMA_VERSION)
        self._lock = threading.Lock()

    # -- writing ---------------------------------------------------------
    def _writer(self) -> tantivy.IndexWriter:
        for attempt in range(50):
            try:
                return self.index.writer(heap_size=64_000_000, num_threads=1)
            except ValueError:  # another process holds the writer lock
                time.sleep(0.1 * (attempt + 1))
        raise RuntimeError("search index is locked by another process")

    def upsert(self, docs: list[IndexDoc]) -> None:
        """Add or replace documents by record id; searchable on return."""
        if not docs:
            return
        with self._lock:
            writer = self._writer()
            for doc in docs:
                self._delete_id(writer, doc.record_id)
                writer.add_document(self._document(doc))
            writer.commit()
            writer.wait_merging_threads()
            self.index.reload()

    def delete(self, record_ids: list[int]) -> None:
        """Remove documents by record id."""
        with self._lock:
            writer = self._writer()
            for record_id in record_ids:
                self._delete_id(writer, record_id)
            writer.commit()
            writer.wait_merging_threads()
            self.index.reload()

    def _delete_id(self, writer: tantivy.IndexWriter, record_id: int) -> None:
        # delete_documents_by_term silently matches nothing on an unsigned field in
        # tantivy-py 0.27 (updates left duplicates, deletes left the document);
        # a term query on the same field works.
        writer.delete_documents_by_query(
            tantivy.Query.term_query(self.schema, "record_id", record_id))

    def clear(self) -> None:
        """Remove every document."""
        with self._lock:
            writer = self._writer()
            writer.delete_all_documents()
            writer.commit()
            writer.garbage_collect_files()  # the old segments' files go from the disk
            writer.wait_merging_threads()
            self.index.reload()

    def contains(self, record_id: int) -> bool:
        """Whether a live document for `record_id` is in the index."""
        self.index.reload()
        query = tantivy.Query.term_query(self.schema, "record_id", record_id)
        return self.index.searcher().search(query, limit=1).count > 0

    def has_term(self, word: str) -> bool:
        """Whether any segment file still holds `word` (deleted documents included)."""
        self.index.reload()
        searcher = self.index.searcher()
        return any(term == word for name in ("words", "subject_words", "grams")
                   for term, _n in searcher.terms_with_prefix(name, word))

    def _document(self, doc: IndexDoc) -> tantivy.Document:
        out = tantivy.Document()
        unsigned = {
            "record_id": doc.record_id,
            "secrecy_level": Secrecy(doc.secrecy).level,
            "year": be_year(doc.date) if doc.date else 0,
            "day": (doc.date - _EPOCH).days if doc.date and doc.date > _EPOCH else 0,
        }
        for name, value in unsigned.items():
            out.add_unsigned(name, value)
        text = {
            "words": doc.words, "subject_words": doc.subject_words, "grams": doc.grams,
            "number_key": doc.number_key, "kind": doc.kind, "secrecy": doc.secrecy,
            "urgency": doc.urgency, "sender": doc.sender or "-", "status": doc.status,
        }
        for name, value in text.items():
            out.add_text(name, value)
        return out

    # -- reading ---------------------------------------------------------
    def count(self) -> int:
        """Documents in the index."""
        self.index.reload()
        return self.index.searcher().num_docs

    def search(self, request: SearchRequest) -> IndexResult:
        """Ranked ids, total and facets, all within the reader's clearance."""
        self.index.reload()
        searcher = self.index.searcher()
        query = self.compile(request)
        kwargs: dict[str, object] = {"limit": max(1, request.limit), "offset": request.offset}
        if request.sort in ("date_desc", "date_asc"):
            kwargs["order_by_field"] = "day"
            kwargs["order"] = tantivy.Order.Desc if request.sort == "date_desc" else tantivy.Order.Asc
        found = searcher.search(query, **kwargs)
        addresses = [address for _score, address in found.hits]
        ids = searcher.fast_field_values("record_id", addresses) if addresses else []
        hits = [IndexHit(int(record_id), float(score) if isinstance(score, float) else 0.0)
                for (score, _a), record_id in zip(found.hits, ids, strict=True)]
        return IndexResult(total=found.count or 0, hits=hits, facets=self._facets(searcher, query))

    def _facets(self, searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, list[FacetValue]]:
        spec = {name: {"terms": {"field": name, "size": 30}} for name in _TEXT_FACETS}
        spec["year"] = {"terms": {"field": "year", "size": 60}}
        raw = searcher.aggregate(query, spec)
        facets: dict[str, list[FacetValue]] = {}
        for name in FACET_FIELDS:
            buckets = raw.get(name, {}).get("buckets", [])
            values = [FacetValue(_bucket_key(b["key"]), int(b["doc_count"])) for b in buckets]
            facets[name] = [v for v in values if v.value not in ("", "0", "-")]
        return facets

    # -- compiling the query tree ------------------------------------------
    def compile(self, request: SearchRequest) -> tantivy.Query:
        """The whole Tantivy query: text clauses, filters and the clearance filter."""
        parsed = parse(request.query)
        Occur = tantivy.Occur
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [
            (Occur.Must, tantivy.Query.range_query(
                self.schema, "secrecy_level", tantivy.FieldType.Unsigned, 0,
                Secrecy(request.clearance).level)),
        ]
        for node in parsed.required:
            clauses.append((Occur.Must, self._node(node)))
        for node in parsed.excluded:
            clauses.append((Occur.MustNot, self._node(node)))
        for name, values in request.filters.items():
            clauses.append((Occur.Must, self._filter(name, values)))
        if not parsed.required:
            clauses.append((Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _filter(self, name: str, values: list[str]) -> tantivy.Query:
        if name == "year":
            years = [int(v) for v in values if v.strip().isdigit()]
            return tantivy.Query.term_set_query(self.schema, "year", years or [0])
        if name not in _TEXT_FACETS:
            return tantivy.Query.empty_query()
        return tantivy.Query.term_set_query(self.schema, name, values)

    def _node(self, node: Node) -> tantivy.Query:
        Occur = tantivy.Occur
        if isinstance(node, LetterNumber):
            return self._letter_number(node)
        if isinstance(node, Not):
            return tantivy.Query.boolean_query([(Occur.MustNot, self._node(node.node)),
                                                (Occur.Must, tantivy.Query.all_query())])
        if isinstance(node, AnyOf):
            return tantivy.Query.boolean_query([(Occur.Should, self._node(n)) for n in node.nodes])
        if isinstance(node, Phrase):
            return self._phrase(node.text, node.field)
        return self._words(node)

    def _letter_number(self, node: LetterNumber) -> tantivy.Query:
        Occur = tantivy.Occur
        exact = tantivy.Query.boost_query(
            tantivy.Query.term_query(self.schema, "number_key", node.key), 20.0)
        return tantivy.Query.boolean_query([
            (Occur.Should, exact),
            (Occur.Should, self._phrase(node.text, None)),
        ])

    def _words(self, node: Words) -> tantivy.Query:
        tokens = words(node.text)
        if not tokens:
            return tantivy.Query.empty_query()
        field = "subject_words" if node.field == "subject" else "words"
        Occur = tantivy.Occur
        options: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if len(tokens) == 1:
            options.append((Occur.Should, tantivy.Query.term_query(self.schema, field, tokens[0])))
            if field == "words":
                options.append((Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.term_query(self.schema, "subject_words", tokens[0]), 1.5)))
        else:
            options.append((Occur.Should, self._token_phrase(field, tokens)))
        if node.field is None:
            options.extend((Occur.Should, q) for q in self._gram_queries(node.text))
        return tantivy.Query.boolean_query(options)

    def _phrase(self, text: str, field_name: str | None) -> tantivy.Query:
        field = "subject_words" if field_name == "subject" else "words"
        tokens = words(text)
        Occur = tantivy.Occur
        options = [(Occur.Should, self._token_phrase(field, tokens))] if tokens else []
        if field_name is None:
            gram_tokens = grams(text)
            if len(gram_tokens) > 1:
                options.append((Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.phrase_query(self.schema, "grams", gram_tokens), 0.7)))
        return tantivy.Query.boolean_query(options) if options else tantivy.Query.empty_query()

    def _token_phrase(self, field: str, tokens: list[str]) -> tantivy.Query:
        if len(tokens) == 1:
            return tantivy.Query.term_query(self.schema, field, tokens[0])
        return tantivy.Query.phrase_query(self.schema, field, tokens)

    def _gram_queries(self, text: str) -> list[tantivy.Query]:
        """Compound match (gram phrase) and OCR-tolerant match (most grams present)."""
        gram_tokens = grams(text)
        if not gram_tokens:
            return []
        out: list[tantivy.Query] = []
        if len(gram_tokens) == 1:
            out.append(tantivy.Query.term_query(self.schema, "grams", gram_tokens[0]))
            return out
        out.append(tantivy.Query.boost_query(
            tantivy.Query.phrase_query(self.schema, "grams", gram_tokens), 0.8))
        if len(gram_base(text)) >= 5:
            distinct = list(dict.fromkeys(gram_tokens))
            need = max(2, math.ceil(0.7 * len(distinct)))
            fuzzy = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "grams", g))
                 for g in distinct], minimum_number_should_match=need)
            out.append(tantivy.Query.boost_query(fuzzy, 0.2))
        return out


def _bucket_key(key: object) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)
