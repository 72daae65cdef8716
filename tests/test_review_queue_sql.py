"""The review queue in SQL (issue #3): `records.review_confidence` kept on every write,
filled in by migration 0006, and queue pages that read only the records they show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient
from haystack import Document
from sqlalchemy import Engine, MetaData, Table, create_engine, event, insert, inspect, select
from web_support import archive, client, corpus, sign_in  # noqa: F401  (fixtures)
from web_support import Corpus, csrf_of

import store.review_queue as review_queue
from ingest.archive import Archive
from ingest.write import write_record
from schemas.enums import Kind, RecordStatus, Secrecy
from schemas.letter import LetterMetadata
from schemas.review_rule import REVIEW_FIELDS, low_fields, review_confidence
from schemas.tables import Record, StoredFile
from store.db import alembic_config
from store.records import confirm_fields, edit_record
from store.review_queue import next_in_queue, queued_ids, review_page

HIGH = {name: 0.95 for name in REVIEW_FIELDS}


def _column(archive: Archive, record_id: int) -> float | None:
    with archive.db.session() as session:
        return session.scalar(select(Record.review_confidence).where(Record.id == record_id))


def _reextract(archive: Archive, record_id: int, confidence: dict[str, float]) -> None:
    """Ingest's last step, as a (re-)extraction runs it."""
    meta = LetterMetadata(kind=Kind.external, number="ศธ 9999/1", date=dt.date(2020, 1, 1),
                          subject="เรื่องที่อ่านใหม่", confidence=confidence)
    write_record(archive.db, archive.blobs, record_id,
                 Document(content="ข้อความใหม่", meta={"letter": meta.model_dump(mode="json"),
                                                      "method": "ocr"}))


def test_the_rule_matches_low_fields():
    assert review_confidence({**HIGH, "date": 0.5}, {}) == 0.5
    assert review_confidence({**HIGH, "date": 0.5}, {"date": {"by": "x"}}) == 0.95
    assert review_confidence({}, {}) == 0.0  # nothing read
    assert review_confidence({**HIGH, "to": "?", "kind": float("nan")}, {}) == 0.0
    assert review_confidence(HIGH, {name: {} for name in REVIEW_FIELDS}) is None
    for confidence in ({**HIGH, "date": 0.5}, {"number": 0.9}, HIGH, {}):
        lowest = review_confidence(confidence, {})
        for threshold in (0.3, 0.8, 0.96):
            assert bool(low_fields(confidence, {}, threshold)) == (lowest < threshold)


# -- (a) the column follows every write ------------------------------------------------------


def _post(client: TestClient, record_id: int, **data: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client.get(f"/review/{record_id}").text)
    return client.post(f"/review/{record_id}", data={"csrf": token, **data})


def test_the_column_follows_ingest_and_a_clerks_corrections(archive: Archive, corpus: Corpus,
                                                           client: TestClient):
    assert _column(archive, corpus.public) == 0.0  # kind, to, secrecy, urgency not read
    _reextract(archive, corpus.public, {**HIGH, "number": 0.3, "subject": 0.99})
    assert _column(archive, corpus.public) == 0.3
    sign_in(client, "clerk")
    _post(client, corpus.public, field="number", value="", do="confirm")
    assert _column(archive, corpus.public) == 0.95  # the number is a person's now
    _post(client, corpus.public, field="date", value="๑๗/๐๓/๒๕๕๙", do="save")
    assert _column(archive, corpus.public) == 0.95
    _reextract(archive, corpus.public, {**HIGH, "subject": 0.2, "number": 0.1})
    assert _column(archive, corpus.public) == 0.2  # the number stays the clerk's (1.0)
    with archive.db.session() as session:
        edit_record(session, corpus.public, {"subject": "แก้แล้ว"}, actor="clerk")
        confirm_fields(session, corpus.public, REVIEW_FIELDS, actor="clerk")
    assert _column(archive, corpus.public) is None  # out of the queue for any threshold
    assert corpus.public not in _ids(archive, threshold=1.0)


def test_a_core_insert_fills_the_column_too(archive: Archive):
    with archive.db.session() as session:
        file_id = session.scalar(insert(StoredFile).returning(StoredFile.id).values(
            sha256="a" * 64, size=1, mime="text/plain", original_name="x.txt"))
        record_id = session.scalar(insert(Record).returning(Record.id).values(
            file_id=file_id, confidence={**HIGH, "urgency": 0.6}, corrected_fields={}))
    assert _column(archive, record_id) == 0.6


def _ids(archive: Archive, threshold: float = 0.8,
         clearance: Secrecy = Secrecy.top_secret) -> list[int]:
    with archive.db.session() as session:
        return queued_ids(session, clearance, threshold)


# -- (b) migration 0006 fills in records written before it -----------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path: Path) -> Iterator[Engine]:
    """An empty database on the embedded SQLite and on a real PostgreSQL."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_server").new_database("rq")
    else:
        url = f"sqlite:///{tmp_path / 'old.db'}"
    made = create_engine(url)
    yield made
    made.dispose()


def _migrate(engine: Engine, revision: str, down: bool = False) -> None:
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _old_row(file_id: int, confidence: dict[str, object],
             corrected: dict[str, object]) -> dict[str, object]:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return {"file_id": file_id, "status": "ok", "error": "", "warnings": [], "circular": False,
            "secrecy": "none", "urgency": "normal", "references": [], "enclosures": [],
            "confidence": confidence, "field_sources": {}, "corrected_fields": corrected,
            "text": "", "raw_text": "", "page_count": 1, "text_method": "text",
            "ocr_seconds": 0.0, "indexed_version": 0, "version": 1, "created_at": now,
            "updated_at": now}


def test_migration_0006_backfills_rows_written_before_it(engine: Engine):
    _migrate(engine, "0005_review")
    old = [({**HIGH, "date": 0.42}, {}), ({}, {}), (HIGH, {name: {} for name in REVIEW_FIELDS}),
           ({**HIGH, "to": 0.1}, {"to": {"by": "clerk"}})]
    old += [({**HIGH, "number": n / 10_000}, {}) for n in range(2001)]  # more than one batch
    with engine.begin() as conn:
        tables = MetaData()
        files, records = (Table(name, tables, autoload_with=conn) for name in ("files", "records"))
        conn.execute(insert(files), [{"id": i + 1, "sha256": f"{i:064x}", "size": 1,
                                      "mime": "text/plain", "original_name": f"{i}.txt",
                                      "original_path": "", "created_at": dt.datetime.now(dt.UTC)}
                                     for i in range(len(old))])
        conn.execute(insert(records), [_old_row(i + 1, confidence, corrected)
                                       for i, (confidence, corrected) in enumerate(old)])
    _migrate(engine, "head")
    with engine.connect() as conn:
        got = dict(conn.execute(select(Record.file_id, Record.review_confidence)).all())
    assert got[1] == 0.42 and got[2] == 0.0 and got[3] is None and got[4] == 0.95
    assert got[5] == 0.0 and got[len(old)] == 0.2  # the first and the last of the batches
    assert all(got[i + 1] == review_confidence(*old[i]) for i in range(len(old)))
    assert "ix_records_review" in {ix["name"] for ix in inspect(engine).get_indexes("records")}
    _migrate(engine, "0005_review", down=True)
    assert "review_confidence" not in {c["name"] for c in inspect(engine).get_columns("records")}


# -- (c) a page reads only what it shows -----------------------------------------------------


def _fill_queue(archive: Archive, n: int) -> list[int]:
    """`n` queued records, one in 51 of them secret; the ids of the others, oldest first."""
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with archive.db.session() as session:
        file_ids = list(session.scalars(insert(StoredFile).returning(
            StoredFile.id, sort_by_parameter_order=True), [
            {"sha256": f"{i:064x}", "size": 1, "mime": "text/plain",
             "original_name": f"{i}.txt"} for i in range(n)]))
        rows = [{"file_id": file_id, "status": RecordStatus.ok, "subject": f"หนังสือ {i}",
                 "secrecy": Secrecy.secret if i % 51 == 50 else Secrecy.none,
                 "confidence": {**HIGH, "date": 0.5}, "corrected_fields": {},
                 "created_at": start + dt.timedelta(minutes=n - i)}  # newest id oldest
                for i, file_id in enumerate(file_ids)]
        ids = list(session.scalars(insert(Record).returning(
            Record.id, sort_by_parameter_order=True), rows))
    return [rid for rid, row in sorted(zip(ids, rows, strict=True),
                                       key=lambda pair: pair[1]["created_at"])
            if row["secrecy"] == Secrecy.none]


def test_a_page_of_the_queue_loads_only_its_records(archive: Archive,
                                                    monkeypatch: pytest.MonkeyPatch):
    queued = _fill_queue(archive, 510)
    assert len(queued) == 500  # ten of them secret
    statements: list[str] = []
    loaded: list[int] = []
    judged: list[int] = []

    def count_statement(_conn, _cursor, sql, *_args):  # type: ignore[no-untyped-def]
        statements.append(sql)

    def count_judged(confidence, corrected, threshold):  # type: ignore[no-untyped-def]
        judged.append(1)
        return low_fields(confidence, corrected, threshold)

    def count_loaded(record: Record, _context: object) -> None:
        loaded.append(record.id)

    monkeypatch.setattr(review_queue, "low_fields", count_judged)
    event.listen(archive.db.engine, "before_cursor_execute", count_statement)
    event.listen(Record, "load", count_loaded)
    try:
        with archive.db.session() as session:
            page = review_page(session, Secrecy.none, 0.8, page=3)
            after = next_in_queue(session, Secrecy.none, 0.8, queued[45])
    finally:
        event.remove(archive.db.engine, "before_cursor_execute", count_statement)
        event.remove(Record, "load", count_loaded)
    assert page.total == 500 and page.pages == 25 and page.page == 3
    assert [entry.record.id for entry in page.entries] == queued[40:60]
    assert all(entry.fields == ["date"] and entry.lowest == 0.5 for entry in page.entries)
    assert sorted(loaded) == sorted(queued[40:60])  # 20 records read, not 500
    assert len(judged) == 20
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 4  # count, the page's ids, its records; next in one query
    assert after == min((i for i in queued if i > queued[45]), key=queued.index)


def test_the_queue_query_uses_its_index_on_sqlite(archive: Archive):
    _fill_queue(archive, 60)
    query = (select(Record.id).where(*review_queue._in_queue(Secrecy.none, 0.8))
             .order_by(*review_queue.ORDER).limit(20).offset(20))
    with archive.db.engine.connect() as conn:
        sql = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
    assert "COVERING INDEX ix_records_review" in plan
