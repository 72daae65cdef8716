"""The store: migrations, atomic blobs, audit, users, the job queue."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, update

from schemas.enums import JobStatus, Role, Secrecy
from schemas.errors import SarabanError
from schemas.settings import Settings
from schemas.tables import Base, IngestJob, User
from store import jobs
from store.audit import events_for, record_event
from store.blobs import BlobStore, sha256_of
from store.db import Database
from store.records import intake_file
from store.users import add_user, authenticate


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request, tmp_path: Path) -> Settings:
    """Every store test runs on the embedded SQLite and on a real PostgreSQL."""
    url = None
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_server").new_database("store")
    return Settings(home=tmp_path / "home", ocr_workers=2, database_url=url)


def test_migrations_match_the_models(archive):
    with archive.db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diffs == []


def test_migrate_is_idempotent_and_sqlite_uses_wal(archive):
    archive.db.migrate()
    if archive.db.engine.dialect.name != "sqlite":
        pytest.skip("WAL and PRAGMAs are SQLite's")
    with archive.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_blob_store_is_content_addressed(tmp_path: Path):
    store = BlobStore(tmp_path / "blobs")
    source = tmp_path / "letter.pdf"
    source.write_bytes(b"%PDF-1.4 hello")
    sha, size = store.put_file(source)
    assert sha == sha256_of(source) and size == 14
    assert store.path_for(sha).read_bytes() == b"%PDF-1.4 hello"
    assert store.put_file(source) == (sha, size)  # idempotent
    assert [p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == [sha]


def test_crash_during_rename_leaves_no_half_file(tmp_path: Path, monkeypatch):
    store = BlobStore(tmp_path / "blobs")
    source = tmp_path / "big.bin"
    source.write_bytes(os.urandom(3 << 20))

    def crash(*_args):
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.put_file(source)
    assert not store.exists(sha256_of(source))
    assert [p for p in (tmp_path / "blobs").rglob("*") if p.is_file()] == []


def test_path_for_refuses_non_digests(tmp_path: Path):
    with pytest.raises(ValueError):
        BlobStore(tmp_path).path_for("../../etc/passwd")


def test_users_hash_passwords_and_authenticate(archive):
    with archive.db.session() as session:
        add_user(session, "somchai", "correct horse", role=Role.clerk,
                 clearance=Secrecy.confidential)
    with archive.db.session() as session:
        user = session.scalar(select(User).where(User.username == "somchai"))
        assert user is not None and "correct horse" not in user.password_hash
        assert user.password_hash.startswith("$argon2")
        assert authenticate(session, "somchai", "correct horse") is not None
        assert authenticate(session, "somchai", "wrong") is None
        assert authenticate(session, "nobody", "correct horse") is None
        with pytest.raises(SarabanError):
            add_user(session, "somchai", "another password")
        with pytest.raises(SarabanError):
            add_user(session, "short", "1234")


def test_audit_log_keeps_events_in_order(archive):
    with archive.db.session() as session:
        record_event(session, "clerk", "record.view", 7, note="ดู")
        record_event(session, "clerk", "record.edit", 7, field="subject")
    with archive.db.session() as session:
        assert [e.action for e in events_for(session, 7)] == ["record.view", "record.edit"]


def _queue_one(archive, tmp_path: Path, content: bytes) -> int:
    source = tmp_path / f"f{len(content)}.txt"
    source.write_bytes(content)
    with archive.db.session() as session:
        result = intake_file(session, archive.blobs, source, original_name=source.name,
                             mime="text/plain", actor="test")
    assert result.job_id is not None
    return result.job_id


def test_same_file_is_stored_once(archive, tmp_path: Path):
    source = tmp_path / "a.txt"
    source.write_text("เรื่อง ทดสอบ")
    with archive.db.session() as session:
        first = intake_file(session, archive.blobs, source, original_name="a.txt",
                            mime="text/plain", actor="t")
    with archive.db.session() as session:
        second = intake_file(session, archive.blobs, source, original_name="copy.txt",
                             mime="text/plain", actor="t")
    assert not first.duplicate and second.duplicate
    assert second.record_id == first.record_id and second.job_id is None


def test_two_workers_never_claim_the_same_job(archive, tmp_path: Path):
    job_id = _queue_one(archive, tmp_path, b"one")
    other = Database(archive.settings)
    lease = dt.timedelta(minutes=5)
    with archive.db.session() as first, other.session() as second:
        claimed = jobs.claim_next(first, lease)
        assert claimed is not None and claimed.id == job_id
        assert jobs.claim_next(second, lease) is None
    other.dispose()


def test_a_job_whose_worker_died_is_claimed_again(archive, tmp_path: Path):
    job_id = _queue_one(archive, tmp_path, b"two")
    with archive.db.session() as session:
        assert jobs.claim_next(session, dt.timedelta(minutes=5)) is not None
        assert jobs.claim_next(session, dt.timedelta(minutes=5)) is None
        session.execute(update(IngestJob).values(
            lease_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)))
        session.commit()
        again = jobs.claim_next(session, dt.timedelta(minutes=5))
        assert again is not None and again.id == job_id and again.attempts == 2
        jobs.finish(session, again)
    with archive.db.session() as session:
        assert jobs.counts(session)[JobStatus.done.value] == 1


def test_concurrent_workers_claim_each_job_once_and_lose_no_edit(archive, tmp_path: Path):
    """Several web/ingest workers at once (issue 5): SKIP LOCKED claims, row-locked edits."""
    import threading

    from schemas.tables import AuditEvent, IndexOutbox, Record
    from store.records import edit_record

    job_ids = [_queue_one(archive, tmp_path, f"letter {i}".encode() * (i + 1)) for i in range(24)]
    with archive.db.session() as session:
        target = session.scalar(select(Record.id).order_by(Record.id).limit(1))
    threads, edits_each = 4, 8
    claimed: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker(n: int) -> None:
        db = Database(archive.settings)  # its own pool, as a separate web worker has
        try:
            start.wait()
            for i in range(edits_each):
                with db.session() as session:
                    job = jobs.claim_next(session, dt.timedelta(minutes=5))
                    if job is not None:
                        with lock:
                            claimed.append(job.id)
                        jobs.finish(session, job)
                with db.session() as session:
                    edit_record(session, target, {"subject": f"แก้ไขโดย {n} ครั้งที่ {i}"},
                                actor=f"w{n}")
            while True:
                with db.session() as session:
                    job = jobs.claim_next(session, dt.timedelta(minutes=5))
                    if job is None:
                        break
                    with lock:
                        claimed.append(job.id)
                    jobs.finish(session, job)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            db.dispose()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    assert sorted(claimed) == sorted(job_ids)  # every job once, none twice
    with archive.db.session() as session:
        assert jobs.counts(session)[JobStatus.done.value] == len(job_ids)
        record = session.get(Record, target)
        assert record.version == 1 + threads * edits_each  # no edit lost
        edits = session.scalars(select(AuditEvent).where(AuditEvent.action == "record.edit",
                                                         AuditEvent.record_id == target)).all()
        assert len(edits) == threads * edits_each
        queued = session.scalars(select(IndexOutbox).where(IndexOutbox.record_id == target)).all()
        assert len(queued) == 1 + threads * edits_each  # intake + every edit, for the index
