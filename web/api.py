"""The JSON API: search (the same service call as the page) and upload progress."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from index.backend import SuggestRequest
from index.service import search
from index.thread_service import thread_of
from store.records import get_record
from schemas.enums import JobStatus, Role
from schemas.errors import NotFound
from schemas.tables import IngestJob, Record, StoredFile, User
from store.jobs import jobs_of_batch
from store.records import visible
from web.auth import ArchiveDep, CurrentUser, Uploader
from web.pages_search import build_request, parse_filters
from web.render import JOB_STAGE_THAI

router = APIRouter(prefix="/api")

FINISHED = {JobStatus.done.value, JobStatus.failed.value}
ABOVE_CLEARANCE = ("บันทึกแล้ว แต่เอกสารมีชั้นความลับสูงกว่าสิทธิ์ของท่าน "
                   "(stored; above your clearance to open)")


@router.get("/search")
def api_search(user: CurrentUser, archive: ArchiveDep, q: str = "",
               filter: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI's idiom
               page: int = 1, sort: str = "relevance") -> Response:
    """`{total, hits, facets}` for one page of 20, within the caller's clearance.

    Query parameters: `q`, repeated `filter=field:value`, `page` (1-based),
    `sort` (relevance, date_desc, date_asc).
    """
    request = build_request(q[:500], parse_filters(filter), user.clearance, sort, page)
    return JSONResponse(search(archive.db, archive.backend, request).as_json())


@router.get("/suggest")
def api_suggest(user: CurrentUser, archive: ArchiveDep, q: str = "") -> Response:
    """Type-ahead: `{suggestions: [{text, kind, count}]}` from records the caller may see."""
    found = archive.backend.suggest(SuggestRequest(q[:100], user.clearance, limit=8))
    return JSONResponse({"suggestions": [{"text": s.text, "kind": s.kind, "count": s.count}
                                         for s in found]})


@router.get("/records/{record_id}/thread")
def api_thread(record_id: int, user: CurrentUser, archive: ArchiveDep) -> Response:
    """`{cites: [{number, date, letters}], cited_by: [hit]}` within the caller's clearance."""
    with archive.db.session() as session:
        record = get_record(session, record_id, user.clearance)
        thread = thread_of(archive.db, archive.backend, record, user.clearance)
    return JSONResponse(thread.as_json())


def _value(item: Any) -> str:
    return str(getattr(item, "value", item))


def job_json(job: IngestJob, name: str, record: Record | None, user: User) -> dict[str, Any]:
    """One job as the upload page shows it (stage in Thai, link when the record is visible)."""
    status = _value(job.status)
    link = None
    note = ""
    if job.record_id is not None and record is not None:
        if visible(record, user.clearance):
            link = f"/records/{job.record_id}"
        elif status in FINISHED:
            note = ABOVE_CLEARANCE
    return {"job_id": job.id, "record_id": job.record_id, "file": name, "status": status,
            "stage": job.stage, "stage_thai": JOB_STAGE_THAI.get(job.stage, job.stage),
            "error": job.error or None, "record_url": link, "note": note or None,
            "record_status": _value(record.status) if record is not None and link else None}


@router.get("/jobs/{batch}")
def api_jobs(batch: str, user: Uploader, archive: ArchiveDep) -> Response:
    """Progress of one upload batch: `{batch, finished, counts, jobs: [...]}`.

    Only the batch's uploader (or an admin) sees it; anyone else gets 404.
    """
    with archive.db.session() as session:
        jobs = [job for job in jobs_of_batch(session, batch[:40])
                if job.created_by == user.username or Role(user.role) == Role.admin]
        if not jobs:
            raise NotFound("ไม่พบชุดงานนำเข้านี้ (no such upload batch)")
        rows = []
        for job in jobs:
            stored = session.get(StoredFile, job.file_id)
            record = session.get(Record, job.record_id) if job.record_id else None
            rows.append(job_json(job, stored.original_name if stored else "", record, user))
    counts = {status.value: sum(1 for r in rows if r["status"] == status.value)
              for status in JobStatus}
    return JSONResponse({"batch": batch, "finished": all(r["status"] in FINISHED for r in rows),
                         "counts": counts, "jobs": rows})
