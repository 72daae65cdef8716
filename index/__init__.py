"""Finding letters: the search-backend interface, Thai analysis, query parsing,
the embedded Tantivy backend, snippets, and keeping the index in step with the store."""
