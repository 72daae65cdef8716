"""The OpenSearch search backend (issue 5), behind the same SearchBackend protocol.

It indexes the same Python-side tokens as the embedded Tantivy backend
(index.analysis) and compiles the same query tree (index.query) clause for
clause — term, phrase, boosts, the gram fallbacks — so both rank alike.
Clearance is a filter inside the query and again around the aggregations,
so no hit, count or facet above the reader's level is ever computed.

Documents live in versioned indices (`ALIAS-v<mapping>-<time>`) behind the alias;
`rebuild()` fills a new index and swaps the alias atomically, so search
never goes empty during `saraban reindex`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from index.analysis import grams
from index.backend import (FACET_FIELDS, FacetValue, IndexDoc, IndexHit, IndexResult,
                           SearchRequest, Suggestion, SuggestRequest, upsert_all)
from index.opensearch_client import connect, unavailable_as_ours
from index.opensearch_query import MATCH_ALL, Compiler, Query, regex_prefix
from index.query import AnyOf, Node, ParsedQuery, Words, parse
from index.tantivy_backend import FACET_SIZES, TOLERANT_BELOW
from index.tantivy_query import Tolerance, day_number
from index.tantivy_suggest import complete, correct, corrections
from schemas.enums import Secrecy
from schemas.errors import SearchUnavailable
from schemas.opensearch_mapping import (MAPPING_VERSION, MAX_RESULT_WINDOW, field_properties,
                                        index_template)
from schemas.settings import Settings

MAX_TERMS = 10_000
NEAR_CANDIDATES = 50  # spelling candidates Lucene returns per word, closest first
SHARD_TERMS = 1_000  # facet values each shard reports (facets show at most 80)
log = logging.getLogger(__name__)
MERGE_TIMEOUT = 3 * 3600  # seconds a rebuilt index may take to merge (1M letters: minutes)


class OpenSearchBackend:
    """Search on an OpenSearch cluster through the alias `settings.opensearch_index`."""

    def __init__(self, settings: Settings, *, client: Any = None, index: str | None = None) -> None:
        self.settings = settings
        self.alias = settings.opensearch_index
        self.client = client if client is not None else connect(settings)
        self.target = index or self.alias  # a concrete index while rebuilding
        self._ready = index is not None
        self._lock = threading.Lock()
        self.compiler = Compiler()

    # -- the index, its template and its alias -------------------------------
    def new_index_name(self) -> str:
        """A fresh versioned index name: ALIAS-v<mapping>-<UTC time>."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.alias}-v{MAPPING_VERSION}-{stamp}"

    def ensure(self) -> None:
        """Put the index template and, when the alias is missing, a first index behind it.

        Called lazily before the first request, so an archive opens while
        OpenSearch is down. Idempotent.
        """
        if self._ready:
            return
        with self._lock, unavailable_as_ours():
            if self._ready:
                return
            self.client.indices.put_index_template(name=self.alias, body=index_template(
                self.alias, self.settings.opensearch_shards, self.settings.opensearch_replicas))
            if not self.client.indices.exists_alias(name=self.alias):
                # A fixed first name: when the app and the worker start together,
                # one creates it and the other is told it already exists.
                first = f"{self.alias}-v{MAPPING_VERSION}-initial"
                self.client.indices.create(index=first, ignore=400, body={
                    "aliases": {self.alias: {"is_write_index": True}}})
                self.client.cluster.health(index=first, wait_for_status="yellow")
            else:
                self._add_new_fields()
            self._ready = True

    def _add_new_fields(self) -> None:
        """Give an index made by an older mapping the new fields (adding one is allowed).

        Writes then go on; `saraban reindex` fills the fields of older documents
        and swaps in an index of the current mapping. When the fields cannot be
        added (a conflict, no right to), writes wait in the outbox until that reindex.
        """
        from opensearchpy.exceptions import AuthorizationException, RequestError

        try:
            live = self.client.indices.get_mapping(index=self.alias)
            versions = [int(m.get("mappings", {}).get("_meta", {}).get("mapping_version", 0))
                        for m in live.values()]
            if versions and min(versions) >= MAPPING_VERSION:
                return
            self.client.indices.put_mapping(index=self.alias,
                                            body={"properties": field_properties()})
        except (RequestError, AuthorizationException) as exc:
            log.warning("search index %s predates mapping v%s and cannot take its fields (%s):"
                        " run `saraban reindex`", self.alias, MAPPING_VERSION, exc.error)

    @contextmanager
    def rebuild(self) -> Iterator[OpenSearchBackend]:
        """Fill a new versioned index, then point the alias at it in one atomic step."""
        self.ensure()
        name = self.new_index_name()
        with unavailable_as_ours():
            self.client.indices.create(index=name, body={"settings": {"refresh_interval": "-1"}})
        try:
            yield OpenSearchBackend(self.settings, client=self.client, index=name)
        except BaseException:
            with unavailable_as_ours():
                self.client.indices.delete(index=name, ignore_unavailable=True)
            raise
        with unavailable_as_ours():
            self.client.indices.put_settings(index=name, body={"refresh_interval": None})
            # A rebuilt index is read far more than written: one segment makes every
            # search and facet count visit one term dictionary instead of dozens. The
            # merge flushes what is buffered first; one refresh then opens the result.
            self.client.indices.forcemerge(index=name, max_num_segments=1,
                                           request_timeout=MERGE_TIMEOUT)
            self.client.indices.refresh(index=name)
            old = list(self.client.indices.get_alias(name=self.alias, ignore_unavailable=True))
            actions: list[dict[str, Any]] = [{"remove": {"index": o, "alias": self.alias}}
                                             for o in old]
            actions.append({"add": {"index": name, "alias": self.alias, "is_write_index": True}})
            self.client.indices.update_aliases(body={"actions": actions})
            for previous in old:
                self.client.indices.delete(index=previous, ignore_unavailable=True)

    # -- writing -----------------------------------------------------------
    def bulk_load(self, docs: Iterable[IndexDoc]) -> int:
        """Replace the whole index by `docs`: built beside the live one, then swapped."""
        with self.rebuild() as target:
            return upsert_all(target, docs)

    def upsert(self, docs: list[IndexDoc]) -> None:
        """Bulk-index documents by record id; searchable on return.

        External versions (the record's version) make a late, older delivery
        lose against a newer one already indexed.
        """
        if not docs:
            return
        self.ensure()
        body: list[dict[str, Any]] = []
        for doc in docs:
            action: dict[str, Any] = {"_index": self.target, "_id": str(doc.record_id)}
            if doc.version and self.target == self.alias:  # a new index has nothing older
                action.update(version=doc.version, version_type="external_gte")
            body.append({"index": action})
            body.append(self._source(doc))
        self._bulk(body)

    def delete(self, record_ids: list[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        if not record_ids:
            return
        self.ensure()
        self._bulk([{"delete": {"_index": self.target, "_id": str(rid)}} for rid in record_ids])

    def _bulk(self, body: list[dict[str, Any]]) -> None:
        with unavailable_as_ours():
            # While rebuilding, the new index is refreshed once, when it goes live.
            result = self.client.bulk(body=body, refresh=self.target == self.alias)
        if not result.get("errors"):
            return
        for item in result["items"]:
            outcome = next(iter(item.values()))
            status = int(outcome.get("status", 500))
            if status < 300 or status in (404, 409):  # 409: a newer version is already in
                continue
            raise SearchUnavailable(f"OpenSearch ไม่รับเอกสาร (bulk item failed: {status})",
                                    str(outcome.get("error"))[:2000])

    def clear(self) -> None:
        """Remove every document (the alias and its index stay)."""
        self.ensure()
        with unavailable_as_ours():
            self.client.delete_by_query(index=self.target, body={"query": MATCH_ALL},
                                        refresh=True, conflicts="proceed")

    def _source(self, doc: IndexDoc) -> dict[str, Any]:
        return {
            "record_id": doc.record_id,
            "words": doc.words, "subject_words": doc.subject_words, "grams": doc.grams,
            "parts": doc.parts, "subject_parts": doc.subject_parts,
            "to_words": doc.to_words, "from_words": doc.from_words,
            "number_key": doc.number_key, "number_digits": doc.number_digits,
            "letter_key": doc.letter_key, "cites": list(doc.cites),
            "loose_numbers": list(doc.loose_numbers), "own_loose": doc.own_loose or None,
            "kind": doc.kind, "secrecy": doc.secrecy, "urgency": doc.urgency,
            "sender": doc.sender or "-", "status": doc.status, "addressee": doc.addressee,
            "attachments": doc.attachments, "register": doc.register,
            "secrecy_level": Secrecy(doc.secrecy).level,
            "year": doc.date.year + 543 if doc.date else 0,
            "month": doc.date.month if doc.date else 0,
            "day": day_number(doc.date) if doc.date else 0,
            "date": doc.date.isoformat() if doc.date else None,
            "subject_key": doc.subject, "sender_key": doc.sender.lower(),
            "subject_terms": sorted(set(doc.subject_words.split())),
            "from_terms": sorted(set(doc.from_words.split())),
        }

    # -- reading -----------------------------------------------------------
    def count(self) -> int:
        """Documents in the index."""
        self.ensure()
        with unavailable_as_ours():
            return int(self.client.count(index=self.target)["count"])

    def contains(self, record_id: int) -> bool:
        """Whether a live document for `record_id` is in the index."""
        self.ensure()
        with unavailable_as_ours():
            body = {"query": {"term": {"record_id": record_id}}}
            return int(self.client.count(index=self.target, body=body)["count"]) > 0

    def _search(self, body: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.settings.opensearch_shards > 1:
            # BM25 statistics of the whole index, not of each shard, as Tantivy's
            params["search_type"] = "dfs_query_then_fetch"
        with unavailable_as_ours():
            return dict(self.client.search(index=self.target, body=body, params=params))

    def _totals(self, bodies: list[dict[str, Any]]) -> list[int]:
        """Hit counts of several size-0 searches, in one round trip."""
        lines: list[dict[str, Any]] = []
        for body in bodies:
            lines += [{}, body]
        with unavailable_as_ours():
            raw = self.client.msearch(index=self.target, body=lines)
        out = []
        for answer in raw["responses"]:
            if "error" in answer:
                raise SearchUnavailable(f"OpenSearch: {answer['error'].get('type', 'error')}")
            out.append(int(answer["hits"]["total"]["value"]))
        return out

    def search(self, request: SearchRequest) -> IndexResult:
        """Ranked ids, total, disjunctive facets and a correction, all within clearance.

        Exact first; when that finds fewer than a page of letters, again tolerant
        of OCR damage (index.tantivy_backend, the same rule).
        """
        self.ensure()
        parsed = parse(request.query)
        tolerant: Tolerance | None = None
        raw = self._search(self.compile(request, parsed, tolerant))
        if int(raw["hits"]["total"]["value"]) < TOLERANT_BELOW and parsed.highlight_terms():
            tolerant = self._tolerance(parsed, request.clearance)
            raw = self._search(self.compile(request, parsed, tolerant))
        found = raw["hits"]["hits"]
        hits = [IndexHit(int(h["_source"]["record_id"]), float(h.get("_score") or 0.0))
                for h in found]
        facets = _facets(raw.get("aggregations", {})) if request.facets else {}
        hint = None
        if request.suggest and tolerant is not None and parsed.plain_words():
            subjects = [str(h["_source"].get("subject_key") or "") for h in found[:5]]
            hint = correct(_Vocabulary(self), self.compiler, request.query, parsed,
                           request.clearance, [text for text in subjects if text])
        return IndexResult(total=int(raw["hits"]["total"]["value"]), hits=hits, facets=facets,
                           did_you_mean=hint)

    def suggest(self, request: SuggestRequest) -> list[Suggestion]:
        """Completions from visible records' subjects, senders and subject words."""
        self.ensure()
        return complete(_Vocabulary(self), self.compiler, request)

    def _tolerance(self, parsed: ParsedQuery, clearance: Secrecy) -> Tolerance:
        """Corrections from the visible vocabulary, and how common each bigram is.

        Bigram counts are over the whole index, as Tantivy's `doc_freq`: they
        only decide which stretches are too common to search (a cost rule,
        index.tantivy_query), never what is returned or counted, and counting
        them the same way keeps both backends' results equal at any size.
        """
        wanted = sorted({g for text in _plain_texts(parsed.required) for g in grams(text)})
        # One count per bigram: a lone term query is answered from the term's
        # document frequency, where a filters aggregation would visit every letter.
        bodies = [{"size": 0, "track_total_hits": True, "query": MATCH_ALL}]
        bodies += [{"size": 0, "track_total_hits": True, "query": {"term": {"grams": g}}}
                   for g in wanted]
        totals = self._totals(bodies)
        docs, counts = totals[0], dict(zip(wanted, totals[1:], strict=True))

        def doc_freq(gram_tokens: list[str]) -> int:
            return min(counts.get(g, 0) for g in gram_tokens)

        return Tolerance(corrections(_Vocabulary(self), self.compiler, parsed, clearance),
                         doc_freq, max(2000, docs // 50))

    # -- compiling ---------------------------------------------------------
    def compile(self, request: SearchRequest, parsed: ParsedQuery | None = None,
                tolerant: Tolerance | None = None) -> dict[str, Any]:
        """The whole request body: query within clearance, requested filters, facets, sort.

        The requested facet filters are a post filter, so each facet's counts
        can leave out its own selection (disjunctive) while still inside the
        query, and so inside the reader's clearance.
        """
        parsed = parse(request.query) if parsed is None else parsed
        clearance = self.compiler.clearance(request.clearance)
        filters = [clearance] + [self.compiler.typed_filter(f) for f in parsed.filters]
        text = self.compiler.text_query(parsed, tolerant)
        text["bool"]["filter"] = filters
        chosen = {name: self.compiler.facet_filter(name, values)
                  for name, values in request.filters.items() if values}
        start = min(max(0, request.offset), MAX_RESULT_WINDOW)
        body: dict[str, Any] = {
            "query": text,
            # pages past the result window come back empty (with the total), not an error
            "size": max(0, min(max(1, request.limit), MAX_RESULT_WINDOW - start)),
            "from": start,
            "track_total_hits": True,
            "_source": ["record_id", "subject_key"],
        }
        if chosen:
            body["post_filter"] = {"bool": {"filter": list(chosen.values())}}
        if request.facets:
            aggs = {}
            for name in FACET_FIELDS:
                others = [q for other, q in chosen.items() if other != name]
                aggs[name] = {"filter": {"bool": {"filter": others}},
                              "aggs": {"values": {"terms": {
                                  "field": name, "size": FACET_SIZES.get(name, 20),
                                  "shard_size": SHARD_TERMS,  # exact counts on several shards
                                  "order": [{"_count": "desc"}, {"_key": "asc"}]}}}}
            # The clearance filter again around the facets: never count above it.
            body["aggs"] = {"visible": {"filter": clearance, "aggs": aggs}}
        if request.sort in ("date_desc", "date_asc"):
            body["sort"] = [{"day": {"order": "desc" if request.sort == "date_desc" else "asc"}}]
        return body


class _Vocabulary:
    """The term-dictionary walk index.tantivy_suggest needs, answered by OpenSearch.

    `terms_with_prefix` is a terms aggregation over a keyword field, run with
    the caller's filter (always the reader's clearance) as the query: a term
    only in records above the clearance has no bucket and is never returned.
    Order and limit as Tantivy's: count descending, then alphabetical.
    """

    FIELDS = {"subject_key": "subject_key", "sender_key": "sender_key",
              "subject_words": "subject_terms", "from_words": "from_terms"}

    def __init__(self, backend: OpenSearchBackend) -> None:
        self.backend = backend

    def terms_with_prefix(self, field: str, prefix: str, filter_query: Query | None = None,
                          limit: int | None = None) -> list[tuple[str, int]]:
        """`(term, visible count)` of `field` starting with `prefix`."""
        if filter_query is None:
            raise ValueError("a vocabulary walk needs the clearance filter")
        name = self.FIELDS[field]
        terms = {"field": name, "size": limit or MAX_TERMS, "min_doc_count": 1,
                 "order": [{"_count": "desc"}, {"_key": "asc"}]}
        filters = [filter_query]
        if prefix:
            terms["include"] = regex_prefix(prefix)
            # only records holding such a term are read, their values directly (no
            # global ordinals of the whole field to build after every refresh)
            terms["execution_hint"] = "map"
            filters.append({"prefix": {name: prefix}})
        raw = self.backend._search({"size": 0, "query": {"bool": {"filter": filters}},
                                    "aggs": {"terms": {"terms": terms}}})
        buckets = raw.get("aggregations", {}).get("terms", {}).get("buckets", [])
        return [(str(b["key"]), int(b["doc_count"])) for b in buckets]

    def terms_near(self, field: str, token: str, edits: int,
                   filter_query: Query) -> list[tuple[str, int]]:
        """`(term, visible count)` of `field`'s terms within `edits` of `token` that
        share its first letter, `token` itself included when a visible record holds it.

        Lucene's spell checker walks the term dictionary for the candidates
        (index-wide, so it sees terms of every record); each candidate is then
        counted inside the reader's filter, and one no visible record holds is
        dropped. The same answer as walking every term with that first letter
        (`terms_with_prefix`, index.tantivy_suggest) while no more than
        `NEAR_CANDIDATES` terms lie that close, without visiting the hundreds of
        thousands of letters that hold a term with that first letter.
        """
        name = self.FIELDS[field]
        suggester = {"field": name, "analyzer": "keyword", "suggest_mode": "always",
                     "max_edits": edits, "prefix_length": 1, "min_word_length": 1,
                     "size": NEAR_CANDIDATES, "max_inspections": 5, "accuracy": 0.0,
                     "max_term_freq": float(2**31 - 1), "string_distance": "levenshtein"}
        raw = self.backend._search({"size": 0, "track_total_hits": False,
                                    "suggest": {"near": {"text": token, "term": suggester}}})
        found = raw.get("suggest", {}).get("near", [])
        options = [str(o["text"]) for entry in found for o in entry.get("options", [])]
        candidates = sorted({token, *options})
        counts = self.backend._totals([
            {"size": 0, "track_total_hits": True,
             "query": {"bool": {"filter": [{"term": {name: term}}, filter_query]}}}
            for term in candidates])
        visible = [(term, n) for term, n in zip(candidates, counts, strict=True) if n > 0]
        return sorted(visible, key=lambda tc: (-tc[1], tc[0]))


def _plain_texts(nodes: Iterable[Node]) -> list[str]:
    """Texts of the plain words (also inside OR) the tolerant pass turns into bigrams."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Words) and node.field is None:
            out.append(node.text)
        elif isinstance(node, AnyOf):
            out.extend(_plain_texts(node.nodes))
    return out


def _facets(raw: dict[str, Any]) -> dict[str, list[FacetValue]]:
    visible = raw.get("visible", {})
    facets: dict[str, list[FacetValue]] = {}
    for name in FACET_FIELDS:
        buckets = visible.get(name, {}).get("values", {}).get("buckets", [])
        values = [FacetValue(str(b["key"]), int(b["doc_count"])) for b in buckets]
        facets[name] = [v for v in values if v.value not in ("", "0", "-") and v.count > 0]
    return facets
