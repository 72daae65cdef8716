"""The lending desk in the browser: dashboard with scan box, the item screen, my loans.

The scan box is a plain GET form: a USB scanner types the label's code and
Enter, the browser opens `/lending/item?id=CODE`. Every change is a POST with
the session's CSRF token; rule breaks come back as a notice on the item
screen (flash in the session), not as an error page.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from retention.desk import dashboard, loan_lines, person_name, reminders_for
from retention.holdings import Item, records_in_file, resolve_item
from retention.lending_rules import can_run_desk, cleared, eligible_approvers
from retention.loans import (
    approve_loan,
    cancel_loan,
    hand_out,
    item_of,
    open_loan,
    refuse_loan,
    request_loan,
    return_loan,
)
from schemas.clock import today
from schemas.enums import OPEN_LOAN_STATUSES, LoanKind, LoanStatus, Secrecy
from schemas.errors import NotFound, PermissionDenied, SarabanError
from schemas.tables import Loan, User
from web.auth import ArchiveDep, CurrentUser, RendererDep, check_csrf
from web.lending_chart import desk_chart

router = APIRouter()
DEFAULT_DAYS = 7
STATUS_THAI = {"requested": "รออนุมัติ", "approved": "อนุมัติแล้ว รอส่งมอบ", "out": "ยืมอยู่",
               "returned": "ส่งคืนแล้ว", "refused": "ไม่อนุมัติ", "cancelled": "ยกเลิก"}
KIND_THAI = {"borrow": "ยืมออกไป", "view": "ขอดูในสำนักงาน", "copy": "ขอคัดสำเนาในสำนักงาน"}


def require_desk(user: CurrentUser) -> User:
    """The current user if they work the lending desk.

    Raises:
        PermissionDenied: other roles use "my loans" instead.
    """
    if not can_run_desk(user):
        raise PermissionDenied("หน้านี้สำหรับเจ้าหน้าที่ยืม-คืนหนังสือ "
                               "(the lending desk is for records officers)")
    return user


DeskUser = Annotated[User, Depends(require_desk)]


def parse_due(text: str) -> dt.date:
    """A due date typed as ``วว/ดด/ปปปป`` (BE or CE year) or ISO ``YYYY-MM-DD``."""
    text = text.strip()
    found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            return dt.date(year - 543 if year > 2400 else year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise SarabanError("วันที่กำหนดส่งคืนไม่ถูกต้อง พิมพ์เป็น วว/ดด/ปปปป เช่น 17/03/2568 "
                       "(due date: day/month/BE year)")


def be_input(value: dt.date) -> str:
    """A date as the due-date box shows it: ``17/03/2568``."""
    return f"{value.day:02d}/{value.month:02d}/{value.year + 543}"


def item_url(item_id: str) -> str:
    """The item screen of an ITEM_ID."""
    return "/lending/item?id=" + quote(item_id, safe="")


def _flash(request: Request, kind: str, text: str) -> None:
    request.session["flash"] = {"kind": kind, "text": text}


def visible_item(session: Session, item_id: str, user: User) -> Item:
    item = resolve_item(session, item_id)
    if not cleared(user, item.secrecy):  # same answer as a code that does not exist
        raise NotFound(f"ไม่พบแฟ้มหรือเอกสาร {item_id} (no such file code or record:N)")
    return item


@router.get("/lending")
def desk_page(request: Request, user: DeskUser, archive: ArchiveDep,
              renderer: RendererDep) -> Response:
    """Dashboard: the scan box, on loan, due this week, overdue by days, per borrower."""
    with archive.db.session() as session:
        board = dashboard(session, Secrecy(user.clearance))
    context = {"nav": "lending", "board": board, "chart": desk_chart(board),
               "status_thai": STATUS_THAI, "flash": request.session.pop("flash", None)}
    return renderer.page(request, "lending_desk.html", context)


@router.get("/lending/item")
def item_page(request: Request, user: DeskUser, archive: ArchiveDep, renderer: RendererDep,
              id: str = "") -> Response:
    """One file or record: where it is, its open loan and the step to take next, its card."""
    if not id.strip():
        return RedirectResponse("/lending", status_code=303)
    with archive.db.session() as session:
        item = visible_item(session, id, user)
        context = _item_context(session, item, user)
    flash = request.session.pop("flash", None)
    context.update(nav="lending", flash=flash, status_thai=STATUS_THAI, kind_thai=KIND_THAI,
                   ready_for_next_scan=bool(flash and flash.get("kind") == "ok"))
    return renderer.page(request, "lending_item.html", context)


def _item_context(session: Session, item: Item, user: User) -> dict[str, Any]:
    loan = open_loan(session, item)
    column = Loan.file_id if item.kind == "file" else Loan.record_id
    history = [line for line in loan_lines(session, clearance=Secrecy.top_secret,
                                           statuses=tuple(LoanStatus))
               if getattr(line.loan, column.key) == item.id]
    history.sort(key=lambda line: line.loan.id, reverse=True)
    current = next((line for line in history if line.loan.id == (loan.id if loan else None)),
                   None)
    approvers = eligible_approvers(session, item)
    people = session.scalars(select(User).where(User.active.is_(True))
                             .order_by(User.display_name)).all()
    return {
        "item": item, "current": current, "history": history,
        "approvers": approvers, "may_approve": any(p.id == user.id for p in approvers),
        "borrowers": [person for person in people if cleared(person, item.secrecy)],
        "default_due": be_input(today() + dt.timedelta(days=DEFAULT_DAYS)),
        "today": today(), "secret": item.secrecy != Secrecy.none,
        "approver_name": person_name(session, loan.approved_by) if loan else "",
        "records": records_in_file(session, item.id) if item.kind == "file" else [],
    }


@router.post("/lending/lend")
def lend_action(request: Request, user: DeskUser, archive: ArchiveDep,
                csrf: Annotated[str, Form()] = "", id: Annotated[str, Form()] = "",
                borrower: Annotated[str, Form()] = "", outsider_name: Annotated[str, Form()] = "",
                outsider_org: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "borrow",
                due: Annotated[str, Form()] = "", purpose: Annotated[str, Form()] = "",
                approver: Annotated[str, Form()] = "") -> Response:
    """Record a request; with an approver who signed on paper, approve and hand out at once."""
    check_csrf(request, csrf)
    try:
        with archive.db.session() as session:
            item = visible_item(session, id, user)
            loan = request_loan(session, item, borrower=borrower or None,
                                outsider_name=outsider_name, outsider_org=outsider_org,
                                kind=LoanKind(kind) if kind in LoanKind.__members__ else
                                LoanKind.borrow, due=parse_due(due), purpose=purpose,
                                actor=user.username)
            if approver:
                approve_loan(session, loan.id, approver=approver, actor=user.username)
                hand_out(session, loan.id, handed_by=user.username)
        _flash(request, "ok", "ส่งมอบแล้ว บันทึกลงบัตรยืมเรียบร้อย" if approver
               else "บันทึกคำขอยืมแล้ว รอหัวหน้าอนุมัติ")
    except SarabanError as exc:
        _flash(request, "error", exc.message)
    return RedirectResponse(item_url(id), status_code=303)


@router.post("/lending/loans/{loan_id}/{step}")
def loan_step(request: Request, loan_id: int, step: str, user: CurrentUser,
              archive: ArchiveDep, csrf: Annotated[str, Form()] = "",
              note: Annotated[str, Form()] = "", returned_by: Annotated[str, Form()] = "",
              back: Annotated[str, Form()] = "") -> Response:
    """approve / refuse (the approver), hand-out / return / cancel (the desk)."""
    check_csrf(request, csrf)
    item_id = ""
    try:
        with archive.db.session() as session:
            loan = session.get(Loan, loan_id)
            if loan is None:
                raise NotFound("ไม่พบรายการยืม (loan not found)")
            item = item_of(session, loan)
            if not cleared(user, item.secrecy):
                raise NotFound("ไม่พบรายการยืม (loan not found)")
            item_id = item.item_id
            _apply_step(session, loan, step, user, note, returned_by)
        _flash(request, "ok", STEP_DONE[step])
    except SarabanError as exc:
        _flash(request, "error", exc.message)
    if back == "mine" or not can_run_desk(user):
        return RedirectResponse("/lending/mine", status_code=303)
    return RedirectResponse(item_url(item_id) if item_id else "/lending", status_code=303)


STEP_DONE = {"approve": "อนุมัติแล้ว", "refuse": "ไม่อนุมัติคำขอนี้แล้ว",
             "hand-out": "ส่งมอบแล้ว บันทึกลงบัตรยืมเรียบร้อย", "return": "รับคืนแล้ว",
             "cancel": "ยกเลิกรายการแล้ว"}


def _apply_step(session: Session, loan: Loan, step: str, user: User, note: str,
                returned_by: str) -> None:
    if step == "approve":
        approve_loan(session, loan.id, approver=user.username, actor=user.username, note=note)
    elif step == "refuse":
        refuse_loan(session, loan.id, approver=user.username, actor=user.username, note=note)
    elif step in ("hand-out", "return", "cancel"):
        if not can_run_desk(user):
            raise PermissionDenied("ขั้นตอนนี้ทำที่โต๊ะยืม-คืนเท่านั้น (desk staff only)")
        if step == "hand-out":
            hand_out(session, loan.id, handed_by=user.username)
        elif step == "return":
            borrower = session.get(User, loan.borrower_id) if loan.borrower_id else None
            fallback = borrower.username if borrower else loan.outsider_name
            return_loan(session, loan.id, returned_by=returned_by.strip() or fallback,
                        received_by=user.username, condition=note)
        else:
            cancel_loan(session, loan.id, actor=user.username)
    else:
        raise NotFound("ไม่มีขั้นตอนนี้ (unknown step)")


@router.get("/lending/mine")
def my_loans(request: Request, user: CurrentUser, archive: ArchiveDep,
             renderer: RendererDep) -> Response:
    """What I have borrowed (late ones first) and the requests waiting for my approval."""
    with archive.db.session() as session:
        mine = loan_lines(session, clearance=Secrecy(user.clearance),
                          statuses=OPEN_LOAN_STATUSES, borrower_id=user.id)
        waiting = [line for line in loan_lines(session, clearance=Secrecy(user.clearance),
                                               statuses=(LoanStatus.requested,))
                   if any(p.id == user.id for p in eligible_approvers(session, line.item))]
        late = reminders_for(session, user)
    request.session["reminders"] = len(late)
    mine.sort(key=lambda line: (-line.days_overdue, line.loan.due))
    context = {"nav": "mine", "mine": mine, "waiting": waiting, "late": late,
               "today": today(), "status_thai": STATUS_THAI, "kind_thai": KIND_THAI,
               "flash": request.session.pop("flash", None)}
    return renderer.page(request, "lending_mine.html", context)


def reminder_count(session: Session, user: User) -> int:
    """How many of the user's loans are late or nearly due (the sign-in reminder)."""
    return len(reminders_for(session, user))

