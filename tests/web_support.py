"""Shared pieces of the web tests: a small archive of letters, users, signing in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.sync import sync_pending
from ingest.archive import Archive
from schemas.enums import RecordStatus, Role, Secrecy
from schemas.settings import Settings
from schemas.tables import Record, StoredFile
from store.audit import record_event
from store.users import add_user

PASSWORD = "correct-horse-battery"
SECRET_SUBJECT = "แผนย้ายกำลังพลลับเฉพาะเกาะช้าง"
SECRET_SENDER = "กองอำนวยการรักษาความมั่นคงภายใน"
PUBLIC_SUBJECT = "ขอความอนุเคราะห์ใช้สถานที่จัดประชุมครู"
MEMO_SUBJECT = "รายงานผลการอบรมครูภาษาไทย"
SENDER = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาลำปาง เขต 1"

USERS = {  # username: (role, clearance)
    "reader": (Role.reader, Secrecy.none),
    "clerk": (Role.clerk, Secrecy.none),
    "officer": (Role.records_officer, Secrecy.secret),
    "admin": (Role.admin, Secrecy.top_secret),
}


@dataclass
class Corpus:
    """Ids of the letters every web test starts with."""

    public: int
    memo: int
    secret: int


def open_archive(home: Path, **settings: object) -> Archive:
    """A fresh archive under `home` with the four test users."""
    archive = Archive.open(Settings(home=home, secret_key="test-secret-key-0123456789",
                                    **settings))  # type: ignore[arg-type]
    with archive.db.session() as session:
        for username, (role, clearance) in USERS.items():
            add_user(session, username, PASSWORD, role=role, clearance=clearance,
                     display_name=f"คุณ{username}")
    return archive


def add_record(archive: Archive, *, subject: str, text: str, name: str = "letter.txt",
               mime: str = "text/plain", data: bytes | None = None,
               secrecy: Secrecy = Secrecy.none, kind: str = "external",
               date: dt.date | None = None, from_org: str | None = None,
               number: str | None = None, urgency: str = "normal",
               status: RecordStatus = RecordStatus.ok, confidence: dict[str, float] | None = None,
               page_count: int = 0, warnings: list[str] | None = None, error: str = "",
               references: list[dict[str, str]] | None = None, to: str | None = None) -> int:
    """Store one file and its record directly (no OCR), ready for indexing."""
    payload = data if data is not None else text.encode()
    sha = archive.blobs.put_bytes(payload)
    with archive.db.session() as session:
        stored = StoredFile(sha256=sha, size=len(payload), mime=mime, original_name=name)
        session.add(stored)
        session.flush()
        record = Record(file_id=stored.id, status=status, subject=subject, text=text,
                        secrecy=secrecy, kind=kind, date=date, from_org=from_org, number=number,
                        urgency=urgency, confidence=confidence or {}, page_count=page_count,
                        warnings=warnings or [], error=error, text_method="text",
                        references=references or [], to=to)
        session.add(record)
        session.flush()
        record_event(session, "test", "ingest.stored", record.id, name=name)
        return record.id


def add_corpus(archive: Archive) -> Corpus:
    """Two ordinary letters and one ลับมาก letter that also matches อนุเคราะห์."""
    public = add_record(
        archive, subject=PUBLIC_SUBJECT, number="ศธ 04049/508", date=dt.date(2016, 3, 3),
        from_org=SENDER, urgency="urgent", name="ขอใช้สถานที่.txt",
        text=f"ที่ ศธ 04049/508\nเรื่อง {PUBLIC_SUBJECT}\nเรียน ผู้อำนวยการโรงเรียน\n"
             "ด้วยสำนักงานขอความอนุเคราะห์ใช้ห้องประชุมของโรงเรียน",
        confidence={"number": 0.97, "date": 0.42, "subject": 0.91, "from_org": 0.8})
    memo = add_record(
        archive, subject=MEMO_SUBJECT, kind="memo", date=dt.date(2017, 6, 1), from_org=SENDER,
        text=f"บันทึกข้อความ\nเรื่อง {MEMO_SUBJECT}\nการอบรมครูภาษาไทยเสร็จสิ้นแล้ว",
        name="memo.txt")
    secret = add_record(
        archive, subject=SECRET_SUBJECT, secrecy=Secrecy.secret, date=dt.date(2018, 1, 9),
        from_org=SECRET_SENDER, name="secret-plan.txt",
        text=f"ลับมาก\nเรื่อง {SECRET_SUBJECT}\nขอความอนุเคราะห์เตรียมการตามแผนลับ")
    sync_pending(archive.db, archive.backend)
    return Corpus(public, memo, secret)


REPLY_SUBJECT = "ตอบรับการใช้สถานที่จัดประชุมครู"
SECRET_REPLY_SUBJECT = "รายงานลับการตรวจสถานที่จัดประชุม"


def add_thread(archive: Archive, corpus: Corpus) -> tuple[int, int]:
    """A reply citing the public letter (ศธ 04049/508 of 3 March 2016), and a ลับมาก one."""
    cite = [{"number": "ศธ ๐๔๐๔๙/๕๐๘", "date": "2016-03-03"}]
    reply = add_record(archive, subject=REPLY_SUBJECT, number="ศธ 04176/ว12",
                       date=dt.date(2016, 4, 1), from_org="สพป.แพร่ เขต 1", references=cite,
                       text=f"เรื่อง {REPLY_SUBJECT}\nอ้างถึง หนังสือ ที่ ศธ ๐๔๐๔๙/๕๐๘", name="reply.txt")
    secret = add_record(archive, subject=SECRET_REPLY_SUBJECT, number="ศธ 04176/99",
                        secrecy=Secrecy.secret, date=dt.date(2016, 5, 1), references=cite,
                        from_org=SECRET_SENDER, text=SECRET_REPLY_SUBJECT, name="secret-reply.txt")
    sync_pending(archive.db, archive.backend)
    return reply, secret


def csrf_of(html: str) -> str:
    """The CSRF token printed in a page (sign-out form or upload form)."""
    found = re.search(r'name="csrf" value="([^"]+)"', html) or \
        re.search(r'data-csrf="([^"]+)"', html)
    assert found, "page carries no CSRF token"
    return found.group(1)


# Fixtures a web test module takes by importing them:
#     from web_support import archive, client, corpus, sign_in  # noqa: F401


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    """A fresh archive with the test users (reader, clerk, officer ≤ ลับมาก, admin)."""
    opened = open_archive(tmp_path / "home")
    yield opened
    opened.close()


@pytest.fixture
def corpus(archive: Archive) -> Corpus:
    """The three letters of `add_corpus` (one ลับมาก), indexed."""
    return add_corpus(archive)


@pytest.fixture
def client(archive: Archive) -> Iterator[TestClient]:
    """A client of a fresh app over `archive`; nobody signed in."""
    from web.app import create_app

    with TestClient(create_app(archive), follow_redirects=False) as test_client:
        yield test_client


def sign_in(client: TestClient, username: str) -> None:
    """Sign `username` in through the form (the cookie stays on the client)."""
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 303, response.text


def signed_in_client(archive: Archive, username: str) -> TestClient:
    """A client of a fresh app over `archive`, signed in as `username` (cookie kept)."""
    from web.app import create_app

    client = TestClient(create_app(archive), follow_redirects=False)
    sign_in(client, username)
    return client
