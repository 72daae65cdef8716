"""The OpenSearch search backend (issue 5), behind the same SearchBackend protocol.

It indexes the same Python-side tokens as the embedded Tantivy backend
(index.analysis) and compiles the same query tree (index.query) clause for
clause — term, phrase, boosts, the gram fallbacks — so both rank alike.
Clearance is a filter inside the query and again around the aggregations,
so no hit, count or facet above the reader's level is ever computed.

Documents live in versioned indices (`ALIAS-v1-<time>`) behind the alias;
`rebuild()` fills a new index and swaps the alias atomically, so search
never goes empty during `saraban reindex`.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from index.analysis import gram_base, grams, words
from index.backend import (
    FACET_FIELDS,
    FacetValue,
    IndexDoc,
    IndexHit,
    IndexResult,
    SearchRequest,
    Suggestion,
    SuggestRequest,
)
from index.opensearch_client import connect, unavailable_as_ours
from index.query import AnyOf, LetterNumber, Node, Not, Phrase, Words, parse
from schemas.enums import Secrecy
from schemas.errors import SearchUnavailable
from schemas.opensearch_mapping import MAPPING_VERSION, index_template
from schemas.settings import Settings
from schemas.thai_dates import be_year

_TEXT_FACETS = ("kind", "secrecy", "urgency", "sender", "status")
_EPOCH = dt.date(1970, 1, 1)
Query = dict[str, Any]
MATCH_NONE: Query = {"match_none": {}}
MATCH_ALL: Query = {"match_all": {}}


class OpenSearchBackend:
    """Search on an OpenSearch cluster through the alias `settings.opensearch_index`."""

    def __init__(self, settings: Settings, *, client: Any = None, index: str | None = None) -> None:
        self.settings = settings
        self.alias = settings.opensearch_index
        self.client = client if client is not None else connect(settings)
        self.target = index or self.alias  # a concrete index while rebuilding
        self._ready = index is not None
        self._lock = threading.Lock()

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
            self._ready = True

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
        done, batch = 0, []
        with self.rebuild() as target:
            for doc in docs:
                batch.append(doc)
                if len(batch) >= 500:
                    target.upsert(batch)
                    done, batch = done + len(batch), []
            if batch:
                target.upsert(batch)
                done += len(batch)
        return done

    def suggest(self, request: SuggestRequest) -> list[Suggestion]:
        """Type-ahead is not built on OpenSearch yet (issue 5 follow-up): none."""
        del request
        return []

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
        day = (doc.date - _EPOCH).days if doc.date and doc.date > _EPOCH else 0
        return {
            "record_id": doc.record_id, "words": doc.words, "subject_words": doc.subject_words,
            "grams": doc.grams, "text": doc.text, "number_key": doc.number_key,
            "kind": doc.kind, "secrecy": doc.secrecy, "urgency": doc.urgency,
            "sender": doc.sender or "-", "status": doc.status,
            "secrecy_level": Secrecy(doc.secrecy).level,
            "year": be_year(doc.date) if doc.date else 0, "day": day,
            "date": doc.date.isoformat() if doc.date else None,
        }

    # -- reading -----------------------------------------------------------
    def count(self) -> int:
        """Documents in the index."""
        self.ensure()
        with unavailable_as_ours():
            return int(self.client.count(index=self.target)["count"])

    def search(self, request: SearchRequest) -> IndexResult:
        """Ranked ids with highlights, the total and facets, all within the reader's clearance."""
        self.ensure()
        body = self.compile(request)
        with unavailable_as_ours():
            raw = self.client.search(index=self.target, body=body)
        hits = [IndexHit(int(h["_source"]["record_id"]), float(h.get("_score") or 0.0),
                         _snippet(h)) for h in raw["hits"]["hits"]]
        total = int(raw["hits"]["total"]["value"])
        return IndexResult(total=total, hits=hits, facets=_facets(raw.get("aggregations", {})))

    # -- compiling the query tree ------------------------------------------
    def compile(self, request: SearchRequest) -> dict[str, Any]:
        """The whole request body: query, clearance filter, facets, sort, highlight."""
        parsed = parse(request.query)
        clearance = {"range": {"secrecy_level": {"lte": Secrecy(request.clearance).level}}}
        filters: list[Query] = [clearance]
        filters.extend(self._filter(name, values) for name, values in request.filters.items())
        must = [self._node(node) for node in parsed.required] or [MATCH_ALL]
        query = {"bool": {"must": must, "must_not": [self._node(n) for n in parsed.excluded],
                          "filter": filters}}
        aggs = {name: {"terms": {"field": name, "size": 30}} for name in _TEXT_FACETS}
        aggs["year"] = {"terms": {"field": "year", "size": 60}}
        body: dict[str, Any] = {
            "query": query,
            "size": max(1, request.limit), "from": request.offset,
            "track_total_hits": True,
            "_source": ["record_id"],
            # The clearance filter again around the facets: never count above it.
            "aggs": {"visible": {"filter": clearance, "aggs": aggs}},
        }
        if request.sort in ("date_desc", "date_asc"):
            body["sort"] = [{"day": {"order": "desc" if request.sort == "date_desc" else "asc"}}]
        terms = " ".join(parsed.highlight_terms())
        if terms.strip():
            body["highlight"] = {
                "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
                "fields": {"text": {"number_of_fragments": 1, "fragment_size": 240,
                                    "no_match_size": 0}},
                "highlight_query": {"match": {"text": {"query": terms}}},
            }
        return body

    def _filter(self, name: str, values: list[str]) -> Query:
        if name == "year":
            years = [int(v) for v in values if v.strip().isdigit()]
            return {"terms": {"year": years or [0]}}
        if name not in _TEXT_FACETS:
            return MATCH_NONE
        return {"terms": {name: values}}

    def _node(self, node: Node) -> Query:
        if isinstance(node, LetterNumber):
            exact = {"term": {"number_key": {"value": node.key, "boost": 20.0}}}
            return _should([exact, self._phrase(node.text, None)])
        if isinstance(node, Not):
            return {"bool": {"must": [MATCH_ALL], "must_not": [self._node(node.node)]}}
        if isinstance(node, AnyOf):
            return _should([self._node(n) for n in node.nodes])
        if isinstance(node, Phrase):
            return self._phrase(node.text, node.field)
        return self._words(node)

    def _words(self, node: Words) -> Query:
        tokens = words(node.text)
        if not tokens:
            return MATCH_NONE
        field = "subject_words" if node.field == "subject" else "words"
        options: list[Query] = []
        if len(tokens) == 1:
            options.append(_term(field, tokens[0]))
            if field == "words":
                options.append(_term("subject_words", tokens[0], 1.5))
        else:
            options.append(_token_phrase(field, tokens))
        if node.field is None:
            options.extend(_gram_queries(node.text))
        return _should(options)

    def _phrase(self, text: str, field_name: str | None) -> Query:
        field = "subject_words" if field_name == "subject" else "words"
        tokens = words(text)
        options = [_token_phrase(field, tokens)] if tokens else []
        if field_name is None:
            gram_tokens = grams(text)
            if len(gram_tokens) > 1:
                options.append(_token_phrase("grams", gram_tokens, 0.7))
        return _should(options) if options else MATCH_NONE


def _should(options: list[Query]) -> Query:
    return {"bool": {"should": options, "minimum_should_match": 1}}


def _term(field: str, token: str, boost: float = 1.0) -> Query:
    return {"term": {field: {"value": token, "boost": boost}}}


def _token_phrase(field: str, tokens: list[str], boost: float = 1.0) -> Query:
    if len(tokens) == 1:
        return _term(field, tokens[0], boost)
    return {"match_phrase": {field: {"query": " ".join(tokens), "boost": boost}}}


def _gram_queries(text: str) -> list[Query]:
    """Compound match (gram phrase) and OCR-tolerant match (most grams present)."""
    gram_tokens = grams(text)
    if not gram_tokens:
        return []
    if len(gram_tokens) == 1:
        return [_term("grams", gram_tokens[0])]
    out = [_token_phrase("grams", gram_tokens, 0.8)]
    if len(gram_base(text)) >= 5:
        distinct = list(dict.fromkeys(gram_tokens))
        need = max(2, math.ceil(0.7 * len(distinct)))
        out.append({"bool": {"should": [_term("grams", g) for g in distinct],
                             "minimum_should_match": need, "boost": 0.2}})
    return out


def _snippet(hit: dict[str, Any]) -> str:
    fragments = hit.get("highlight", {}).get("text", [])
    return " … ".join(fragments)


def _facets(raw: dict[str, Any]) -> dict[str, list[FacetValue]]:
    visible = raw.get("visible", {})
    facets: dict[str, list[FacetValue]] = {}
    for name in FACET_FIELDS:
        buckets = visible.get(name, {}).get("buckets", [])
        values = [FacetValue(str(b["key"]), int(b["doc_count"])) for b in buckets]
        facets[name] = [v for v in values if v.value not in ("", "0", "-")]
    return facets
