"""The index outbox (issue 5): changes queue in their transaction, delivery survives outages."""

from __future__ import annotations

import datetime as dt
import shutil
import time

import pytest
from sqlalchemy import func, select

from cli.samples_records import sample_records
from conftest import add_record
from index.backend import SearchRequest, SuggestRequest
from index.opensearch_backend import OpenSearchBackend
from index.outbox import OutboxWorker, deliver_all
from index.service import search
from ingest.archive import Archive
from schemas.enums import RecordStatus, Secrecy
from schemas.settings import Settings
from schemas.tables import IndexOutbox, Record, StoredFile
from servers import OpenSearchNode, server_root
from store.outbox import lag
from store.records import edit_record


def _outbox(archive) -> list[tuple[int, str]]:
    with archive.db.session() as session:
        return [(r.record_id, r.action) for r in
                session.scalars(select(IndexOutbox).order_by(IndexOutbox.id))]


def test_a_change_queues_an_outbox_row_in_its_own_transaction(archive):
    record_id = add_record(archive, subject="ทดสอบคิวดัชนี")  # delivered at once
    assert _outbox(archive) == []
    with pytest.raises(RuntimeError), archive.db.session() as session:
        edit_record(session, record_id, {"subject": "แก้แล้วยกเลิก"}, actor="t")
        session.flush()
        assert len(session.scalars(select(IndexOutbox)).all()) == 1
        raise RuntimeError("roll back")
    assert _outbox(archive) == []  # the rolled-back edit queued nothing
    with archive.db.session() as session:
        edit_record(session, record_id, {"subject": "แก้ไขเรื่องแล้ว"}, actor="t")
    assert _outbox(archive) == [(record_id, "upsert")]
    with archive.db.session() as session:
        session.delete(session.get(Record, record_id))
    assert _outbox(archive)[-1] == (record_id, "delete")
    assert deliver_all(archive.db, archive.backend) == 2
    assert _outbox(archive) == [] and archive.backend.count() == 0


def _unreachable(home) -> OpenSearchBackend:
    from servers import free_port

    return OpenSearchBackend(Settings(home=home, search="opensearch",
                                      opensearch_url=f"http://127.0.0.1:{free_port()}"))


def test_backend_down_intake_goes_on_search_degraded_and_backs_off(archive, tmp_path):
    down = _unreachable(tmp_path)
    with archive.db.session() as session:
        session.add(Record(file=StoredFile(sha256="a" * 64, size=1, mime="text/plain",
                                           original_name="a.txt"),
                           status=RecordStatus.ok, subject="ส่งระหว่างดัชนีล่ม"))
    assert deliver_all(archive.db, down) == 0
    with archive.db.session() as session:
        behind = lag(session)
    assert behind.pending == 1 and behind.failing == 1
    assert "OpenSearch" in behind.last_error and behind.next_try is not None
    assert deliver_all(archive.db, down) == 0  # not due yet: no second try before backoff
    with archive.db.session() as session:
        assert session.scalar(select(IndexOutbox.attempts)) == 1
    response = search(archive.db, down, SearchRequest(query="ดัชนี"))
    assert response.degraded and response.total == 0
    assert "degraded" in response.as_json()
    behind_note = search(archive.db, archive.backend, SearchRequest(query="ดัชนี")).degraded
    assert "1" in behind_note  # the embedded index answers, but says a change is waiting
    assert deliver_all(archive.db, archive.backend, ignore_backoff=True) == 1
    assert search(archive.db, archive.backend, SearchRequest(query="ดัชนีล่ม")).degraded == ""


# -- a real outage ------------------------------------------------------------
@pytest.fixture
def own_node():
    """An OpenSearch node of this test alone: it gets killed."""
    root = server_root("opensearch-outage")
    node = OpenSearchNode(root).start()
    yield node
    node.stop()
    shutil.rmtree(root, ignore_errors=True)


def _wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)  # polling interval of a condition, not a synchronisation sleep


@pytest.mark.opensearch
def test_kill_opensearch_while_ingesting_1000_records(tmp_path, own_node):
    settings = Settings(home=tmp_path / "home", search="opensearch", opensearch_url=own_node.url,
                        opensearch_index="outage", opensearch_timeout=5)
    archive = Archive.open(settings)
    worker = OutboxWorker(archive.db, archive.backend, poll_seconds=0.05,
                          max_backoff=dt.timedelta(seconds=2))
    thread = worker.start()
    letters = list(sample_records(1000, seed=11))
    try:
        for start in range(0, 1000, 25):
            if start == 400:  # kill it while the worker is delivering
                _wait_until(lambda: archive.backend.count() > 0, 60, "a first delivery")
                own_node.kill()
            with archive.db.session() as session:  # intake through the ORM, as ingest does
                for letter in letters[start:start + 25]:
                    session.add(Record(
                        file=StoredFile(sha256=f"{start:032x}{letter.name[-12:]:>32}"[:64],
                                        size=len(letter.text), mime="text/plain",
                                        original_name=letter.name),
                        status=RecordStatus.ok, subject=letter.subject, text=letter.text,
                        number=letter.number, date=letter.date, from_org=letter.from_org,
                        kind=letter.kind, secrecy=letter.secrecy, urgency=letter.urgency))
        with archive.db.session() as session:
            assert session.scalar(select(func.count()).select_from(Record)) == 1000
            _wait_until(lambda: lag(session).failing > 0, 30, "a failed delivery")
        response = search(archive.db, archive.backend, SearchRequest(query="สถานศึกษา"))
        assert response.degraded  # search says so while OpenSearch is down
        own_node.start()  # same data directory and port
        def caught_up() -> bool:
            with archive.db.session() as session:
                return lag(session).pending == 0
        _wait_until(caught_up, 120, "the index to catch up")
    finally:
        worker.stop()
        thread.join()
    assert archive.backend.count() == 1000
    everything = search(archive.db, archive.backend,
                        SearchRequest(query="", clearance=Secrecy.top_secret, limit=1))
    assert everything.total == 1000 and everything.degraded == ""
    archive.close()


def test_web_search_shows_a_degraded_banner_while_the_backend_is_down(tmp_path):
    from fastapi.testclient import TestClient

    from servers import free_port
    from web.app import create_app
    from web_support import PASSWORD, open_archive

    archive = open_archive(tmp_path / "home", search="opensearch",
                           opensearch_url=f"http://127.0.0.1:{free_port()}")
    try:
        with TestClient(create_app(archive), follow_redirects=False) as client:
            signed_in = client.post("/login", data={"username": "reader", "password": PASSWORD})
            assert signed_in.status_code == 303
            page = client.get("/", params={"q": "ประชุม"})
            assert page.status_code == 200
            assert 'id="search-degraded"' in page.text and "degraded" in page.text
            api = client.get("/api/search", params={"q": "ประชุม"}).json()
            assert api["total"] == 0 and "degraded" in api["degraded"]
    finally:
        archive.close()


@pytest.mark.opensearch
def test_reindex_swaps_a_new_index_in_with_no_downtime(archive, opensearch_node):
    from index.sync import reindex

    ids = [add_record(archive, subject=f"ขอเชิญประชุมครั้งที่ {n}") for n in range(3)]
    backend = OpenSearchBackend(Settings(home=archive.settings.home, search="opensearch",
                                         opensearch_url=opensearch_node.url,
                                         opensearch_index="swap"))
    assert reindex(archive.db, backend) == 3
    first = set(backend.client.indices.get_alias(name="swap"))

    seen_during: list[int] = []

    def edit_meanwhile(done: int, total: int) -> None:
        # While the new index fills, the live one still answers in full, and an
        # edit made now (after its record was copied) must reach the new index.
        seen_during.append(backend.search(SearchRequest(query="ประชุม")).total)
        with archive.db.session() as session:
            edit_record(session, ids[0], {"subject": "ขอเชิญประชุมลูกเสือ"}, actor="t")

    assert reindex(archive.db, backend, progress=edit_meanwhile) == 3
    second = set(backend.client.indices.get_alias(name="swap"))
    assert seen_during == [3]
    assert len(second) == 1 and second != first  # a new versioned index behind the alias
    assert not backend.client.indices.exists(index=list(first))  # the old one is gone
    assert [h.record_id for h in backend.search(SearchRequest(query="ลูกเสือ")).hits] == [ids[0]]
    assert backend.count() == 3


@pytest.mark.opensearch
def test_an_index_of_an_older_mapping_takes_writes_until_reindex_replaces_it(archive,
                                                                             opensearch_node):
    from index.sync import reindex

    settings = Settings(home=archive.settings.home, search="opensearch",
                        opensearch_url=opensearch_node.url, opensearch_index="upgrade")
    client = OpenSearchBackend(settings).client
    # what mapping version 1 created: fewer fields, strict
    client.indices.create(index="upgrade-old", body={
        "settings": {"analysis": {"analyzer": {"presegmented": {
            "type": "custom", "tokenizer": "whitespace"}}}},
        "mappings": {"dynamic": "strict", "properties": {
            "record_id": {"type": "long"},
            "words": {"type": "text", "analyzer": "presegmented"},
            "secrecy_level": {"type": "integer"}, "day": {"type": "integer"}}},
        "aliases": {"upgrade": {"is_write_index": True}}})
    ids = [add_record(archive, subject=f"ขอเชิญประชุมลูกเสือครั้งที่ {n}") for n in range(2)]
    backend = OpenSearchBackend(settings)
    backend.upsert([index_doc_of(archive, ids[0])])  # the new fields are added, not refused
    assert backend.contains(ids[0]) and not backend.contains(ids[1])
    assert reindex(archive.db, backend) == 2
    assert set(client.indices.get_alias(name="upgrade")) != {"upgrade-old"}
    assert not client.indices.exists(index="upgrade-old")
    assert {h.record_id for h in backend.search(SearchRequest(query="ลูกเสือ")).hits} == set(ids)
    assert [s.text for s in backend.suggest(SuggestRequest("ขอเชิญ"))][:1] == [
        "ขอเชิญประชุมลูกเสือครั้งที่ 0"]


def index_doc_of(archive, record_id):
    from index.documents import index_doc

    with archive.db.session() as session:
        return index_doc(session.get(Record, record_id))
