"""The ingest job queue, kept in the database so a crash or restart resumes it.

A worker claims a queued job by moving it to `running` with a lease. A job
whose lease ran out (its worker died) is claimable again; a job is tried at
most `MAX_ATTEMPTS` times.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from schemas.enums import JobStatus
from schemas.tables import IngestJob, utcnow

MAX_ATTEMPTS = 3


def enqueue(session: Session, file_id: int, record_id: int, *, batch: str = "",
            created_by: str = "") -> IngestJob:
    """Queue the heavy work for a stored file, in the caller's transaction."""
    job = IngestJob(file_id=file_id, record_id=record_id, batch=batch, created_by=created_by)
    session.add(job)
    return job


def claim_next(session: Session, lease: dt.timedelta, *, batch: str | None = None
               ) -> IngestJob | None:
    """Claim the oldest runnable job (queued, or running with an expired lease).

    The claim is one conditional UPDATE, so two workers never take the same job.
    Commits on success; returns None when nothing is runnable.
    """
    now = utcnow()
    runnable = or_(
        IngestJob.status == JobStatus.queued,
        (IngestJob.status == JobStatus.running) & (IngestJob.lease_until < now),
    )
    # SKIP LOCKED (PostgreSQL) lets concurrent workers pass over rows another
    # is claiming; the conditional UPDATE below stays the guarantee on SQLite.
    query = (select(IngestJob.id).where(runnable, IngestJob.attempts < MAX_ATTEMPTS)
             .with_for_update(skip_locked=True))
    if batch is not None:
        query = query.where(IngestJob.batch == batch)
    for job_id in session.scalars(query.order_by(IngestJob.id).limit(8)).all():
        claimed = session.execute(
            update(IngestJob)
            .where(IngestJob.id == job_id, runnable)
            .values(status=JobStatus.running, stage="starting", started_at=now,
                    lease_until=now + lease, attempts=IngestJob.attempts + 1)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]
            session.commit()
            return session.get(IngestJob, job_id, populate_existing=True)
    session.rollback()
    return None


def set_stage(session: Session, job_id: int, stage: str) -> None:
    """Record how far a running job has got (shown as progress)."""
    session.execute(update(IngestJob).where(IngestJob.id == job_id).values(stage=stage))
    session.commit()


def finish(session: Session, job: IngestJob, *, error: str = "") -> None:
    """Mark a job done, or failed with `error`, in the caller's transaction."""
    job.status = JobStatus.failed if error else JobStatus.done
    job.stage = "failed" if error else "done"
    job.error = error
    job.finished_at = utcnow()
    job.lease_until = None


def counts(session: Session, batch: str | None = None) -> dict[str, int]:
    """Jobs per status, optionally for one batch."""
    query = select(IngestJob.status, func.count()).group_by(IngestJob.status)
    if batch is not None:
        query = query.where(IngestJob.batch == batch)
    found = {str(getattr(status, "value", status)): n for status, n in session.execute(query)}
    return {status.value: found.get(status.value, 0) for status in JobStatus}


def jobs_of_batch(session: Session, batch: str) -> list[IngestJob]:
    """Every job of a batch, in order."""
    return list(session.scalars(select(IngestJob).where(IngestJob.batch == batch)
                                .order_by(IngestJob.id)))


def abandon_exhausted(session: Session) -> int:
    """Fail running jobs whose lease ran out after their last attempt; return how many."""
    now = utcnow()
    result = session.execute(
        update(IngestJob)
        .where(IngestJob.status == JobStatus.running, IngestJob.lease_until < now,
               IngestJob.attempts >= MAX_ATTEMPTS)
        .values(status=JobStatus.failed, stage="failed", finished_at=now,
                error="ประมวลผลไม่สำเร็จหลายครั้ง (worker died repeatedly on this file)")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
