"""The OpenSearch index template: settings, Thai analysis and field mapping (issue 5).

Fields and their analysis:

- `words`, `subject_words`: PyThaiNLP-segmented, folded tokens made in
  Python (index.analysis) and split on whitespace, so OpenSearch and the
  embedded Tantivy backend index exactly the same tokens and agree.
- `grams`: character bigrams of each Thai run (tone marks removed), made in
  Python too: compounds and OCR-damaged words still match.
- `text`: the readable text analysed by OpenSearch's own `thai` tokenizer
  after a char filter folding Thai digits ๐–๙ to Arabic; used to highlight.
- facet fields are keywords; `secrecy_level` carries the clearance filter.
"""

from __future__ import annotations

from typing import Any

MAPPING_VERSION = 1

THAI_DIGITS = [f"{chr(0x0E50 + d)}=>{d}" for d in range(10)]


def index_settings(shards: int = 1, replicas: int = 0) -> dict[str, Any]:
    """Index settings: shards, replicas and the analysis chain."""
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        "analysis": {
            "char_filter": {"thai_digits": {"type": "mapping", "mappings": THAI_DIGITS}},
            "analyzer": {
                # Tokens arrive already segmented and folded by index.analysis.
                "presegmented": {"type": "custom", "tokenizer": "whitespace"},
                "thai_folded": {"type": "custom", "tokenizer": "thai",
                                "char_filter": ["thai_digits"], "filter": ["lowercase"]},
            },
        },
    }


def _tokens() -> dict[str, Any]:
    return {"type": "text", "analyzer": "presegmented"}


def mappings() -> dict[str, Any]:
    """Field mapping; `dynamic: strict` refuses fields the code did not declare."""
    keyword = {"type": "keyword"}
    return {
        "dynamic": "strict",
        "_meta": {"mapping_version": MAPPING_VERSION},
        "properties": {
            "record_id": {"type": "long"},
            "words": _tokens(),
            "subject_words": _tokens(),
            "grams": _tokens(),
            "text": {"type": "text", "analyzer": "thai_folded"},
            "number_key": keyword,
            "kind": keyword,
            "secrecy": keyword,
            "urgency": keyword,
            "sender": keyword,
            "status": keyword,
            "secrecy_level": {"type": "integer"},
            "year": {"type": "integer"},  # Buddhist Era; 0 when unknown
            "day": {"type": "integer"},  # days since 1970 for sorting; 0 when unknown
            "date": {"type": "date", "format": "strict_date"},
        },
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
