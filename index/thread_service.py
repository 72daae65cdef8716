"""A letter's correspondence thread as readers see it: what it cites, what cites it."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.backend import SearchBackend, SearchRequest
from index.service import Hit, search
from index.threads import cited_filters, citing_filters
from schemas.enums import Secrecy
from schemas.tables import Record
from store.db import Database

MAX_CITING = 50


@dataclass
class CitedReference:
    """One อ้างถึง line and the letters in the archive it matches (usually one)."""

    number: str | None
    date: str | None
    letters: list[Hit] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The reference and its matches in the CLI/API JSON contract."""
        return {"number": self.number, "date": self.date,
                "letters": [hit.as_json() for hit in self.letters]}


@dataclass
class Thread:
    """The letters a record cites (per reference) and the letters citing it."""

    cites: list[CitedReference]
    cited_by: list[Hit]

    def as_json(self) -> dict[str, object]:
        """`{cites: [{number, date, letters}], cited_by: [hit]}`."""
        return {"cites": [ref.as_json() for ref in self.cites],
                "cited_by": [hit.as_json() for hit in self.cited_by]}


def thread_of(db: Database, backend: SearchBackend, record: Record,
              clearance: Secrecy) -> Thread:
    """Both directions of `record`'s thread, each found by a search within `clearance`."""
    cites = []
    for ref in record.references or []:
        filters = cited_filters(ref)
        found: list[Hit] = []
        if filters:
            found = [hit for hit in _find(db, backend, filters, clearance, 5)
                     if hit.record_id != record.id]
        cites.append(CitedReference(ref.get("number"), ref.get("date"), found))
    filters = citing_filters(record.number, record.date)
    cited_by = [] if filters is None else [
        hit for hit in _find(db, backend, filters, clearance, MAX_CITING)
        if hit.record_id != record.id]
    return Thread(cites, cited_by)


def _find(db: Database, backend: SearchBackend, filters: dict[str, list[str]],
          clearance: Secrecy, limit: int) -> list[Hit]:
    request = SearchRequest(filters=filters, clearance=clearance, limit=limit, sort="date_asc",
                            facets=False, suggest=False)
    return search(db, backend, request).hits
