"""The search-backend interface: what every backend (embedded, OpenSearch) offers.

Backends MUST apply the reader's clearance inside the search itself, so that
no hit, count, facet value or suggestion above it can come back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from schemas.enums import Secrecy

FACET_FIELDS = ("year", "kind", "secrecy", "urgency", "sender", "status")


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


@dataclass(frozen=True)
class SearchRequest:
    """A search as a reader asks it."""

    query: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    clearance: Secrecy = Secrecy.none
    limit: int = 10
    offset: int = 0
    sort: str = "relevance"  # or "date_desc", "date_asc"


@dataclass(frozen=True)
class IndexHit:
    """A matching record id and its score."""

    record_id: int
    score: float


@dataclass(frozen=True)
class FacetValue:
    """One facet value and how many visible matching records have it."""

    value: str
    count: int


@dataclass
class IndexResult:
    """Matching ids (one page), the total, and facet counts."""

    total: int
    hits: list[IndexHit]
    facets: dict[str, list[FacetValue]]


@runtime_checkable
class SearchBackend(Protocol):
    """A search index of records.

    Implementations MUST filter by `request.clearance` inside `search`;
    MUST treat Thai and Arabic digits alike (the analysis module folds them);
    SHOULD return facet counts for every name in FACET_FIELDS.
    """

    def upsert(self, docs: list[IndexDoc]) -> None:
        """Add or replace documents (by record_id) and make them searchable."""

    def delete(self, record_ids: list[int]) -> None:
        """Remove documents; unknown ids are ignored."""

    def search(self, request: SearchRequest) -> IndexResult:
        """Run a query; raises nothing for a malformed query (it is searched as words)."""

    def count(self) -> int:
        """Number of documents in the index."""

    def contains(self, record_id: int) -> bool:
        """Whether a live document for `record_id` is in the index (destruction checks it)."""

    def clear(self) -> None:
        """Remove every document (before a rebuild); MUST drop their data from disk too."""
