"""Search features through the web app: help, did-you-mean, type-ahead, threads, no leaks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_support import (
    PUBLIC_SUBJECT,
    REPLY_SUBJECT,
    SECRET_REPLY_SUBJECT,
    SECRET_SENDER,
    add_corpus,
    add_thread,
    open_archive,
    signed_in_client,
)

from ingest.archive import Archive


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Archive, dict[str, int]]]:
    """One archive for the module: the three letters plus a thread (read-only tests)."""
    archive = open_archive(tmp_path_factory.mktemp("web-search") / "home")
    corpus = add_corpus(archive)
    reply, secret = add_thread(archive, corpus)
    yield archive, {"public": corpus.public, "reply": reply, "secret_reply": secret,
                    "secret": corpus.secret}
    archive.close()


def test_search_page_has_the_query_help_in_thai_and_english(site):
    archive, _ = site
    html = signed_in_client(archive, "reader").get("/").text
    assert "วิธีพิมพ์คำค้น" in html and "query language" in html
    for example in ("2561..2563", "ม.ค. 2565", "เรื่อง:ประชุม", "จาก:", "ถึง:", "ประกาศ*"):
        assert example in html


def test_did_you_mean_link(site):
    archive, _ = site
    html = signed_in_client(archive, "reader").get("/", params={"q": "อนุเคราะห"}).text
    assert 'id="did-you-mean"' not in html or "อนุเคราะห์" in html
    html = signed_in_client(archive, "reader").get("/", params={"q": "สถานทื่"}).text
    assert 'id="did-you-mean"' in html and "สถานที่" in html


def test_new_facets_are_listed(site):
    archive, _ = site
    html = signed_in_client(archive, "reader").get("/").text
    for title in ("เดือน", "ถึง (กลุ่มผู้รับ)", "สิ่งที่ส่งมาด้วย", "ทะเบียน"):
        assert title in html


def test_suggest_api_within_clearance(site):
    archive, _ = site
    reader = signed_in_client(archive, "reader").get("/api/suggest", params={"q": "รายงาน"}).json()
    assert SECRET_REPLY_SUBJECT not in str(reader)
    officer = signed_in_client(archive, "officer").get("/api/suggest", params={"q": "รายงาน"}).json()
    assert SECRET_REPLY_SUBJECT in [s["text"] for s in officer["suggestions"]]
    senders = signed_in_client(archive, "reader").get("/api/suggest", params={"q": "กอง"}).json()
    assert SECRET_SENDER not in str(senders)


def test_record_page_shows_thread_both_ways(site):
    archive, ids = site
    reader = signed_in_client(archive, "reader")
    public = reader.get(f"/records/{ids['public']}").text
    assert "หนังสือที่อ้างถึงฉบับนี้" in public and REPLY_SUBJECT in public
    assert SECRET_REPLY_SUBJECT not in public
    reply = reader.get(f"/records/{ids['reply']}").text
    assert f'href="/records/{ids["public"]}"' in reply and PUBLIC_SUBJECT in reply
    officer = signed_in_client(archive, "officer").get(f"/records/{ids['public']}").text
    assert SECRET_REPLY_SUBJECT in officer


def test_thread_api_within_clearance(site):
    archive, ids = site
    body = signed_in_client(archive, "reader").get(f"/api/records/{ids['public']}/thread").json()
    assert [hit["record_id"] for hit in body["cited_by"]] == [ids["reply"]]
    hidden = signed_in_client(archive, "reader").get(f"/api/records/{ids['secret_reply']}/thread")
    assert hidden.status_code == 404
