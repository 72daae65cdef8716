"""Loans of paper files and records: request → approval → hand-out → return.

Every step is one audited change in the caller's transaction. Dates come
from `schemas.clock.today()` so tests and demos can simulate weeks. One
borrower at a time is a database rule: the partial unique indexes on open
loans and the unique `loan_claims` columns make the second of two
simultaneous requests fail, whatever Python checked first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from retention.holdings import Item, file_item, record_item, records_in_file, resolve_item
from retention.lending_rules import check_approver, check_borrower
from schemas.clock import today
from schemas.enums import OPEN_LOAN_STATUSES, LoanKind, LoanStatus
from schemas.errors import LoanConflict, LoanStateError, NotFound, RecordsOnLoan, SarabanError
from schemas.tables import Holding, Loan, LoanClaim, User
from schemas.thai_dates import format_thai_date
from store.audit import record_event
from store.users import find_user


def item_of(session: Session, loan: Loan) -> Item:
    """The file or record a loan is for."""
    if loan.file_id is not None:
        return file_item(session, loan.file_id)
    assert loan.record_id is not None, "a loan names a file or a record"
    return record_item(session, loan.record_id)


def open_loan(session: Session, item: Item) -> Loan | None:
    """The item's open loan (requested, approved or out), if any."""
    column = Loan.file_id if item.kind == "file" else Loan.record_id
    query = select(Loan).where(column == item.id, Loan.status.in_(OPEN_LOAN_STATUSES))
    return session.scalar(query)


def request_loan(session: Session, item: Item | str, *, borrower: str | None = None,
                 outsider_name: str = "", outsider_org: str = "",
                 kind: LoanKind = LoanKind.borrow, due: dt.date, purpose: str = "",
                 actor: str) -> Loan:
    """Open a loan request for a user (or an outsider: view or copy only).

    Raises:
        LoanConflict: the item (or its file, or a record in it) has an open loan.
        PermissionDenied: the borrower is not allowed this item (secrecy, outsider).
        SarabanError: a due date in the past or no borrower named.
    """
    item = resolve_item(session, item) if isinstance(item, str) else item
    person = _user(session, borrower) if borrower else None
    if person is None and not outsider_name.strip():
        raise SarabanError("ต้องระบุผู้ยืม (name the borrower)")
    check_borrower(item, person, LoanKind(kind))
    if due < today():
        raise SarabanError("กำหนดส่งคืนต้องไม่ก่อนวันนี้ (the due date is in the past)")
    _refuse_if_held(session, item)
    loan = Loan(file_id=item.file_id, record_id=item.record_id, kind=LoanKind(kind),
                status=LoanStatus.requested, borrower_id=person.id if person else None,
                outsider_name=outsider_name.strip(), outsider_org=outsider_org.strip(),
                purpose=purpose.strip(), due=due, requested_by=actor, requested_on=today())
    session.add(loan)
    _flush_or_conflict(session, item)
    for claim in _claims(session, item, loan.id):
        session.add(claim)
    _flush_or_conflict(session, item)
    _audit(session, actor, "loan.request", loan, item, borrower=borrower or outsider_name,
           kind=LoanKind(kind).value, due=due.isoformat())
    return loan


def approve_loan(session: Session, loan_id: int, *, approver: str, actor: str,
                 note: str = "") -> Loan:
    """Record the approval of a requested loan by someone the rules allow."""
    loan = _loan_in(session, loan_id, LoanStatus.requested)
    item = item_of(session, loan)
    person = _user(session, approver)
    check_approver(session, item, person)
    borrower = session.get(User, loan.borrower_id) if loan.borrower_id else None
    check_borrower(item, borrower, LoanKind(loan.kind))  # clearance may have changed since
    loan.status, loan.approved_by, loan.approved_on = LoanStatus.approved, person.username, today()
    loan.decision_note = note.strip()
    _audit(session, actor, "loan.approve", loan, item, approver=person.username)
    return loan


def refuse_loan(session: Session, loan_id: int, *, approver: str, actor: str,
                note: str = "") -> Loan:
    """Refuse a requested loan (the approver gives a reason); the item is free again."""
    loan = _loan_in(session, loan_id, LoanStatus.requested)
    item = item_of(session, loan)
    check_approver(session, item, _user(session, approver))
    loan.status, loan.approved_by, loan.approved_on = LoanStatus.refused, approver, today()
    loan.decision_note = note.strip()
    _release(session, loan)
    _audit(session, actor, "loan.refuse", loan, item, approver=approver, note=note)
    return loan


def cancel_loan(session: Session, loan_id: int, *, actor: str) -> Loan:
    """Withdraw a request or an approved loan that was never handed out."""
    loan = _loan_in(session, loan_id, LoanStatus.requested, LoanStatus.approved)
    loan.status = LoanStatus.cancelled
    _release(session, loan)
    _audit(session, actor, "loan.cancel", loan, item_of(session, loan))
    return loan


def hand_out(session: Session, loan_id: int, *, handed_by: str) -> Loan:
    """The desk hands the approved item over (ผู้รับ, วันยืม on the card)."""
    loan = _loan_in(session, loan_id, LoanStatus.approved)
    loan.status, loan.handed_by, loan.lent_on = LoanStatus.out, handed_by, today()
    _audit(session, handed_by, "loan.hand_out", loan, item_of(session, loan))
    return loan


def return_loan(session: Session, loan_id: int, *, returned_by: str, received_by: str,
                condition: str = "") -> Loan:
    """The item comes back (ผู้ส่งคืน, วันส่งคืน) with a note on its condition."""
    loan = _loan_in(session, loan_id, LoanStatus.out)
    loan.status, loan.returned_on = LoanStatus.returned, today()
    loan.returned_by, loan.received_by = returned_by.strip(), received_by
    loan.condition = condition.strip()
    _release(session, loan)
    _audit(session, received_by, "loan.return", loan, item_of(session, loan),
           returned_by=loan.returned_by, condition=loan.condition,
           days_overdue=days_overdue(loan))
    return loan


def lend(session: Session, item_id: str, *, to: str, due: dt.date, approved_by: str | None,
         actor: str, purpose: str = "") -> Loan:
    """The desk's one step (`saraban lend`): request, and with an approver approve and hand out.

    A request already open for the same borrower is carried on rather than
    refused, so ``lend`` without ``--approved-by`` and then with it completes
    one loan.
    """
    item = resolve_item(session, item_id)
    loan = open_loan(session, item)
    borrower = _user(session, to)
    if loan is None:
        loan = request_loan(session, item, borrower=to, due=due, purpose=purpose, actor=actor)
    elif loan.borrower_id != borrower.id or LoanStatus(loan.status) == LoanStatus.out:
        raise _conflict(session, item, loan)
    if approved_by is None:
        return loan
    if LoanStatus(loan.status) == LoanStatus.requested:
        approve_loan(session, loan.id, approver=approved_by, actor=actor)
    return hand_out(session, loan.id, handed_by=actor)


def return_item(session: Session, item_id: str, *, returned_by: str | None,
                received_by: str, condition: str = "") -> Loan:
    """Take an item back by its ITEM_ID (`saraban return`); the borrower returns by default."""
    item = resolve_item(session, item_id)
    loan = open_loan(session, item)
    if loan is None or LoanStatus(loan.status) != LoanStatus.out:
        raise LoanStateError(f"{item.item_id} ไม่ได้ถูกยืมออกไป (this item is not out on loan)")
    return return_loan(session, loan.id, returned_by=returned_by or borrower_name(session, loan),
                       received_by=received_by, condition=condition)


def days_overdue(loan: Loan, on: dt.date | None = None) -> int:
    """Days past due: until today for an item still out, until its return otherwise."""
    if LoanStatus(loan.status) == LoanStatus.returned and loan.returned_on is not None:
        end = loan.returned_on
    elif LoanStatus(loan.status) == LoanStatus.out:
        end = on or today()
    else:
        return 0
    return max(0, (end - loan.due).days)


def borrower_name(session: Session, loan: Loan) -> str:
    """The borrower's username, or the outsider's name."""
    if loan.borrower_id is not None:
        user = session.get(User, loan.borrower_id)
        return user.username if user else str(loan.borrower_id)
    return loan.outsider_name


def records_on_loan(session: Session) -> set[int]:
    """Ids of records with an open loan, lent alone or inside a lent file.

    Open means requested, approved or out: a record promised to a borrower is
    as unavailable to destruction or transfer as one already out. Records put
    into a file after it went out count too.
    """
    direct = select(LoanClaim.record_id).where(LoanClaim.record_id.is_not(None))
    via_file = (select(Holding.record_id)
                .join(LoanClaim, LoanClaim.file_id == Holding.file_id))
    return {int(rid) for rid in session.scalars(direct)} | set(session.scalars(via_file))


def assert_not_on_loan(session: Session, record_ids: Iterable[int]) -> None:
    """Refuse to go on with records that are on loan (destruction, transfer).

    Raises:
        RecordsOnLoan: naming the records that must come back first.
    """
    held = set(record_ids) & records_on_loan(session)
    if held:
        listed = ", ".join(str(rid) for rid in sorted(held))
        raise RecordsOnLoan(f"เอกสารหมายเลข {listed} ถูกยืมอยู่ ต้องรอส่งคืนก่อนจึงทำลายหรือส่งมอบได้ "
                            "(records on loan: wait for their return)", held)


# ---------- the steps' shared pieces ----------

def _user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"ไม่พบผู้ใช้ {username} (user not found)")
    return user


def _loan_in(session: Session, loan_id: int, *allowed: LoanStatus) -> Loan:
    loan = session.get(Loan, loan_id)
    if loan is None:
        raise NotFound(f"ไม่พบรายการยืมหมายเลข {loan_id} (loan not found)")
    if LoanStatus(loan.status) not in allowed:
        raise LoanStateError(f"รายการยืมนี้อยู่ในสถานะ {LoanStatus(loan.status).value} "
                             "ทำขั้นตอนนี้ไม่ได้ (this step does not apply now)")
    return loan


def _claims(session: Session, item: Item, loan_id: int) -> list[LoanClaim]:
    if item.kind == "record":
        return [LoanClaim(loan_id=loan_id, record_id=item.id)]
    records = records_in_file(session, item.id)
    return [LoanClaim(loan_id=loan_id, file_id=item.id),
            *(LoanClaim(loan_id=loan_id, record_id=record.id) for record in records)]


def _holder(session: Session, item: Item) -> Loan | None:
    """The open loan holding this item or anything it contains or sits in."""
    conditions = [LoanClaim.record_id.in_(item.record_ids)] if item.record_ids else []
    if item.kind == "file":
        conditions.append(LoanClaim.file_id == item.id)
    else:
        holding = session.get(Holding, item.id)
        if holding is not None and holding.file_id is not None:
            conditions.append(LoanClaim.file_id == holding.file_id)
    for condition in conditions:
        claim = session.scalar(select(LoanClaim).where(condition).limit(1))
        if claim is not None:
            return session.get(Loan, claim.loan_id)
    return None


def _refuse_if_held(session: Session, item: Item) -> None:
    holder = _holder(session, item)
    if holder is not None:
        raise _conflict(session, item, holder)


def _conflict(session: Session, item: Item, holder: Loan) -> LoanConflict:
    return LoanConflict(
        f"{item.item_id} มีผู้ยืมหรือขอยืมอยู่แล้ว ({borrower_name(session, holder)} "
        f"กำหนดส่งคืน {format_thai_date(holder.due)}) ยืมได้ครั้งละหนึ่งคน "
        "(already on loan or requested: one borrower at a time)")


def _flush_or_conflict(session: Session, item: Item) -> None:
    # The database has the last word when two requests race past the check above.
    try:
        session.flush()
    except IntegrityError as exc:
        raise LoanConflict(f"{item.item_id} มีผู้ยืมหรือขอยืมอยู่แล้ว ยืมได้ครั้งละหนึ่งคน "
                           "(already on loan or requested: one borrower at a time)",
                           detail=str(exc.orig)) from None


def _release(session: Session, loan: Loan) -> None:
    session.execute(delete(LoanClaim).where(LoanClaim.loan_id == loan.id))


def _audit(session: Session, actor: str, action: str, loan: Loan, item: Item,
           **detail: object) -> None:
    """One event per record the item holds, so each record's trail shows it left."""
    base = {"loan_id": loan.id, "item_id": item.item_id, "status": LoanStatus(loan.status).value,
            **detail}
    for record_id in item.record_ids or (None,):
        record_event(session, actor, action, record_id, **base)
