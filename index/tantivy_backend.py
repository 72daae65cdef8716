"""The embedded search backend on Tantivy (the `tantivy` wheel).

Clearance is a range filter on `secrecy_level` inside every query, facet
count, completion and correction, so nothing above the reader's level is
ever counted, let alone returned. A search runs exact first; when that finds
fewer than a page of letters, it runs again tolerant of OCR damage (most of a
word's character bigrams present), which is slower on common bigrams and so
kept for the queries that need it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path

import tantivy

from index.backend import (FACET_FIELDS, FacetValue, IndexDoc, IndexHit, IndexResult,
                           SearchRequest, Suggestion, SuggestRequest)
from index.query import ParsedQuery, parse
from index.tantivy_query import NUMBER_FACETS, TERM_FACETS, Compiler, Tolerance, day_number
from index.tantivy_suggest import complete, correct, corrections
from schemas.enums import Secrecy

SCHEMA_VERSION = "6"
TOLERANT_BELOW = 10  # a page of results: fewer exact hits than this adds OCR-tolerant matches
FACET_SIZES = {"year": 80, "sender": 30}
REBUILD_COMMIT_EVERY = 200_000


def build_schema() -> tantivy.Schema:
    """The index schema."""
    sb = tantivy.SchemaBuilder()
    sb.add_unsigned_field("record_id", stored=True, indexed=True, fast=True)
    for name in ("words", "subject_words", "to_words", "from_words", "grams", "parts",
                 "subject_parts"):
        sb.add_text_field(name, tokenizer_name="whitespace")
    for name in ("number_key", "number_digits", "letter_key", "cites", "loose_numbers",
                 "own_loose", "sender_key"):
        sb.add_text_field(name, tokenizer_name="raw")
    sb.add_text_field("subject_key", tokenizer_name="raw", stored=True)
    for name in TERM_FACETS:
        sb.add_text_field(name, tokenizer_name="raw", fast=True)
    for name in ("secrecy_level", *NUMBER_FACETS, "day"):
        sb.add_unsigned_field(name, indexed=True, fast=True)
    return sb.build()


class TantivyBackend:
    """Search index in a directory; one writer at a time across processes."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        marker = directory / "SCHEMA_VERSION"
        if marker.exists() and marker.read_text().strip() != SCHEMA_VERSION:
            for child in directory.iterdir():
                child.unlink()  # an older layout: `saraban reindex` (or serve) rebuilds it
        self.schema = build_schema()
        self.index = tantivy.Index(self.schema, path=str(directory))
        marker.write_text(SCHEMA_VERSION)
        self.compiler = Compiler(self.schema)
        self._lock = threading.Lock()

    # -- writing ---------------------------------------------------------
    def _writer(self, heap: int = 64_000_000) -> tantivy.IndexWriter:
        for attempt in range(50):
            try:
                return self.index.writer(heap_size=heap, num_threads=1)
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
            self._finish(writer)

    def delete(self, record_ids: list[int]) -> None:
        """Remove documents by record id."""
        with self._lock:
            writer = self._writer()
            for record_id in record_ids:
                self._delete_id(writer, record_id)
            self._finish(writer)

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
            self._finish(writer)

    def bulk_load(self, docs: Iterable[IndexDoc]) -> int:
        """Replace the index by `docs` with one writer (bulk; no per-document delete)."""
        done = 0
        with self._lock:
            writer = self._writer(heap=256_000_000)
            writer.delete_all_documents()
            for doc in docs:
                writer.add_document(self._document(doc))
                done += 1
                if done % REBUILD_COMMIT_EVERY == 0:
                    writer.commit()
            self._finish(writer)
        return done

    def _finish(self, writer: tantivy.IndexWriter) -> None:
        writer.commit()
        writer.garbage_collect_files()  # old segments' files leave the disk (destruction)
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
            "year": doc.date.year + 543 if doc.date else 0,
            "month": doc.date.month if doc.date else 0,
            "day": day_number(doc.date) if doc.date else 0,
        }
        for name, value in unsigned.items():
            out.add_unsigned(name, value)
        text = {
            "words": doc.words, "subject_words": doc.subject_words, "grams": doc.grams,
            "parts": doc.parts, "subject_parts": doc.subject_parts,
            "to_words": doc.to_words, "from_words": doc.from_words,
            "number_key": doc.number_key, "letter_key": doc.letter_key,
            "number_digits": doc.number_digits,
            "subject_key": doc.subject, "sender_key": doc.sender.lower(),
            "kind": doc.kind, "secrecy": doc.secrecy, "urgency": doc.urgency,
            "sender": doc.sender or "-", "status": doc.status, "addressee": doc.addressee,
            "attachments": doc.attachments, "register": doc.register,
        }
        for name, value in text.items():
            out.add_text(name, value)
        for key in doc.cites:
            out.add_text("cites", key)
        for key in doc.loose_numbers:
            out.add_text("loose_numbers", key)
        if doc.own_loose:
            out.add_text("own_loose", doc.own_loose)
        return out

    # -- reading ---------------------------------------------------------
    def count(self) -> int:
        """Documents in the index."""
        self.index.reload()
        return self.index.searcher().num_docs

    def search(self, request: SearchRequest) -> IndexResult:
        """Ranked ids, total, disjunctive facets and a correction, all within clearance."""
        self.index.reload()
        searcher = self.index.searcher()
        parsed = parse(request.query)
        tolerant: Tolerance | None = None
        query = self.query(request, parsed, tolerant=None)
        found = self._top(searcher, query, request)
        if (found.count or 0) < TOLERANT_BELOW and parsed.highlight_terms():
            tolerant = self._tolerance(searcher, parsed, request.clearance)
            query = self.query(request, parsed, tolerant=tolerant)
            found = self._top(searcher, query, request)
        addresses = [address for _key, address in found.hits]
        ids = searcher.fast_field_values("record_id", addresses) if addresses else []
        hits = [IndexHit(int(record_id), float(key) if isinstance(key, float) else 0.0)
                for (key, _a), record_id in zip(found.hits, ids, strict=True)]
        total = found.count or 0
        facets = self._facets(searcher, request, parsed, tolerant) if request.facets else {}
        hint = None
        if request.suggest and tolerant is not None and parsed.plain_words():
            subjects = [_stored(searcher, address, "subject_key") for address in addresses[:5]]
            hint = correct(searcher, self.compiler, request.query, parsed, request.clearance,
                           [text for text in subjects if text])
        return IndexResult(total=total, hits=hits, facets=facets, did_you_mean=hint)

    def _tolerance(self, searcher: tantivy.Searcher, parsed: ParsedQuery,
                   clearance: Secrecy) -> Tolerance:
        def doc_freq(gram_tokens: list[str]) -> int:
            return min(searcher.doc_freq("grams", g) for g in gram_tokens)

        return Tolerance(corrections(searcher, self.compiler, parsed, clearance), doc_freq,
                         max(2000, searcher.num_docs // 50))

    def suggest(self, request: SuggestRequest) -> list[Suggestion]:
        """Completions from visible records' subjects, senders and subject words."""
        self.index.reload()
        return complete(self.index.searcher(), self.compiler, request)

    def query(self, request: SearchRequest, parsed: ParsedQuery, *, tolerant: Tolerance | None,
              without: str | None = None) -> tantivy.Query:
        """The whole query: clearance, text, typed filters and request filters but `without`."""
        clauses = [(tantivy.Occur.Must, self.compiler.clearance(request.clearance))]
        clauses += self.compiler.text_clauses(parsed, tolerant)
        clauses += [(tantivy.Occur.Must, self.compiler.typed_filter(f)) for f in parsed.filters]
        clauses += [(tantivy.Occur.Must, self.compiler.facet_filter(name, values))
                    for name, values in request.filters.items() if name != without and values]
        return tantivy.Query.boolean_query(clauses)

    @staticmethod
    def _top(searcher: tantivy.Searcher, query: tantivy.Query,
             request: SearchRequest) -> tantivy.SearchResult:
        kwargs: dict[str, object] = {"limit": max(1, request.limit), "offset": request.offset}
        if request.sort in ("date_desc", "date_asc"):
            kwargs["order_by_field"] = "day"
            kwargs["order"] = (tantivy.Order.Desc if request.sort == "date_desc"
                               else tantivy.Order.Asc)
        return searcher.search(query, **kwargs)

    def _facets(self, searcher: tantivy.Searcher, request: SearchRequest, parsed: ParsedQuery,
                tolerant: Tolerance | None) -> dict[str, list[FacetValue]]:
        """Disjunctive counts: a facet's own selected values do not narrow its counts."""
        selected = [name for name in FACET_FIELDS if request.filters.get(name)]
        plain = [name for name in FACET_FIELDS if name not in selected]
        raw = self._aggregate(searcher, self.query(request, parsed, tolerant=tolerant), plain)
        for name in selected:
            query = self.query(request, parsed, tolerant=tolerant, without=name)
            raw |= self._aggregate(searcher, query, [name])
        return {name: raw.get(name, []) for name in FACET_FIELDS}

    @staticmethod
    def _aggregate(searcher: tantivy.Searcher, query: tantivy.Query,
                   names: list[str]) -> dict[str, list[FacetValue]]:
        if not names:
            return {}
        spec = {name: {"terms": {"field": name, "size": FACET_SIZES.get(name, 20)}}
                for name in names}
        raw = searcher.aggregate(query, spec)
        out = {}
        for name in names:
            buckets = raw.get(name, {}).get("buckets", [])
            values = [FacetValue(_bucket_key(b["key"]), int(b["doc_count"])) for b in buckets]
            out[name] = [v for v in values if v.value not in ("", "0", "-") and v.count > 0]
        return out


def _stored(searcher: tantivy.Searcher, address: tantivy.DocAddress, name: str) -> str:
    values = searcher.doc(address).to_dict().get(name) or [""]
    return str(values[0])


def _bucket_key(key: object) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)
