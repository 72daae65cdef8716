"""The search-backend interface: what every backend (embedded, OpenSearch) offers.

Backends MUST apply the reader's clearance inside every call that reads
(`search`, `suggest`), so that no hit, count, facet value, suggestion or
"did you mean" above it can come back. Queries arrive as text and are parsed
by `index.query.parse` into a backend-neutral tree that each backend compiles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from index.facets import FACET_FIELDS
from schemas.enums import Secrecy

__all__ = ["FACET_FIELDS", "IndexDoc", "SearchRequest", "IndexHit", "FacetValue", "IndexResult",
           "Suggestion", "SuggestRequest", "SearchBackend", "THREAD_FILTERS"]

# Filters that are not facets: correspondence threads (index.threads).
THREAD_FILTERS = ("letter_key", "number_key", "cites")


@dataclass(frozen=True)
class IndexDoc:
    """One record as the index sees it (built by index.documents from a store row)."""

    record_id: int
    words: str
    subject_words: str
    grams: str
    number_key: str
    kind: str
    secrecy: str
    urgency: str
    sender: str
    status: str
    date: dt.date | None
    text: str = ""  # the readable text, for backends that highlight themselves (issue 5)
    version: int = 0  # the record's version: a backend MAY refuse to replace a newer one
    to_words: str = ""
    from_words: str = ""
    loose_numbers: tuple[str, ...] = ()
    own_loose: str = ""
    number_digits: str = ""
    addressee: str = "other"
    attachments: str = "no"
    register: str = "incoming"
    letter_key: str = ""
    cites: tuple[str, ...] = ()
    subject: str = ""
    parts: str = ""
    subject_parts: str = ""


@dataclass(frozen=True)
class SearchRequest:
    """A search as a reader asks it.

    `filters` maps a name of FACET_FIELDS (or THREAD_FILTERS) to the values
    wanted: values of one name are OR-ed, names are AND-ed.
    """

    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    clearance: Secrecy = Secrecy.none
    limit: int = 10
    offset: int = 0
    sort: str = "relevance"  # or "date_desc", "date_asc"
    facets: bool = True
    suggest: bool = True  # "did you mean" when the exact pass finds fewer than a page


@dataclass(frozen=True)
class IndexHit:
    """A matching record id and its score."""

    record_id: int
    score: float
    snippet: str = ""  # HTML with <mark>, when the backend highlights (issue 5)


@dataclass(frozen=True)
class FacetValue:
    """One facet value and how many visible matching records have it."""

    value: str
    count: int


@dataclass
class IndexResult:
    """Matching ids (one page), the total, facet counts and a possible correction."""

    total: int
    hits: list[IndexHit]
    facets: dict[str, list[FacetValue]]
    did_you_mean: str | None = None


@dataclass(frozen=True)
class SuggestRequest:
    """Type-ahead: what the reader has typed so far."""

    text: str
    clearance: Secrecy = Secrecy.none
    limit: int = 8


@dataclass(frozen=True)
class Suggestion:
    """A completion from the archive's vocabulary: a subject, a sender or a word."""

    text: str
    kind: str  # "subject", "sender" or "word"
    count: int


@runtime_checkable
class SearchBackend(Protocol):
    """A search index of records.

    Implementations MUST filter by clearance inside `search` and `suggest`;
    MUST raise `schemas.errors.SearchUnavailable` when their service cannot be
    reached, so that the outbox retries and search reports it is degraded;
    MUST treat Thai and Arabic digits alike (the analysis module folds them);
    MUST compute facet counts disjunctively (index.facets); SHOULD return
    facet counts for every name in FACET_FIELDS.
    """

    def upsert(self, docs: list[IndexDoc]) -> None:
        """Add or replace documents (by record_id) and make them searchable."""

    def delete(self, record_ids: list[int]) -> None:
        """Remove documents; unknown ids are ignored."""

    def bulk_load(self, docs: Iterable[IndexDoc]) -> int:
        """Replace the whole index by `docs` (streamed, bulk); return how many."""

    def search(self, request: SearchRequest) -> IndexResult:
        """Run a query; raises nothing for a malformed query (it is searched as words)."""

    def suggest(self, request: SuggestRequest) -> list[Suggestion]:
        """Completions of `request.text` from visible records' subjects, senders and words."""

    def count(self) -> int:
        """Number of documents in the index."""

    def contains(self, record_id: int) -> bool:
        """Whether a live document for `record_id` is in the index (destruction checks it)."""

    def clear(self) -> None:
        """Remove every document (before a rebuild); MUST drop their data from disk too."""


@runtime_checkable
class Rebuildable(Protocol):
    """A backend that can rebuild beside the live index and swap with no downtime (issue 5)."""

    def rebuild(self) -> AbstractContextManager[SearchBackend]:
        """A backend writing into a new, empty index; made live when the block ends cleanly.

        Raises `schemas.errors.SearchUnavailable` when the service cannot be reached.
        """


def upsert_all(target: SearchBackend, docs: Iterable[IndexDoc], batch: int = 500) -> int:
    """Upsert `docs` into `target` a batch at a time; return how many.

    One batch is sent while the next is analysed: a server backend indexes
    in its own process while Python prepares the next batch, so a rebuild
    takes about the longer of the two rather than their sum.
    """
    done, pending = 0, []
    sending: Future[None] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-upsert") as pool:
        for doc in docs:
            pending.append(doc)
            if len(pending) >= batch:
                if sending is not None:
                    sending.result()
                sending = pool.submit(target.upsert, pending)
                done, pending = done + len(pending), []
        if sending is not None:
            sending.result()
        if pending:
            target.upsert(pending)
            done += len(pending)
    return done
