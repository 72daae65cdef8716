"""Shared fixtures: a fresh archive per test, small and named for intent."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

from index.sync import sync_pending  # noqa: E402
from ingest.archive import Archive  # noqa: E402
from schemas.enums import RecordStatus, Secrecy  # noqa: E402
from schemas.settings import Settings  # noqa: E402
from schemas.tables import Record, StoredFile  # noqa: E402
from servers import (  # noqa: E402
    OpenSearchNode,
    Postgres,
    SecureOpenSearchNode,
    ServerUnavailable,
    server_root,
)

SERVER_MARKERS = {"postgres_server": "postgres", "opensearch_node": "opensearch",
                  "secure_opensearch_node": "opensearch"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a real server, so `-m "not opensearch"` can leave it out."""
    for item in items:
        for fixture, marker in SERVER_MARKERS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, marker))


def _session_server(kind, name: str):  # type: ignore[no-untyped-def]
    """Start a real server of class `kind` in its own directory; stop and remove it after."""
    root = server_root(name)
    server = kind(root)
    try:
        server.start()
    except ServerUnavailable as exc:
        server.stop()
        pytest.fail(str(exc))
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Postgres]:
    """A real PostgreSQL 15 on loopback for the whole session (issue 5)."""
    yield from _session_server(Postgres, "postgres")


@pytest.fixture(scope="session")
def opensearch_node() -> Iterator[OpenSearchNode]:
    """A real single-node OpenSearch on loopback for the whole session (issue 5)."""
    yield from _session_server(OpenSearchNode, "opensearch")


@pytest.fixture(scope="session")
def secure_opensearch_node() -> Iterator[SecureOpenSearchNode]:
    """A real OpenSearch node with the security plugin on: HTTPS, a password, the test CA."""
    yield from _session_server(SecureOpenSearchNode, "opensearch-secure")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium (browser tests; they skip without it)."""
    from browser_support import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser context (no cookies) at desktop size."""
    from browser_support import desktop_page

    opened = desktop_page(browser)
    yield opened
    opened.context.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings of an archive under the test's own folder."""
    return Settings(home=tmp_path / "home", ocr_workers=2)


@pytest.fixture
def archive(settings: Settings) -> Iterator[Archive]:
    """A freshly migrated, empty archive."""
    opened = Archive.open(settings)
    yield opened
    opened.close()


def add_record(archive: Archive, *, subject: str, text: str = "", number: str | None = None,
               secrecy: Secrecy = Secrecy.none, date: dt.date | None = None,
               from_org: str | None = None, kind: str = "external", name: str = "",
               **fields: object) -> int:
    """Insert a finished record straight into the store (no OCR) and index it.

    `fields` sets other record columns (to, urgency, references, enclosures, signer).
    """
    with archive.db.session() as session:
        digest = f"{abs(hash((subject, text, number, name))):064x}"[-64:]
        stored = StoredFile(sha256=digest, size=len(text), mime="text/plain",
                            original_name=name or f"{subject[:20]}.txt")
        session.add(stored)
        session.flush()
        record = Record(file_id=stored.id, status=RecordStatus.ok, subject=subject,
                        text=f"เรื่อง {subject}\n{text}", number=number, secrecy=secrecy,
                        date=date, from_org=from_org, kind=kind, **fields)
        session.add(record)
        session.flush()
        record_id = record.id
    sync_pending(archive.db, archive.backend)
    return record_id


SECRET_SUBJECT = "แผนย้ายคลังอาวุธลับเฉพาะกิจ"
SECRET_SENDER = "สพป.ลับ"


def add_four_letters(archive: Archive) -> dict[str, int]:
    """The index tests' letters: a building request, a circular citing it, a memo,
    and a ลับมาก letter whose text holds the others' words; name → record id."""
    return {
        "building": add_record(archive, subject="การขอใช้ที่ราชพัสดุเพื่อก่อสร้างอาคารเรียน",
                               number="ศธ 04049/508", date=dt.date(2016, 8, 2),
                               from_org="สพป.น่าน เขต 2"),
        "help": add_record(archive, subject="ขอความอนุเคราะห์ส่งบุคลากรเข้าร่วมอบรม",
                           number="ศธ 04176/ว3392", date=dt.date(2020, 1, 15),
                           from_org="สพป.แพร่ เขต 1", text="อ้างถึง หนังสือ ศธ 04049/508"),
        "meeting": add_record(archive, subject="ประชุมผู้บริหารสถานศึกษา ประจำปี ๒๕๖๓",
                              number="ศธ 04176/123", date=dt.date(2020, 6, 1),
                              from_org="สพป.แพร่ เขต 1", kind="memo"),
        "secret": add_record(archive, subject=SECRET_SUBJECT, number="ศธ 04049/ว999",
                             secrecy=Secrecy.secret, date=dt.date(2020, 3, 3),
                             from_org=SECRET_SENDER, text="ประชุม อาคารเรียน"),
    }
