"""The yearly destruction review in the browser, one step per role.

The records officer draws up the list, appoints the committee, records the
submission and the Archives' answer and carries out the destruction; committee
members decide rows and report; the head approves. Each sees the list (rows
within their clearance) and only the form of their own step.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ingest.archive import Archive
from retention import destruction, forms, review, survey
from retention.review import ELIGIBLE_LEVELS, STAGE_THAI
from schemas.clock import today
from schemas.enums import Decision, Role
from schemas.errors import PermissionDenied, SarabanError
from schemas.tables import RetentionReview, User
from schemas.thai_dates import be_year
from web.auth import ArchiveDep, RendererDep, check_csrf
from web.pages_retention import XLSX, RetentionUser, download, is_officer

router = APIRouter(prefix="/retention/reviews")
FORMS = {"list": forms.destruction_list, "committee": forms.committee_report,
         "report": forms.destruction_report}


def steps_for(user: User, is_member: bool) -> set[str]:
    """The steps this user may act on."""
    steps = set()
    if is_officer(user):
        steps |= {"survey", "appoint", "send", "answer", "destroy"}
    if Role(user.role) == Role.head:
        steps |= {"approve"}
    if is_member:
        steps |= {"decide"}
    return steps


@router.post("")
def open_review(request: Request, user: RetentionUser, archive: ArchiveDep,
                csrf: Annotated[str, Form()] = "", year: Annotated[int, Form()] = 0) -> Response:
    """Step 1: draw up the draft list of `year` (from 1 January of the next year)."""
    check_csrf(request, csrf)
    if not is_officer(user):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่เก็บรักษาหนังสือ (records officers only)")
    with archive.db.session() as session:
        survey.open_review(session, year, actor=user.username,
                           agency=archive.settings.office_name,
                           thai_digits=archive.settings.thai_digits)
    return RedirectResponse(f"/retention/reviews/{year}", status_code=303)


def _context(archive: Archive, user: User, year: int) -> dict[str, Any]:
    with archive.db.session() as session:
        review.apply_deemed(session)
        current = review.get_review(session, year)
        member = review.is_member(session, current, user.username)
        return {
            "nav": "retention", "review": current, "stage_thai": STAGE_THAI[current.stage],
            "stages": [(key, label, key == current.stage) for key, label in STAGE_THAI.items()],
            "rows": review.rows_of(session, current, user.clearance),
            "committee": review.committee_of(session, current),
            "steps": steps_for(user, member),
            "deadline": review.consent_deadline(current),
            "levels": ELIGIBLE_LEVELS, "columns": forms.COLUMNS,
            "min_keep": max(year + 1, be_year(today())),
        }


@router.get("/{year}")
def review_page(request: Request, year: int, user: RetentionUser, archive: ArchiveDep,
                renderer: RendererDep) -> Response:
    """The review of `year`: stage, list, committee, and the user's own step."""
    return renderer.page(request, "retention_review.html", _context(archive, user, year))


@router.post("/{year}/columns")
def set_columns(request: Request, year: int, user: RetentionUser, archive: ArchiveDep,
                csrf: Annotated[str, Form()] = "",
                column: Annotated[list[str] | None, Form()] = None,
                thai_digits: Annotated[str, Form()] = "") -> Response:
    """The officer chooses the list's columns and Thai or Arabic digits."""
    check_csrf(request, csrf)
    if not is_officer(user):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่เก็บรักษาหนังสือ (records officers only)")
    with archive.db.session() as session:
        current = review.get_review(session, year)
        current.columns = forms.choose_columns(column or [])
        current.thai_digits = thai_digits == "on"
    return RedirectResponse(f"/retention/reviews/{year}", status_code=303)


@router.post("/{year}/committee")
async def appoint(request: Request, year: int, user: RetentionUser,
                  archive: ArchiveDep) -> Response:
    """Step 2: appoint the committee (a chair and at least two members, checked)."""
    data = await request.form()
    check_csrf(request, str(data.get("csrf", "")))
    if not is_officer(user):
        raise PermissionDenied("เฉพาะเจ้าหน้าที่เก็บรักษาหนังสือ (records officers only)")
    members = []
    for index in range(6):
        name = str(data.get(f"name{index}", "")).strip()
        if not name:
            continue
        members.append(review.MemberIn(
            "chair" if index == 0 else "member", name, str(data.get(f"level{index}", "")),
            str(data.get(f"position{index}", "")),
            str(data.get(f"username{index}", "")).strip() or None))
    with archive.db.session() as session:
        review.appoint_committee(session, review.get_review(session, year), members,
                                 actor=user.username)
    return RedirectResponse(f"/retention/reviews/{year}", status_code=303)


@router.post("/{year}/decide")
async def decide(request: Request, year: int, user: RetentionUser,
                 archive: ArchiveDep) -> Response:
    """Step 3: a committee member decides rows (destroy, or keep until a year with a reason)."""
    data = await request.form()
    check_csrf(request, str(data.get("csrf", "")))
    with archive.db.session() as session:
        current = review.get_review(session, year)
        for key, value in data.items():
            if not key.startswith("decision-") or not value:
                continue
            row_id = int(key.removeprefix("decision-"))
            until = str(data.get(f"until-{row_id}", "")).strip()
            review.decide(session, current, row_id, Decision(str(value)), actor=user.username,
                          clearance=user.clearance,
                          keep_until=int(until) if until.isdigit() else None,
                          reason=str(data.get(f"reason-{row_id}", "")))
    return RedirectResponse(f"/retention/reviews/{year}", status_code=303)


@router.post("/{year}/{step}")
def act(request: Request, year: int, step: str, user: RetentionUser, archive: ArchiveDep,
        csrf: Annotated[str, Form()] = "", date: Annotated[str, Form()] = "",
        reference: Annotated[str, Form()] = "", keeps: Annotated[str, Form()] = "") -> Response:
    """Steps 3–5: report, approve, send, answer, destroy — each for its own role."""
    check_csrf(request, csrf)
    with archive.db.session() as session:
        current = review.get_review(session, year)
        allowed = steps_for(user, review.is_member(session, current, user.username))
        if step == "report" and "decide" in allowed:
            review.report(session, current, actor=user.username)
        elif step == "approve" and "approve" in allowed:
            review.approve(session, current, actor=user.username)
        elif step == "send" and "send" in allowed:
            review.send(session, current, sent_on=_date(date), actor=user.username,
                        reference=reference)
        elif step == "answer" and "answer" in allowed:
            review.answer(session, current, answered_on=_date(date), actor=user.username,
                          keeps=_keeps(keeps), reference=reference)
        elif step != "destroy" or "destroy" not in allowed:
            raise PermissionDenied("ขั้นตอนนี้ไม่ใช่หน้าที่ของบัญชีนี้ (not your step)")
    if step == "destroy":
        destruction.destroy(archive.db, archive.blobs, archive.backend, archive.settings, year,
                            actor=user.username)
    return RedirectResponse(f"/retention/reviews/{year}", status_code=303)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise SarabanError("กรุณาระบุวันที่ให้ถูกต้อง (a valid date is required)") from exc


def _keeps(text: str) -> dict[int, tuple[int, str]]:
    """Lines ``ROW_ID YEAR REASON`` (the Archives asks to keep those rows)."""
    keeps = {}
    for line in text.splitlines():
        parts = line.split(maxsplit=2)
        if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
            keeps[int(parts[0])] = (int(parts[1]), parts[2] if len(parts) > 2 else "")
        elif line.strip():
            raise SarabanError(f"อ่านบรรทัด '{line.strip()}' ไม่ได้ ใช้รูปแบบ: รายการ ปี เหตุผล "
                               "(use: ROW_ID YEAR REASON)")
    return keeps


@router.get("/{year}/{name}.{fmt}")
def form_download(year: int, name: str, fmt: str, user: RetentionUser,
                  archive: ArchiveDep) -> Response:
    """The list, the committee's report or the destruction report as PDF or XLSX."""
    if name not in FORMS or fmt not in ("pdf", "xlsx"):
        raise SarabanError("ไม่รู้จักแบบฟอร์มนี้ (unknown form)")
    with archive.db.session() as session:
        current: RetentionReview = review.get_review(session, year)
        built = FORMS[name](session, current, user.clearance, archive.settings.office_name)
        digits = current.thai_digits
    if fmt == "xlsx":
        return download(forms.forms_xlsx([built], digits), XLSX, f"{name}-{year}.xlsx")
    return download(forms.form_pdf(built, digits), "application/pdf", f"{name}-{year}.pdf")
