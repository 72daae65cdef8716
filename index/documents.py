"""From a store row to what the index holds (the same for every backend)."""

from __future__ import annotations

from index.analysis import (folded_grams, folded_words, joined, loose_number, loose_numbers,
                            parts_of, words)
from index.backend import IndexDoc
from index.facets import addressee_group, register_of
from index.query import number_key
from index.threads import cite_keys, letter_key
from schemas.letter_numbers import parse_number
from schemas.tables import Record
from schemas.text import fold
from store.records import effective_secrecy


def index_doc(record: Record) -> IndexDoc:
    """The index document of a record: Thai words, grams, keys and facet values."""
    name = record.file.original_name if record.file is not None else ""
    searchable = "\n".join(
        part for part in (record.subject, record.to, record.from_org, record.number,
                          record.signer, " ".join(record.enclosures or []), record.text, name)
        if part
    )
    secrecy = effective_secrecy(record).value
    folded = fold(searchable)
    tokens = folded_words(folded)
    subject_tokens = words(record.subject or "")
    loose = loose_numbers(searchable)
    parsed = parse_number(record.number) if record.number else None
    own = loose_number(parsed.unit, parsed.running) if parsed is not None else ""
    own = own if own in loose else ""  # its own number, printed in Thai digits in its text
    return IndexDoc(
        record_id=record.id,
        words=joined(tokens),
        subject_words=joined(subject_tokens),
        parts=joined(parts_of(tokens)),
        subject_parts=joined(parts_of(subject_tokens)),
        grams=joined(folded_grams(folded)),
        number_key=(number_key(record.number) or "") if record.number else "",
        kind=record.kind or "unknown",
        secrecy=secrecy,
        urgency=record.urgency or "normal",
        sender=(record.from_org or "").strip(),
        status=str(getattr(record.status, "value", record.status)),
        date=record.date,
        text=searchable,
        version=record.version or 0,
        to_words=joined(words(record.to or "")),
        from_words=joined(words(" ".join(p for p in (record.from_org, record.signer) if p))),
        loose_numbers=tuple(loose),
        own_loose=own,
        number_digits=f"{parsed.unit}/{parsed.running}" if parsed is not None else "",
        addressee=addressee_group(record.to),
        attachments="yes" if record.enclosures else "no",
        register=register_of(record.kind, secrecy),
        letter_key=letter_key(record.number, record.date) or "",
        cites=tuple(cite_keys(record.references or [])),
        subject=fold(record.subject or ""),
    )
