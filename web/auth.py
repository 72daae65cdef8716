"""Sign-in and sign-out, the `CurrentUser` dependency and role checks."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from ingest.archive import Archive
from schemas.enums import Role
from schemas.errors import PermissionDenied
from schemas.tables import User
from retention.desk import reminders_for
from retention.lending_rules import can_run_desk
from store.audit import record_event
from store.users import authenticate
from web.render import Renderer

router = APIRouter()

UPLOAD_ROLES = frozenset({Role.clerk, Role.records_officer, Role.admin})
WRONG_PASSWORD = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง (wrong username or password)"


class SignInRequired(Exception):
    """Nobody is signed in (pages redirect to /login, the API answers 401)."""


def archive_of(request: Request) -> Archive:
    """The archive this app serves."""
    return request.app.state.archive  # type: ignore[no-any-return]


def renderer_of(request: Request) -> Renderer:
    """The app's template renderer."""
    return request.app.state.renderer  # type: ignore[no-any-return]


ArchiveDep = Annotated[Archive, Depends(archive_of)]
RendererDep = Annotated[Renderer, Depends(renderer_of)]


def current_user(request: Request, archive: ArchiveDep) -> User:
    """The signed-in, still-active user, read afresh (role and clearance may have changed).

    Raises:
        SignInRequired: no session, or the user was removed or deactivated.
    """
    info = request.session.get("user")
    if not isinstance(info, dict) or "id" not in info:
        raise SignInRequired
    with archive.db.session() as session:
        user = session.get(User, info["id"])
    if user is None or not user.active:
        request.session.clear()
        raise SignInRequired
    return user


CurrentUser = Annotated[User, Depends(current_user)]


def can_upload(user: User) -> bool:
    """Whether the user may bring files into the archive."""
    return Role(user.role) in UPLOAD_ROLES


def require_uploader(user: CurrentUser) -> User:
    """The current user if they may upload.

    Raises:
        PermissionDenied: readers may search and read but not upload.
    """
    if not can_upload(user):
        raise PermissionDenied("บัญชีนี้ไม่มีสิทธิ์นำเข้าเอกสาร "
                               "กรุณาติดต่อผู้ดูแลระบบ (your role may not upload)")
    return user


Uploader = Annotated[User, Depends(require_uploader)]


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse a state-changing request whose token does not match the session's.

    Raises:
        PermissionDenied: the token is missing or wrong (stale page or another site).
    """
    expected = request.session.get("csrf", "")
    if not expected or not token or not secrets.compare_digest(expected, token):
        raise PermissionDenied("หน้านี้หมดอายุ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง "
                               "(form expired: reload the page)")


def safe_next(target: str | None) -> str:
    """Only a local path may be a redirect target after sign-in."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def login_url(request: Request) -> str:
    """/login with the page the visitor wanted as `next`."""
    wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login" if wanted == "/" else f"/login?next={quote(wanted, safe='')}"


@router.get("/login")
def login_form(request: Request, renderer: RendererDep, next: str = "/") -> Response:
    """The sign-in form (a signed-in visitor goes straight on)."""
    if isinstance(request.session.get("user"), dict):
        return RedirectResponse(safe_next(next), status_code=303)
    return renderer.page(request, "login.html", {"next": safe_next(next)})


@router.post("/login")
def login(request: Request, archive: ArchiveDep, renderer: RendererDep,
          username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "/") -> Response:
    """Check the password; on success start a fresh session and go where the user wanted."""
    with archive.db.session() as session:
        user = authenticate(session, username, password)
        if user is not None:
            record_event(session, user.username, "user.login")
            info = {"id": user.id, "username": user.username,
                    "display_name": user.display_name or user.username,
                    "role": str(getattr(user.role, "value", user.role)),
                    "clearance": str(getattr(user.clearance, "value", user.clearance)),
                    "can_upload": can_upload(user), "can_run_desk": can_run_desk(user)}
            # Borrowers see their late or nearly due loans as soon as they sign in (issue 7).
            reminders = len(reminders_for(session, user))
    if user is None:
        return renderer.page(request, "login.html",
                             {"error": WRONG_PASSWORD, "username": username,
                              "next": safe_next(next)}, status_code=401)
    request.session.clear()  # no session fixation: a new session for the signed-in user
    request.session.update(user=info, csrf=secrets.token_urlsafe(32), reminders=reminders)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """End the session and return to the sign-in form."""
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
