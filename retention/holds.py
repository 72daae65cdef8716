"""Legal holds: records under investigation, litigation or audit are never destroyed.

A hold covers one record, every record of a search, or a range of the
register (record numbers and/or dates). Placing and releasing are audited on
each record; a released hold stays in the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from index.backend import SearchBackend, SearchRequest
from schemas.enums import RecordStatus, Secrecy
from schemas.errors import NotFound, SarabanError
from schemas.tables import LegalHold, LegalHoldRecord, Record, utcnow
from store.audit import record_event
from store.records import visible

SEARCH_PAGE = 1000
MAX_HOLD = 50_000


@dataclass(frozen=True)
class HoldView:
    """A hold as one reader may see it: only the records within their clearance count."""

    id: int
    reason: str
    reference: str
    scope: str
    placed_by: str
    placed_at: dt.datetime
    record_ids: list[int]
    active: int  # records still held (of those visible)


def _need_reason(reason: str) -> str:
    if not reason.strip():
        raise SarabanError("กรุณาระบุเหตุผลของการระงับ/ยกเลิกการระงับ (a reason is required)")
    return reason.strip()


def place_hold(session: Session, record_ids: list[int], *, reason: str, actor: str,
               reference: str = "", scope: str = "record",
               detail: dict[str, object] | None = None) -> LegalHold:
    """Hold `record_ids` (destroyed records are skipped). Audited on every record.

    Raises:
        SarabanError: no reason, or nothing to hold.
    """
    reason = _need_reason(reason)
    ids = sorted(set(record_ids))
    live = set(session.scalars(select(Record.id).where(
        Record.id.in_(ids), Record.status != RecordStatus.destroyed))) if ids else set()
    if not live:
        raise SarabanError("ไม่มีเอกสารที่จะระงับการทำลาย (no records to hold)")
    hold = LegalHold(reason=reason, reference=reference.strip(), scope=scope,
                     scope_detail=detail or {}, placed_by=actor)
    session.add(hold)
    session.flush()
    for record_id in sorted(live):
        session.add(LegalHoldRecord(hold_id=hold.id, record_id=record_id))
        record_event(session, actor, "retention.hold", record_id, hold_id=hold.id,
                     reason=reason, reference=hold.reference)
    session.flush()
    return hold


def hold_record(session: Session, record_id: int, *, reason: str, actor: str,
                reference: str = "", clearance: Secrecy = Secrecy.top_secret) -> LegalHold:
    """Hold one record the actor may see.

    Raises:
        NotFound: no such record, or above the actor's clearance (same message).
    """
    record = session.get(Record, record_id)
    if record is None or not visible(record, clearance):
        raise NotFound(f"ไม่พบเอกสารหมายเลข {record_id} (record not found)")
    return place_hold(session, [record_id], reason=reason, actor=actor, reference=reference)


def search_ids(backend: SearchBackend, query: str, filters: dict[str, list[str]],
               clearance: Secrecy) -> list[int]:
    """Every record id a search finds within `clearance` (all pages)."""
    ids: list[int] = []
    while len(ids) < MAX_HOLD:
        result = backend.search(SearchRequest(query=query, filters=filters, clearance=clearance,
                                              limit=SEARCH_PAGE, offset=len(ids)))
        ids += [hit.record_id for hit in result.hits]
        if not result.hits or len(ids) >= result.total:
            break
    return ids


def hold_search(session: Session, backend: SearchBackend, query: str, *, reason: str,
                actor: str, clearance: Secrecy, reference: str = "",
                filters: dict[str, list[str]] | None = None) -> LegalHold:
    """Hold every record a search finds for the actor (within their clearance)."""
    ids = search_ids(backend, query, filters or {}, clearance)
    return place_hold(session, ids, reason=reason, actor=actor, reference=reference,
                      scope="search", detail={"query": query, "filters": filters or {}})


def hold_range(session: Session, *, reason: str, actor: str, clearance: Secrecy,
               reference: str = "", id_from: int | None = None, id_to: int | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None) -> LegalHold:
    """Hold a range of the register: record numbers (เลขทะเบียน) and/or letter dates.

    Raises:
        SarabanError: no bound given.
    """
    if id_from is None and id_to is None and date_from is None and date_to is None:
        raise SarabanError("กรุณาระบุช่วงเลขทะเบียนหรือช่วงวันที่ (give a range)")
    query = select(Record)
    if id_from is not None:
        query = query.where(Record.id >= id_from)
    if id_to is not None:
        query = query.where(Record.id <= id_to)
    if date_from is not None:
        query = query.where(Record.date >= date_from)
    if date_to is not None:
        query = query.where(Record.date <= date_to)
    ids = [r.id for r in session.scalars(query) if visible(r, clearance)]
    detail = {"id_from": id_from, "id_to": id_to,
              "date_from": date_from.isoformat() if date_from else None,
              "date_to": date_to.isoformat() if date_to else None}
    return place_hold(session, ids, reason=reason, actor=actor, reference=reference,
                      scope="range", detail=detail)


def release_record(session: Session, record_id: int, *, reason: str, actor: str,
                   clearance: Secrecy = Secrecy.top_secret) -> int:
    """Release every active hold on one record; return how many holds were released.

    Raises:
        NotFound: the record is not held (or not visible to the actor).
    """
    reason = _need_reason(reason)
    record = session.get(Record, record_id)
    links = list(session.scalars(select(LegalHoldRecord).where(
        LegalHoldRecord.record_id == record_id, LegalHoldRecord.released_at.is_(None))))
    if record is None or not visible(record, clearance) or not links:
        raise NotFound(f"เอกสารหมายเลข {record_id} ไม่ได้อยู่ระหว่างระงับการทำลาย (not on hold)")
    for link in links:
        _release(session, link, reason, actor)
    return len(links)


def release_hold(session: Session, hold_id: int, *, reason: str, actor: str) -> int:
    """Release a whole hold; return how many records it still held."""
    reason = _need_reason(reason)
    if session.get(LegalHold, hold_id) is None:
        raise NotFound(f"ไม่พบการระงับหมายเลข {hold_id} (no such hold)")
    links = list(session.scalars(select(LegalHoldRecord).where(
        LegalHoldRecord.hold_id == hold_id, LegalHoldRecord.released_at.is_(None))))
    for link in links:
        _release(session, link, reason, actor)
    return len(links)


def _release(session: Session, link: LegalHoldRecord, reason: str, actor: str) -> None:
    link.released_at, link.released_by, link.release_reason = utcnow(), actor, reason
    record_event(session, actor, "retention.hold_release", link.record_id,
                 hold_id=link.hold_id, reason=reason)


def held_ids(session: Session) -> set[int]:
    """Ids of every record under at least one active hold."""
    return set(session.scalars(select(LegalHoldRecord.record_id).where(
        LegalHoldRecord.released_at.is_(None))))


def holds_for(session: Session, clearance: Secrecy) -> list[HoldView]:
    """Holds with the records the reader may see; a hold covering none of them is left out."""
    views = []
    for hold in session.scalars(select(LegalHold).order_by(LegalHold.id.desc())):
        rows = session.execute(
            select(Record, LegalHoldRecord).join(LegalHoldRecord,
                                                 LegalHoldRecord.record_id == Record.id)
            .where(LegalHoldRecord.hold_id == hold.id)).all()
        shown = [(r, link) for r, link in rows if visible(r, clearance)]
        if not shown:
            continue
        views.append(HoldView(hold.id, hold.reason, hold.reference, hold.scope, hold.placed_by,
                              hold.placed_at, [r.id for r, _ in shown],
                              sum(1 for _, link in shown if link.released_at is None)))
    return views
