"""The OpenSearch index template: settings and field mapping (issue 5).

Every field holds what index.documents computed in Python, the same values the
embedded Tantivy backend indexes, so both match and count alike:

- `words`, `subject_words`, `to_words`, `from_words`, `parts`, `subject_parts`,
  `grams`: PyThaiNLP-segmented, folded tokens (and their dictionary parts and
  character bigrams) made by index.analysis, split on whitespace only.
- `number_key`, `number_digits`, `letter_key`, `cites`, `loose_numbers`,
  `own_loose`: letter-number keys (keywords).
- facet fields are keywords (`year`, `month` integers); `secrecy_level`
  carries the clearance filter; `day` (index.tantivy_query.day_number) sorts
  and ranges by date.
- `subject_key`, `sender_key`, `subject_terms`, `from_terms`: the vocabulary
  type-ahead and "did you mean" read with terms aggregations under the
  clearance filter (index.opensearch_backend).

Highlighting is done in Python (index.highlight) for both backends, so the
readable text is not stored here.
"""

from __future__ import annotations

from typing import Any

MAPPING_VERSION = 2

TOKEN_FIELDS = ("words", "subject_words", "to_words", "from_words", "parts", "subject_parts",
                "grams")
KEYWORD_FIELDS = ("number_key", "number_digits", "letter_key", "cites", "loose_numbers",
                  "own_loose", "kind", "secrecy", "urgency", "sender", "status", "addressee",
                  "attachments", "register", "sender_key", "subject_terms", "from_terms")
INTEGER_FIELDS = ("secrecy_level", "year", "month", "day")
FACET_KEYWORDS = ("kind", "secrecy", "urgency", "sender", "status", "addressee", "attachments",
                  "register")
MAX_RESULT_WINDOW = 100_000  # deepest hit a page may reach (OpenSearch's default: 10,000)


def index_settings(shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """Index settings: shards, replicas and the analysis chain."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "max_result_window": MAX_RESULT_WINDOW,
        "analysis": {
            "analyzer": {
                # Tokens arrive already segmented and folded by index.analysis.
                "presegmented": {"type": "custom", "tokenizer": "whitespace"},
            },
        },
    }


def field_properties() -> dict[str, Any]:
    """Every field; adding one here and to the documents is enough to add it to a live index."""
    properties: dict[str, Any] = {"record_id": {"type": "long"}}
    properties |= {name: {"type": "text", "analyzer": "presegmented"} for name in TOKEN_FIELDS}
    properties |= {name: {"type": "keyword"} for name in KEYWORD_FIELDS}
    for name in FACET_KEYWORDS:  # counted on every search: ordinals built at refresh, not then
        properties[name]["eager_global_ordinals"] = True
    properties |= {name: {"type": "integer"} for name in INTEGER_FIELDS}
    properties["subject_key"] = {"type": "keyword", "ignore_above": 4000}  # whole folded subject
    properties["date"] = {"type": "date", "format": "strict_date"}
    return properties


def mappings() -> dict[str, Any]:
    """Field mapping; `dynamic: strict` refuses fields the code did not declare."""
    return {
        "dynamic": "strict",
        "_meta": {"mapping_version": MAPPING_VERSION},
        # Only what a hit reads back is kept in _source: the tokens are rebuilt from the store.
        "_source": {"includes": ["record_id", "subject_key"]},
        "properties": field_properties(),
    }


def index_template(alias: str, shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """A composable index template applied to every versioned index `ALIAS-v*`."""
    return {
        "index_patterns": [f"{alias}-v*"],
        "priority": 100,
        "version": MAPPING_VERSION,
        "template": {"settings": index_settings(shards, replicas), "mappings": mappings()},
        "_meta": {"description": "Saraban Archive records (Thai letters)"},
    }
