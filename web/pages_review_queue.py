"""The review queue (ตรวจทาน): low-confidence fields beside the crop of the scan they came from.

Clerks, records officers and admins review; each sees only records within
their clearance, in the list, in its count and in the crops. Saving a
correction or confirming a field sets its confidence to 1.0 and records who
did it (audited as record.edit / record.confirm); a later re-extraction
leaves it alone (issue #3).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from ingest.archive import Archive
from schemas.errors import NotFound, SarabanError
from schemas.tables import Record
from store.records import confirm_fields, edit_record, get_record, visible
from store.review_queue import low_fields, next_in_queue, review_page
from web.auth import ArchiveDep, CurrentUser, RendererDep, Uploader, check_csrf
from web.crops import CROP_DPI, crop_for, crop_png, image_size
from web.render import Renderer
from web.review_form import CHOICES, LABELS, FormField, input_value, parse_value
from web.record_view import metadata_rows
from web.scans import PageRenderer, scan_source

router = APIRouter()


def _threshold(archive: Archive) -> float:
    return archive.settings.review_threshold


def _form_fields(renderer: Renderer, record: Record, names: list[str]) -> list[FormField]:
    rows = {row.key: row for row in metadata_rows(renderer, record)}  # shown as the record page
    fields = []
    for name in names:
        label, english = LABELS[name]
        fields.append(FormField(name, label, english, input_value(record, name),
                                rows[name].value, rows[name].confidence, CHOICES.get(name)))
    return fields


@router.get("/review")
def review_queue(request: Request, user: Uploader, archive: ArchiveDep, renderer: RendererDep,
                 page: int = 1) -> Response:
    """The queue, oldest first, twenty a page, within the reviewer's clearance."""
    with archive.db.session() as session:
        queue = review_page(session, user.clearance, _threshold(archive), page)
    rows = [{"record": entry.record, "fields": [LABELS[name][0] for name in entry.fields],
             "lowest": entry.lowest} for entry in queue.entries]
    return renderer.page(request, "review_queue.html",
                         {"nav": "review", "queue": queue, "rows": rows})


@router.get("/review/{record_id}")
def review_record(request: Request, record_id: int, user: Uploader, archive: ArchiveDep,
                  renderer: RendererDep, done: str = "") -> Response:
    """One record's low-confidence fields, each beside its crop, with inputs to correct them."""
    threshold = _threshold(archive)
    with archive.db.session() as session:
        record = get_record(session, record_id, user.clearance)
        names = low_fields(record.confidence, record.corrected_fields, threshold)
        following = next_in_queue(session, user.clearance, threshold, record_id)
    has_scan = scan_source(archive.blobs, record) is not None
    context = {"nav": "review", "record": record, "fields": _form_fields(renderer, record, names),
               "threshold": threshold, "next_id": following, "has_scan": has_scan,
               "sources": record.field_sources or {}, "done": done}
    return renderer.page(request, "review_record.html", context)


@router.post("/review/{record_id}")
def review_save(request: Request, record_id: int, user: Uploader, archive: ArchiveDep,
                csrf: Annotated[str, Form()] = "", field: Annotated[str, Form()] = "",
                value: Annotated[str, Form()] = "",
                do: Annotated[str, Form()] = "save") -> Response:
    """Save a correction (บันทึก) or confirm a field as read (ยืนยัน).

    Then back to this record while it has fields left to review, else on to
    the next record in the queue (or the queue, when it is empty).
    """
    check_csrf(request, csrf)
    if field not in LABELS:
        raise SarabanError("ไม่รู้จักช่องข้อมูลนี้ (unknown field)")
    threshold = _threshold(archive)
    with archive.db.session() as session:
        record = get_record(session, record_id, user.clearance)
        changes = parse_value(field, value) if do == "save" else {}
        changes = {k: v for k, v in changes.items() if getattr(record, k) != v}
        if changes:
            record = edit_record(session, record_id, changes, actor=user.username)
        if field not in (record.corrected_fields or {}):
            record = confirm_fields(session, record_id, [field], actor=user.username)
        left = low_fields(record.confidence, record.corrected_fields, threshold)
        if not visible(record, user.clearance):  # marked above the reviewer's clearance
            left = []
        following = next_in_queue(session, user.clearance, threshold, record_id)
    done = "saved" if changes else "confirmed"
    if left:
        target = f"/review/{record_id}?done={done}#field-{left[0]}"
    elif following is not None:
        target = f"/review/{following}?done={done}"
    else:
        target = f"/review?done={done}"
    return RedirectResponse(target, status_code=303)


@router.get("/records/{record_id}/crops/{field}.png")
def field_crop(request: Request, record_id: int, field: str, user: CurrentUser,
               archive: ArchiveDep) -> Response:
    """The part of the page a field was read from, padded; the letter's head when unknown.

    Anyone who may see the record may see its crops; anyone else gets the same
    404 as for a record that does not exist.
    """
    with archive.db.session() as session:
        record = get_record(session, record_id, user.clearance)
    if field not in LABELS:
        raise NotFound("ไม่พบช่องข้อมูลนี้ (no such field)")
    source = scan_source(archive.blobs, record)
    if source is None or not archive.blobs.exists(source.sha256):
        raise NotFound("เอกสารนี้ไม่มีภาพหน้ากระดาษ (this record has no page images)")
    pages: PageRenderer = request.app.state.pages
    where = (record.field_sources or {}).get(field)
    where = where if isinstance(where, dict) else None
    page = int(where.get("page", 1)) if where else 1
    path = pages.png(source, page, CROP_DPI)
    crop = crop_for(where, image_size(path))
    if crop.page != page:  # no usable box: the head of the first page
        path = pages.png(source, crop.page, CROP_DPI)
        crop = crop_for(None, image_size(path))
    return Response(crop_png(str(path), crop), media_type="image/png",
                    headers={"Cache-Control": "private, no-store"})
