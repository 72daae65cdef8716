"""The record page, its page images and its downloads; every route checks clearance."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from index.thread_service import thread_of
from ingest.archive import Archive
from ocr import sniff
from schemas.errors import NotFound
from schemas.tables import Record, User
from store.audit import events_for, record_event
from store.records import get_record
from web.auth import ArchiveDep, CurrentUser, RendererDep
from web.record_view import audit_lines, content_disposition, metadata_rows
from web.scans import PageRenderer, scan_source

router = APIRouter()

_SUFFIX = {mime: suffix for suffix, mime in reversed(sniff.EXTENSIONS.items())}
# A downloaded original is the uploader's bytes: never let a browser run them as our page.
_DOWNLOAD_HEADERS = {"Content-Security-Policy": "sandbox", "Cache-Control": "private, no-store"}


def _visible_record(archive: Archive, user: User, record_id: int) -> Record:
    """The record if this user's clearance allows it; NotFound (404) otherwise."""
    with archive.db.session() as session:
        return get_record(session, record_id, user.clearance)


def _pages(request: Request) -> PageRenderer:
    return request.app.state.pages  # type: ignore[no-any-return]


@router.get("/records/{record_id}")
def record_page(request: Request, record_id: int, user: CurrentUser, archive: ArchiveDep,
                renderer: RendererDep) -> Response:
    """Metadata with confidence, status, page images, OCR text, downloads, audit trail."""
    with archive.db.session() as session:
        record = get_record(session, record_id, user.clearance)
        events = audit_lines(events_for(session, record_id))
        thread = thread_of(archive.db, archive.backend, record, user.clearance)
    source = scan_source(archive.blobs, record)
    pages = 0
    if source is not None and archive.blobs.exists(source.sha256):
        pages = min(_pages(request).page_count(source, record.page_count),
                    archive.settings.max_pages)
    context = {
        "record": record,
        "status": str(getattr(record.status, "value", record.status)),
        "rows": metadata_rows(renderer, record),
        "pages": range(1, pages + 1),
        "events": events,
        "has_archival": bool(record.archival_sha256),
        "thread": thread,
    }
    return renderer.page(request, "record.html", context)


@router.get("/records/{record_id}/pages/{number}.png")
def page_image(request: Request, record_id: int, number: int, user: CurrentUser,
               archive: ArchiveDep) -> Response:
    """Page `number` (1-based) of the record's scan as a PNG of about 100 dpi."""
    record = _visible_record(archive, user, record_id)
    source = scan_source(archive.blobs, record)
    if source is None or not archive.blobs.exists(source.sha256):
        raise NotFound("เอกสารนี้ไม่มีภาพหน้ากระดาษ (this record has no page images)")
    path = _pages(request).png(source, number)
    return FileResponse(path, media_type="image/png",
                        headers={"Cache-Control": "private, max-age=86400"})


@router.get("/records/{record_id}/original")
def download_original(record_id: int, user: CurrentUser, archive: ArchiveDep) -> Response:
    """The file as it was brought in, under its original name (RFC 5987 encoded)."""
    record = _visible_record(archive, user, record_id)
    stored = record.file
    if stored is None or not archive.blobs.exists(stored.sha256):
        raise NotFound("ไม่พบไฟล์ต้นฉบับในคลัง (original file missing)")
    fallback = f"record-{record_id}{_SUFFIX.get(stored.mime, '')}"
    _audit_download(archive, user, record_id, "original")
    return FileResponse(
        archive.blobs.path_for(stored.sha256), media_type=stored.mime or sniff.UNKNOWN,
        headers={"Content-Disposition": content_disposition(stored.original_name, fallback),
                 **_DOWNLOAD_HEADERS})


@router.get("/records/{record_id}/archival.pdf")
def download_archival(record_id: int, user: CurrentUser, archive: ArchiveDep) -> Response:
    """The archival PDF/A made at intake."""
    record = _visible_record(archive, user, record_id)
    sha = record.archival_sha256
    if not sha or not archive.blobs.exists(sha):
        raise NotFound("เอกสารนี้ไม่มีไฟล์ PDF/A (no archival PDF for this record)")
    stem = (record.file.original_name if record.file else "").rsplit(".", 1)[0]
    name = f"{stem or f'record-{record_id}'}-pdfa.pdf"
    _audit_download(archive, user, record_id, "archival")
    return FileResponse(
        archive.blobs.path_for(sha), media_type=sniff.PDF,
        headers={"Content-Disposition": content_disposition(name, f"record-{record_id}-pdfa.pdf"),
                 **_DOWNLOAD_HEADERS})


def _audit_download(archive: Archive, user: User, record_id: int, which: str) -> None:
    # Who took a copy of which record is part of its history (secret letters especially).
    with archive.db.session() as session:
        record_event(session, user.username, "record.download", record_id, file=which)
