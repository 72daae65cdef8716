"""Retention pages: dashboard, schedule, a record's clock, legal holds, 20-year transfer.

Records officers (and admins) run these; the head and committee members see
the dashboard. Every list and count is within the signed-in user's clearance.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from retention import dashboard, forms, holds, schedule, transfer
from schemas.enums import ClockStart, Role, TransferList
from schemas.errors import PermissionDenied, SarabanError
from schemas.tables import CommitteeMember, RetentionReview, User
from store.records import get_record
from web.auth import ArchiveDep, CurrentUser, RendererDep, check_csrf

router = APIRouter(prefix="/retention")
OFFICER_ROLES = frozenset({Role.records_officer, Role.admin})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_officer(user: User) -> bool:
    """Records officers and admins run the retention work."""
    return Role(user.role) in OFFICER_ROLES


def sits_on_committee(archive: ArchiveDep, user: User) -> bool:
    """Whether the user is on the committee of a review still running."""
    with archive.db.session() as session:
        return session.scalar(
            select(CommitteeMember.id).join(RetentionReview,
                                            RetentionReview.id == CommitteeMember.review_id)
            .where(CommitteeMember.username == user.username,
                   RetentionReview.stage != "destroyed").limit(1)) is not None


def require_retention(user: CurrentUser, archive: ArchiveDep) -> User:
    """Officers, the head, admins and committee members; everyone else gets 403."""
    if is_officer(user) or Role(user.role) == Role.head or sits_on_committee(archive, user):
        return user
    raise PermissionDenied("หน้านี้สำหรับเจ้าหน้าที่เก็บรักษา หัวหน้าส่วนราชการ และคณะกรรมการ"
                           "ทำลายหนังสือ (retention staff only)")


def require_officer(user: CurrentUser) -> User:
    """Records officers and admins only."""
    if not is_officer(user):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่เก็บรักษาหนังสือ (records officers only)")
    return user


RetentionUser = Annotated[User, Depends(require_retention)]
Officer = Annotated[User, Depends(require_officer)]


def download(data: bytes, media_type: str, name: str) -> Response:
    """A generated form as an attachment (ASCII name; never cached)."""
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "private, no-store"})


@router.get("")
def dashboard_page(request: Request, user: RetentionUser, archive: ArchiveDep,
                   renderer: RendererDep) -> Response:
    """This year's review, its deadlines, and what needs a person."""
    with archive.db.session() as session:
        board = dashboard.build(session, user.clearance)
    return renderer.page(request, "retention.html", {
        "nav": "retention", "board": board, "officer": is_officer(user)})


@router.get("/schedule")
def schedule_page(request: Request, user: Officer, archive: ArchiveDep, renderer: RendererDep,
                  changed: str = "") -> Response:
    """The schedule: classes, periods, clock start, versions (admins edit)."""
    with archive.db.session() as session:
        classes = list(schedule.classes(session).values())
        versions = schedule.history(session)[:30]
    return renderer.page(request, "retention_schedule.html", {
        "nav": "retention", "classes": classes, "versions": versions, "changes": [],
        "can_edit": Role(user.role) == Role.admin, "clock_starts": list(ClockStart)})


@router.post("/schedule/{code}")
def schedule_update(request: Request, code: str, user: Officer, archive: ArchiveDep,
                    renderer: RendererDep, csrf: Annotated[str, Form()] = "",
                    years: Annotated[str, Form()] = "", clock_start: Annotated[str, Form()] = "",
                    reason: Annotated[str, Form()] = "") -> Response:
    """An admin changes a class; the page shows every clock that moved."""
    check_csrf(request, csrf)
    if Role(user.role) != Role.admin:
        raise PermissionDenied("เฉพาะผู้ดูแลระบบแก้ไขตารางการเก็บรักษาได้ (admins only)")
    with archive.db.session() as session:
        changes = schedule.update_class(
            session, code, actor=user.username, reason=reason,
            years=int(years) if years.strip().isdigit() else None,
            clock_start=ClockStart(clock_start) if clock_start else None)
        visible_changes = [c for c in changes
                           if _visible(session, c.record_id, user)]
        classes = list(schedule.classes(session).values())
        versions = schedule.history(session)[:30]
    return renderer.page(request, "retention_schedule.html", {
        "nav": "retention", "classes": classes, "versions": versions,
        "changes": [c.as_json() for c in visible_changes], "changed_code": code,
        "can_edit": True, "clock_starts": list(ClockStart)})


def _visible(session, record_id: int, user: User) -> bool:  # type: ignore[no-untyped-def]
    try:
        get_record(session, record_id, user.clearance)
    except SarabanError:
        return False
    return True


@router.get("/records/{record_id}")
def record_clock(request: Request, record_id: int, user: Officer, archive: ArchiveDep,
                 renderer: RendererDep) -> Response:
    """A record's class, keep-until and provenance, with the override form."""
    with archive.db.session() as session:
        record = get_record(session, record_id, user.clearance)
        from retention.classify import assign

        clock = schedule.clock_for(session, record_id) or assign(session, record)
        classes = list(schedule.classes(session).values())
    return renderer.page(request, "retention_record.html", {
        "nav": "retention", "record": record, "clock": clock, "classes": classes,
        "label": schedule.keep_label(clock.keep_until, clock.permanent), "change": None})


@router.post("/records/{record_id}")
def record_clock_set(request: Request, record_id: int, user: Officer, archive: ArchiveDep,
                     renderer: RendererDep, csrf: Annotated[str, Form()] = "",
                     code: Annotated[str, Form()] = "", until: Annotated[str, Form()] = "",
                     closed_on: Annotated[str, Form()] = "",
                     reason: Annotated[str, Form()] = "") -> Response:
    """A person sets the record's class (override); the page shows what changed."""
    check_csrf(request, csrf)
    with archive.db.session() as session:
        record = get_record(session, record_id, user.clearance)
        change = schedule.set_class(
            session, record_id, code, actor=user.username, reason=reason,
            fixed_until=int(until) if until.strip().isdigit() else None,
            closed_on=dt.date.fromisoformat(closed_on) if closed_on else None)
        clock = schedule.clock_for(session, record_id)
        classes = list(schedule.classes(session).values())
    return renderer.page(request, "retention_record.html", {
        "nav": "retention", "record": record, "clock": clock, "classes": classes,
        "label": schedule.keep_label(clock.keep_until, clock.permanent) if clock else "",
        "change": change.as_json() if change else {}})


@router.get("/holds")
def holds_page(request: Request, user: Officer, archive: ArchiveDep,
               renderer: RendererDep) -> Response:
    """Legal holds (within the officer's clearance) and the forms to place one."""
    with archive.db.session() as session:
        views = holds.holds_for(session, user.clearance)
    return renderer.page(request, "retention_holds.html", {"nav": "retention", "holds": views})


@router.post("/holds")
def holds_add(request: Request, user: Officer, archive: ArchiveDep,
              csrf: Annotated[str, Form()] = "", scope: Annotated[str, Form()] = "record",
              record_id: Annotated[str, Form()] = "", query: Annotated[str, Form()] = "",
              id_from: Annotated[str, Form()] = "", id_to: Annotated[str, Form()] = "",
              date_from: Annotated[str, Form()] = "", date_to: Annotated[str, Form()] = "",
              reason: Annotated[str, Form()] = "",
              reference: Annotated[str, Form()] = "") -> Response:
    """Place a hold on one record, a search result, or a register range."""
    check_csrf(request, csrf)
    with archive.db.session() as session:
        if scope == "search":
            holds.hold_search(session, archive.backend, query[:500], reason=reason,
                              actor=user.username, clearance=user.clearance, reference=reference)
        elif scope == "range":
            holds.hold_range(
                session, reason=reason, actor=user.username, clearance=user.clearance,
                reference=reference, id_from=_int(id_from), id_to=_int(id_to),
                date_from=dt.date.fromisoformat(date_from) if date_from else None,
                date_to=dt.date.fromisoformat(date_to) if date_to else None)
        else:
            holds.hold_record(session, _int(record_id) or 0, reason=reason, actor=user.username,
                              reference=reference, clearance=user.clearance)
    return RedirectResponse("/retention/holds", status_code=303)


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


@router.post("/holds/release")
def holds_release(request: Request, user: Officer, archive: ArchiveDep,
                  csrf: Annotated[str, Form()] = "", record_id: Annotated[str, Form()] = "",
                  reason: Annotated[str, Form()] = "") -> Response:
    """Release a record's holds (a reason is required; audited)."""
    check_csrf(request, csrf)
    with archive.db.session() as session:
        holds.release_record(session, _int(record_id) or 0, reason=reason, actor=user.username,
                             clearance=user.clearance)
    return RedirectResponse("/retention/holds", status_code=303)


@router.get("/transfer/{year}")
def transfer_page(request: Request, year: int, user: Officer, archive: ArchiveDep,
                  renderer: RendererDep) -> Response:
    """The 20-year handover and keep-back lists of `year` (BE)."""
    with archive.db.session() as session:
        lists = {which.value: transfer.rows_for(session, year, which, user.clearance)
                 for which in TransferList}
        due = [r for r in transfer.due_for_transfer(session, year)
               if _visible(session, r.id, user)]
    return renderer.page(request, "retention_transfer.html", {
        "nav": "retention", "year": year, "lists": lists, "due": len(due)})


@router.post("/transfer/{year}")
def transfer_act(request: Request, year: int, user: Officer, archive: ArchiveDep,
                 csrf: Annotated[str, Form()] = "", action: Annotated[str, Form()] = "",
                 row_id: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
                 on: Annotated[str, Form()] = "") -> Response:
    """Build the lists, move a row, or mark the handover list transferred."""
    check_csrf(request, csrf)
    with archive.db.session() as session:
        if action == "build":
            transfer.build_lists(session, year, actor=user.username)
        elif action in ("keep_back", "handover"):
            transfer.move(session, _int(row_id) or 0, TransferList(action), reason=reason,
                          actor=user.username, clearance=user.clearance)
        elif action == "mark":
            transfer.mark_transferred(session, year, on=dt.date.fromisoformat(on),
                                      actor=user.username)
    return RedirectResponse(f"/retention/transfer/{year}", status_code=303)


@router.get("/transfer/{year}/{which}.{fmt}")
def transfer_download(year: int, which: str, fmt: str, user: Officer,
                      archive: ArchiveDep) -> Response:
    """A 20-year list as PDF or both as XLSX, within the officer's clearance."""
    agency = archive.settings.office_name
    digits = archive.settings.thai_digits
    with archive.db.session() as session:
        built = {w: forms.transfer_form(session, year, w, user.clearance, agency)
                 for w in TransferList}
    if fmt == "xlsx":
        return download(forms.forms_xlsx(list(built.values()), digits), XLSX,
                        f"transfer-{year}.xlsx")
    if fmt != "pdf" or which not in TransferList.__members__:
        raise SarabanError("ไม่รู้จักแบบฟอร์มนี้ (unknown form)")
    return download(forms.form_pdf(built[TransferList(which)], digits), "application/pdf",
                    f"transfer-{year}-{which}.pdf")
