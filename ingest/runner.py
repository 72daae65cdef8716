"""Works through the job queue: several files at once, one Tesseract thread each.

Tesseract runs single-threaded (OMP_THREAD_LIMIT=1) with one page per core,
which on 2 cores is several times faster than letting it use its own threads.
A file that fails is recorded as failed and never stops the others.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ingest.archive import Archive
from ingest.components import RecordWriter
from ingest.pipeline import TextPipeline
from index.sync import sync_pending
from schemas.enums import RecordStatus
from schemas.errors import SarabanError
from schemas.tables import IngestJob, Record, StoredFile
from store import jobs as job_queue
from store.audit import record_event

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=30)


@dataclass
class JobOutcome:
    """How one job ended."""

    job_id: int
    record_id: int
    status: str  # ok | flagged | failed
    error: str = ""


Progress = Callable[[JobOutcome], None]


class Runner:
    """Runs queued jobs with `workers` threads; each thread owns its pipeline."""

    def __init__(self, archive: Archive, workers: int | None = None) -> None:
        self.archive = archive
        self.workers = workers or archive.settings.workers()
        self._local = threading.local()
        self._index_lock = threading.Lock()

    def _pipeline(self, jobs_per_file: int) -> TextPipeline:
        pipeline = getattr(self._local, "pipeline", None)
        if pipeline is None or self._local.jobs_per_file != jobs_per_file:
            writer = RecordWriter(self.archive.db, self.archive.blobs)
            pipeline = TextPipeline(self.archive.settings, jobs_per_file=jobs_per_file,
                                    writer=writer)
            self._local.pipeline, self._local.jobs_per_file = pipeline, jobs_per_file
        return pipeline

    def run(self, *, batch: str | None = None, expected: int = 0,
            on_done: Progress | None = None) -> list[JobOutcome]:
        """Run until no job is claimable; `expected` jobs share the cores among them."""
        threads = max(1, min(self.workers, expected or self.workers))
        jobs_per_file = max(1, self.workers // threads)
        outcomes: list[JobOutcome] = []
        lock = threading.Lock()

        def loop() -> None:
            while (outcome := self.run_one(batch=batch, jobs_per_file=jobs_per_file)) is not None:
                with lock:
                    outcomes.append(outcome)
                if on_done:
                    on_done(outcome)

        with ThreadPoolExecutor(threads, thread_name_prefix="ingest") as pool:
            for future in [pool.submit(loop) for _ in range(threads)]:
                future.result()
        with self.archive.db.session() as session:
            job_queue.abandon_exhausted(session)
        return outcomes

    def run_one(self, *, batch: str | None = None, jobs_per_file: int = 1) -> JobOutcome | None:
        """Claim and run one job; None when the queue has nothing for us."""
        with self.archive.db.session() as session:
            job = job_queue.claim_next(session, LEASE, batch=batch)
            if job is None:
                return None
            stored = session.get(StoredFile, job.file_id)
            assert stored is not None
            job_id, record_id, sha, name = job.id, job.record_id, stored.sha256, stored.original_name
        assert record_id is not None
        work = self.archive.settings.work_dir / f"job-{job_id}"
        try:
            self._pipeline(jobs_per_file).run(
                self.archive.blobs.path_for(sha), work, claimed_name=name, record_id=record_id)
            status, error = _status_of(self.archive, record_id), ""
        except SarabanError as exc:
            status, error = "failed", exc.message
            self._fail(record_id, exc.message, exc.detail)
        except Exception as exc:  # noqa: BLE001 - one bad file must never stop the queue
            log.exception("job %s crashed", job_id)
            status, error = "failed", "เกิดข้อผิดพลาดภายในระบบ (internal error while reading the file)"
            self._fail(record_id, error, repr(exc))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        with self.archive.db.session() as session:
            job_row = session.get(IngestJob, job_id)
            assert job_row is not None
            job_queue.finish(session, job_row, error=error)
        with self._index_lock:
            sync_pending(self.archive.db, self.archive.backend)
        return JobOutcome(job_id, record_id, status, error)

    def _fail(self, record_id: int, message: str, detail: str) -> None:
        with self.archive.db.session() as session:
            record = session.get(Record, record_id)
            assert record is not None
            record.status = RecordStatus.failed
            record.error = message
            record.warnings = [message]
            record.version += 1
            record_event(session, "system", "ingest.failed", record_id, error=message,
                         detail=detail[:2000])


def _status_of(archive: Archive, record_id: int) -> str:
    with archive.db.session() as session:
        record = session.get(Record, record_id)
        assert record is not None
        return str(getattr(record.status, "value", record.status))
