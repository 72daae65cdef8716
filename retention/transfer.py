"""The 20-year transfer (ข้อ 58-59): records of historical value go to the National Archives.

Records of the permanent class whose date is 20 years back or more go on the
year's handover list (บัญชีส่งมอบหนังสือครบ ๒๐ ปี); secret records, held
records (still in use) and records on loan go on the keep-back list
(บัญชีหนังสือครบ ๒๐ ปีที่ขอเก็บเอง) with the reason; the officer may move a
row with a reason. Marking the list transferred stamps each handed-over record.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from retention.classify import ensure_clocks
from retention.holds import held_ids
from retention import interlocks
from schemas.enums import RecordStatus, Secrecy, TransferList
from schemas.errors import NotFound, SarabanError
from schemas.tables import Record, RecordRetention, TransferRow
from schemas.thai_dates import be_year
from store.audit import record_event
from store.records import visible

TRANSFER_YEARS = 20
SECRET_REASON = "หนังสือลับ ได้รับยกเว้นการส่งมอบ (secret: exempt)"
HELD_REASON = "ยังใช้ในการดำเนินงาน/ระงับการทำลาย (still in use, on hold)"
LOAN_REASON = "อยู่ระหว่างการยืม (on loan)"


def due_for_transfer(session: Session, year: int) -> list[Record]:
    """Permanent records reaching 20 years by `year` (BE), not transferred nor listed yet."""
    ensure_clocks(session)
    listed = set(session.scalars(select(TransferRow.record_id)))
    query = (select(Record).join(RecordRetention, RecordRetention.record_id == Record.id)
             .where(RecordRetention.permanent.is_(True), RecordRetention.transferred_on.is_(None),
                    Record.status != RecordStatus.destroyed, Record.date.is_not(None))
             .order_by(Record.date, Record.id))
    return [r for r in session.scalars(query)
            if r.date and be_year(r.date) + TRANSFER_YEARS <= year and r.id not in listed]


def build_lists(session: Session, year: int, *, actor: str) -> list[TransferRow]:
    """Add the records due in `year` to its handover or keep-back list; return new rows."""
    held, loaned = held_ids(session), interlocks.records_on_loan(session)
    seq = session.scalar(select(func.max(TransferRow.seq)).where(TransferRow.year == year)) or 0
    added = []
    for record in due_for_transfer(session, year):
        reason = ""
        if Secrecy(record.secrecy) != Secrecy.none:
            reason = SECRET_REASON
        elif record.id in held:
            reason = HELD_REASON
        elif record.id in loaned:
            reason = LOAN_REASON
        seq += 1
        row = TransferRow(year=year, seq=seq, record_id=record.id, reason=reason,
                          list=(TransferList.keep_back if reason else TransferList.handover).value)
        session.add(row)
        added.append(row)
    record_event(session, actor, "retention.transfer_list", None, year=year, added=len(added))
    session.flush()
    return added


def rows_for(session: Session, year: int, which: TransferList | None = None,
             clearance: Secrecy = Secrecy.top_secret) -> list[tuple[TransferRow, Record]]:
    """A year's list rows with their records, only those the reader may see."""
    query = (select(TransferRow, Record).join(Record, Record.id == TransferRow.record_id)
             .where(TransferRow.year == year).order_by(TransferRow.seq))
    if which is not None:
        query = query.where(TransferRow.list == TransferList(which).value)
    return [(row, r) for row, r in session.execute(query) if visible(r, clearance)]


def move(session: Session, row_id: int, to: TransferList, *, reason: str, actor: str,
         clearance: Secrecy) -> TransferRow:
    """Move a row to the other list (keeping back needs a reason; secret rows stay back).

    Raises:
        NotFound: no such row (or above the actor's clearance).
        SarabanError: no reason, a secret record to hand over, or already transferred.
    """
    row = session.get(TransferRow, row_id)
    record = session.get(Record, row.record_id) if row else None
    if row is None or record is None or not visible(record, clearance):
        raise NotFound("ไม่พบรายการนี้ (no such row)")
    if row.transferred_on:
        raise SarabanError("รายการนี้ส่งมอบแล้ว (already transferred)")
    if to == TransferList.keep_back and not reason.strip():
        raise SarabanError("การขอเก็บเองต้องระบุเหตุผล (keeping back needs a reason)")
    if to == TransferList.handover and Secrecy(record.secrecy) != Secrecy.none:
        raise SarabanError("หนังสือลับไม่ส่งมอบ (secret records are exempt)")
    row.list, row.reason = TransferList(to).value, reason.strip()
    record_event(session, actor, "retention.transfer_move", record.id, year=row.year,
                 to=row.list, reason=row.reason)
    return row


def mark_transferred(session: Session, year: int, *, on: dt.date, actor: str) -> list[int]:
    """Stamp the handover rows of `year` as transferred on `on`; return their record ids.

    A record on loan or newly held is not handed over (it stays on the list, unmarked).
    """
    if not rows_for(session, year):
        raise NotFound(f"ยังไม่มีบัญชีส่งมอบประจำปี {year} (no transfer list)")
    blocked = held_ids(session) | interlocks.records_on_loan(session)
    done = []
    for row, _record in rows_for(session, year, TransferList.handover):
        if row.transferred_on or row.record_id in blocked:
            continue
        row.transferred_on = on
        clock = session.get(RecordRetention, row.record_id)
        if clock is not None:
            clock.transferred_on = on
        record_event(session, actor, "retention.transferred", row.record_id, year=year,
                     on=on.isoformat())
        done.append(row.record_id)
    return done
