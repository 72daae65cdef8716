"""Chooses the search backend from settings: embedded Tantivy or OpenSearch (issue 5)."""

from __future__ import annotations

from index.backend import SearchBackend
from schemas.settings import Settings


def open_backend(settings: Settings) -> SearchBackend:
    """The backend `settings.search` names; OpenSearch is imported only when chosen."""
    if settings.search == "opensearch":
        from index.opensearch_backend import OpenSearchBackend

        return OpenSearchBackend(settings)
    from index.tantivy_backend import TantivyBackend

    return TantivyBackend(settings.index_dir)
