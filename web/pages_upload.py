"""Upload: many files in one request, stored at once, read by a background runner."""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import uuid
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Header, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from ingest.archive import Archive
from ingest.intake import FileOutcome, add_file
from web.auth import ArchiveDep, RendererDep, Uploader, check_csrf
from web.record_view import display_name

log = logging.getLogger(__name__)
router = APIRouter()
CHUNK = 1 << 20


def too_large_message(limit_mb: int) -> str:
    """The Thai refusal for a file over the size limit."""
    return (f"ไฟล์ใหญ่เกินกำหนด {limit_mb} MB กรุณาแยกไฟล์หรือลดความละเอียดของภาพสแกน "
            f"(file larger than {limit_mb} MB)")


@router.get("/upload")
def upload_page(request: Request, user: Uploader, archive: ArchiveDep,
                renderer: RendererDep) -> Response:
    """The upload form: pick files, watch them upload and go through intake."""
    return renderer.page(request, "upload.html",
                         {"nav": "upload", "max_mb": archive.settings.max_upload_mb})


def _save(upload: UploadFile, target: Path, limit: int) -> bool:
    """Copy the upload to `target`; False (and nothing kept) when it exceeds `limit` bytes."""
    size = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                break
            out.write(chunk)
    if size > limit:
        target.unlink(missing_ok=True)
        return False
    return True


def receive(archive: Archive, uploads: list[UploadFile], *, actor: str,
            batch: str) -> list[FileOutcome]:
    """Store each upload (under a name of our own, never the client's) and queue its job.

    Args:
        archive: The archive receiving the files.
        uploads: The request's files, in order.
        actor: Username recorded in the audit log and on the jobs.
        batch: The batch id shared by this request's jobs.

    Returns:
        One outcome per upload: stored, duplicate or failed (too large, unreadable).
    """
    limit_mb = archive.settings.max_upload_mb
    archive.settings.work_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=archive.settings.work_dir))
    outcomes = []
    try:
        for number, upload in enumerate(uploads, start=1):
            name = display_name(upload.filename or "")
            target = folder / f"file-{number}"
            if not _save(upload, target, limit_mb << 20):
                outcomes.append(FileOutcome(name, None, "failed", too_large_message(limit_mb)))
                continue
            outcomes.append(add_file(archive, target, actor=actor, batch=batch,
                                     original_name=name))
            target.unlink(missing_ok=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return outcomes


def start_runner(request: Request, archive: Archive, batch: str, expected: int) -> None:
    """Run the batch's jobs in a daemon thread; the page follows them via /api/jobs."""
    from ingest.runner import Runner  # Haystack and OCR: loaded on the first upload, not at start

    thread = threading.Thread(target=Runner(archive).run, name=f"ingest-{batch[:8]}",
                              kwargs={"batch": batch, "expected": expected}, daemon=True)
    threads: dict[str, threading.Thread] = request.app.state.ingest_threads
    with request.app.state.ingest_lock:
        for done in [b for b, t in threads.items() if not t.is_alive()]:
            del threads[done]
        threads[batch] = thread
    thread.start()


@router.post("/upload")
def upload(request: Request, user: Uploader, archive: ArchiveDep,
           files: Annotated[list[UploadFile], File()],
           x_csrf_token: Annotated[str | None, Header()] = None) -> Response:
    """Receive files; answer `{batch, files: [...]}` at once while intake runs on."""
    check_csrf(request, x_csrf_token)
    batch = uuid.uuid4().hex
    outcomes = receive(archive, files, actor=user.username, batch=batch)
    queued = sum(1 for o in outcomes if o.job_id is not None)
    if queued:
        start_runner(request, archive, batch, queued)
    body = [{**o.as_json(), "job_id": o.job_id,
             "record_url": f"/records/{o.record_id}" if o.record_id else None}
            for o in outcomes]
    return JSONResponse({"batch": batch, "files": body})
