"""The search service shared by the web pages, the JSON API and the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from index.backend import FacetValue, SearchBackend, SearchRequest
from index.highlight import snippet
from index.query import parse
from schemas.errors import SearchUnavailable
from schemas.tables import Record
from store.db import Database
from store.outbox import failing_changes
from store.records import visible


DOWN = "ระบบค้นหาไม่ตอบสนอง ผลการค้นหาอาจไม่ครบ (search is degraded: {reason})"
BEHIND = ("ดัชนีค้นหายังรับการแก้ไขไม่ครบ {count} รายการ ผลการค้นหาอาจไม่เป็นปัจจุบัน "
          "(search is degraded: {count} changes waiting for the index)")


@dataclass
class Hit:
    """One search hit as readers see it."""

    record_id: int
    file: str
    number: str | None
    date: dt.date | None
    subject: str | None
    from_org: str | None
    kind: str | None
    secrecy: str
    urgency: str
    status: str
    score: float
    snippet: str

    def as_json(self) -> dict[str, object]:
        """The hit in the CLI/API JSON contract."""
        return {"record_id": self.record_id, "file": self.file, "number": self.number,
                "date": self.date.isoformat() if self.date else None, "subject": self.subject,
                "score": round(self.score, 4), "snippet": self.snippet}


@dataclass
class SearchResponse:
    """Total, one page of hits, facets."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    did_you_mean: str | None = None
    degraded: str = ""  # why results may be missing or stale (issue 5); "" when healthy

    def as_json(self) -> dict[str, object]:
        """The CLI/API JSON contract: {total, hits, facets, did_you_mean}, plus
        `degraded` when it is."""
        out: dict[str, object] = {
            "total": self.total, "hits": [hit.as_json() for hit in self.hits],
            "facets": {name: [{"value": v.value, "count": v.count} for v in values]
                       for name, values in self.facets.items()},
            "did_you_mean": self.did_you_mean}
        if self.degraded:
            out["degraded"] = self.degraded
        return out


def search(db: Database, backend: SearchBackend, request: SearchRequest) -> SearchResponse:
    """Run a search: the backend ranks within clearance, the store supplies what is shown.

    When the backend is down the answer is empty and says it is degraded;
    when changes are waiting for a backend that failed, it says the index is behind.
    """
    try:
        result = backend.search(request)
    except SearchUnavailable as exc:
        return SearchResponse(0, [], {}, degraded=DOWN.format(reason=exc.message))
    ids = [hit.record_id for hit in result.hits]
    terms = parse(request.query).highlight_terms()
    with db.session() as session:
        rows = {r.id: r for r in session.scalars(select(Record).where(Record.id.in_(ids)))}
        hits = []
        for index_hit in result.hits:
            record = rows.get(index_hit.record_id)
            if record is None or not visible(record, request.clearance):
                continue  # defence in depth: the backend already filtered by clearance
            hits.append(_hit(record, index_hit.score, terms, index_hit.snippet))
        waiting = failing_changes(session)
    degraded = BEHIND.format(count=waiting) if waiting else ""
    return SearchResponse(result.total, hits, result.facets, result.did_you_mean,
                          degraded=degraded)


def _hit(record: Record, score: float, terms: list[str], highlighted: str = "") -> Hit:
    file = record.file
    return Hit(
        record_id=record.id,
        file=(file.original_path or file.original_name) if file else "",
        number=record.number,
        date=record.date,
        subject=record.subject,
        from_org=record.from_org,
        kind=record.kind,
        secrecy=str(getattr(record.secrecy, "value", record.secrecy)),
        urgency=record.urgency,
        status=str(getattr(record.status, "value", record.status)),
        score=score,
        snippet=highlighted or snippet(record.text or record.subject or "", terms),
    )
