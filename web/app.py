"""The FastAPI app: `create_app(archive)`. Errors become pages (or JSON) here only."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from ingest.archive import Archive
from schemas.errors import SarabanError
from web import (
    api,
    auth,
    pages_lending,
    pages_lending_print,
    pages_records,
    pages_retention,
    pages_review,
    pages_review_queue,
    pages_search,
    pages_upload,
)
from web.render import Renderer
from web.scans import PageRenderer

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
SESSION_HOURS = 12

_HTTP_MESSAGES = {
    404: "ไม่พบหน้าที่ต้องการ (page not found)",
    405: "ใช้งานหน้านี้ด้วยวิธีนี้ไม่ได้ (method not allowed)",
}
_INVALID_INPUT = "ข้อมูลที่ส่งมาไม่ถูกต้อง กรุณาตรวจสอบแล้วลองอีกครั้ง (invalid input)"
_INTERNAL = "เกิดข้อผิดพลาดภายในระบบ กรุณาลองใหม่หรือแจ้งผู้ดูแลระบบ (internal error)"


def create_app(archive: Archive) -> FastAPI:
    """Build the web app serving `archive` (kept in `app.state`, no globals).

    Args:
        archive: The open archive: settings, database, file store, search backend.

    Returns:
        The ASGI app, ready for uvicorn or a TestClient.
    """
    app = FastAPI(title="Saraban Archive", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.archive = archive
    app.state.renderer = Renderer(archive.settings)
    app.state.pages = PageRenderer(archive.settings.thumb_dir)
    app.state.ingest_threads = {}  # batch -> threading.Thread (tests join them)
    app.state.ingest_lock = threading.Lock()
    app.add_middleware(SessionMiddleware, secret_key=archive.settings.secret_key,
                       session_cookie="saraban_session", max_age=SESSION_HOURS * 3600,
                       same_site="lax", https_only=archive.settings.environment == "production")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, pages_search, pages_records, pages_upload, pages_retention,
                   pages_review, pages_review_queue, pages_lending, pages_lending_print, api):
        app.include_router(module.router)
    _add_error_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
        return response

    return app


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return request.url.path.startswith("/api/") or accept.startswith("application/json")


def error_response(request: Request, message: str, status: int) -> Response:
    """The one shape of an error: JSON for /api/*, a Thai page otherwise."""
    if _wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    renderer: Renderer = request.app.state.renderer
    return renderer.page(request, "error.html", {"message": message, "status": status},
                         status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SarabanError)
    async def saraban_error(request: Request, exc: SarabanError) -> Response:
        if exc.http_status >= 500:
            log.error("%s: %s %s", request.url.path, exc.message, exc.detail)
        return error_response(request, exc.message, exc.http_status)

    @app.exception_handler(auth.SignInRequired)
    async def sign_in_required(request: Request, exc: auth.SignInRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": "กรุณาเข้าสู่ระบบ (sign in first)", "status": 401},
                                status_code=401)
        return RedirectResponse(auth.login_url(request), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = _HTTP_MESSAGES.get(exc.status_code, f"คำขอไม่สำเร็จ (HTTP {exc.status_code})")
        return error_response(request, message, exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_input(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, _INVALID_INPUT, 422)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return error_response(request, _INTERNAL, 500)
