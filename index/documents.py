"""From a store row to what the index holds (the same for every backend)."""

from __future__ import annotations

from index.analysis import grams, joined, words
from index.backend import IndexDoc
from index.query import number_key
from schemas.tables import Record
from store.records import effective_secrecy


def index_doc(record: Record) -> IndexDoc:
    """The index document of a record: Thai words, grams, keys and facet values."""
    name = record.file.original_name if record.file is not None else ""
    searchable = "\n".join(
        part for part in (record.subject, record.to, record.from_org, record.number,
                          record.signer, " ".join(record.enclosures or []), record.text, name)
        if part
    )
    return IndexDoc(
        record_id=record.id,
        words=joined(words(searchable)),
        subject_words=joined(words(record.subject or "")),
        grams=joined(grams(searchable)),
        number_key=(number_key(record.number) or "") if record.number else "",
        kind=record.kind or "unknown",
        secrecy=effective_secrecy(record).value,
        urgency=record.urgency or "normal",
        sender=(record.from_org or "").strip(),
        status=str(getattr(record.status, "value", record.status)),
        date=record.date,
        text=searchable,
        version=record.version or 0,
    )
