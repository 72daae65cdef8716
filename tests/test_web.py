"""The web app through FastAPI's TestClient, over a real archive in a temporary home."""

from __future__ import annotations

import io
import re
import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from web_support import (
    MEMO_SUBJECT,
    PASSWORD,
    PUBLIC_SUBJECT,
    SECRET_SENDER,
    SECRET_SUBJECT,
    Corpus,
    add_record,
    csrf_of,
)
from web_support import archive, client, corpus, sign_in  # noqa: F401  (fixtures)

from ingest.archive import Archive
from schemas.enums import RecordStatus, Secrecy
from schemas.tables import Record, StoredFile
from web.app import create_app


def upload(client: TestClient, files: list[tuple[str, bytes]]) -> dict:
    """POST /upload as the upload page's script does; return the JSON answer."""
    token = csrf_of(client.get("/upload").text)
    response = client.post("/upload", headers={"X-CSRF-Token": token, "Accept": "application/json"},
                           files=[("files", (name, io.BytesIO(data), "text/plain"))
                                  for name, data in files])
    assert response.status_code == 200, response.text
    return response.json()


def wait_for_batch(client: TestClient, batch: str) -> dict:
    """Join the batch's runner thread, then return /api/jobs for it (finished)."""
    thread: threading.Thread | None = client.app.state.ingest_threads.get(batch)  # type: ignore[attr-defined]
    if thread is not None:
        thread.join(timeout=120)
        assert not thread.is_alive(), "intake did not finish in two minutes"
    jobs = client.get(f"/api/jobs/{batch}").json()
    assert jobs["finished"], jobs
    return jobs


# -- signing in ------------------------------------------------------------------------------

def test_pages_need_sign_in(client: TestClient, corpus: Corpus) -> None:
    assert client.get("/").headers["location"] == "/login"
    assert client.get(f"/records/{corpus.public}").headers["location"] == \
        f"/login?next=%2Frecords%2F{corpus.public}"
    api = client.get("/api/search", params={"q": "ครู"})
    assert api.status_code == 401 and "error" in api.json()
    assert client.get("/upload").status_code == 303


def test_wrong_password_is_refused_in_thai(client: TestClient) -> None:
    for username in ("reader", "nobody"):
        response = client.post("/login", data={"username": username, "password": "wrong-pass"})
        assert response.status_code == 401
        assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.text
    assert client.get("/").status_code == 303


def test_sign_in_returns_to_wanted_page_and_sign_out(client: TestClient, corpus: Corpus) -> None:
    response = client.post("/login", data={"username": "reader", "password": PASSWORD,
                                           "next": f"/records/{corpus.public}"})
    assert response.headers["location"] == f"/records/{corpus.public}"
    evil = client.post("/login", data={"username": "reader", "password": PASSWORD,
                                       "next": "//evil.example/"})
    assert evil.headers["location"] == "/"
    page = client.get("/").text
    assert "คุณreader" in page and "ออกจากระบบ" in page and "นำเข้าเอกสาร" not in page
    assert client.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert client.post("/logout", data={"csrf": csrf_of(page)}).status_code == 303
    assert client.get("/").status_code == 303


# -- searching -------------------------------------------------------------------------------

def test_search_shows_hits_facets_and_be_dates(client: TestClient, corpus: Corpus) -> None:
    sign_in(client, "reader")
    page = client.get("/", params={"q": "อนุเคราะห์"}).text
    assert "พบ 1 ฉบับ" in page
    assert PUBLIC_SUBJECT in page and f'href="/records/{corpus.public}"' in page
    assert "<mark>" in page
    assert "3 มีนาคม 2559" in page  # Buddhist-Era date
    assert "ด่วน" in page  # urgency badge
    assert re.search(r'data-facet="kind:external">.*?<span class="count">1</span>', page, re.S)

    everything = client.get("/").text
    assert "พบ 2 ฉบับ" in everything and MEMO_SUBJECT in everything
    assert re.search(r'data-facet="year:2559">.*?<span class="count">1</span>', everything, re.S)
    assert re.search(r'data-facet="year:2560">.*?<span class="count">1</span>', everything, re.S)

    memo_only = client.get("/", params=[("f", "kind:memo")]).text
    assert "พบ 1 ฉบับ" in memo_only and MEMO_SUBJECT in memo_only
    assert PUBLIC_SUBJECT not in memo_only
    assert 'aria-current="true" data-facet="kind:memo"' in memo_only


def test_search_sorts_and_ignores_unknown_filters(client: TestClient, corpus: Corpus) -> None:
    sign_in(client, "reader")
    newest = client.get("/", params={"sort": "date_desc"}).text
    oldest = client.get("/", params=[("sort", "date_asc"), ("f", "nonsense:1"), ("f", "x")]).text
    assert newest.index(MEMO_SUBJECT) < newest.index(PUBLIC_SUBJECT)
    assert oldest.index(PUBLIC_SUBJECT) < oldest.index(MEMO_SUBJECT)


def test_api_search_json(client: TestClient, corpus: Corpus) -> None:
    sign_in(client, "reader")
    body = client.get("/api/search", params={"q": "ครู", "filter": "kind:memo"}).json()
    assert set(body) == {"total", "hits", "facets", "did_you_mean"}
    assert body["total"] == 1 and body["hits"][0]["subject"] == MEMO_SUBJECT
    # disjunctive counts: the kind facet ignores its own filter (index/facets.py)
    kinds = {v["value"]: v["count"] for v in body["facets"]["kind"]}
    assert kinds == {"memo": 1, "external": 1}


# -- secrecy -----------------------------------------------------------------------------------

def test_reader_never_sees_a_secret_record(client: TestClient, corpus: Corpus) -> None:
    sign_in(client, "reader")
    bodies = []
    for params in ({"q": "อนุเคราะห์"}, {"q": "แผนย้ายกำลังพล"}, {},
                   [("f", "secrecy:secret")], [("f", f"sender:{SECRET_SENDER}")],
                   [("f", "year:2561")]):
        response = client.get("/", params=params)
        assert response.status_code == 200
        bodies.append(response.text)
    assert "พบ 1 ฉบับ" in bodies[0] and "พบ 0 ฉบับ" in bodies[1] and "พบ 2 ฉบับ" in bodies[2]
    assert "data-facet=\"secrecy:secret\"" not in bodies[2]
    assert "year:2561" not in bodies[2] and SECRET_SENDER not in bodies[2]
    for route in ("", "/original", "/archival.pdf", "/pages/1.png"):
        response = client.get(f"/records/{corpus.secret}{route}")
        assert response.status_code == 404, route
        bodies.append(response.text)
    missing = client.get("/records/999999")
    assert missing.status_code == 404
    assert missing.text.replace("999999", str(corpus.secret)) == bodies[-4]  # same answer
    api = client.get("/api/search", params={"q": "อนุเคราะห์"})
    assert api.json()["total"] == 1
    assert all(v["value"] != "secret" for v in api.json()["facets"]["secrecy"])
    bodies.append(api.text)
    bodies.append(client.get("/api/search", params={"filter": "secrecy:secret"}).text)
    for body in bodies:
        assert SECRET_SUBJECT not in body
        assert "แผนลับ" not in body


def test_cleared_officer_sees_the_secret_record(client: TestClient, corpus: Corpus) -> None:
    sign_in(client, "officer")
    page = client.get("/", params={"q": "อนุเคราะห์"}).text
    assert "พบ 2 ฉบับ" in page and SECRET_SUBJECT in page and "ลับมาก" in page
    record = client.get(f"/records/{corpus.secret}")
    assert record.status_code == 200 and SECRET_SUBJECT in record.text
    assert client.get(f"/records/{corpus.secret}/original").content.decode() .startswith("ลับมาก")


# -- the record page ------------------------------------------------------------------------

def test_record_page_metadata_confidence_and_audit(client: TestClient, corpus: Corpus) -> None:
    sign_in(client, "reader")
    page = client.get(f"/records/{corpus.public}").text
    for label in ("ที่", "ลงวันที่", "เรื่อง", "เรียน", "จาก", "ชั้นความลับ", "ความเร่งด่วน",
                  "อ้างถึง", "สิ่งที่ส่งมาด้วย", "ผู้ลงนาม"):
        assert f"<th scope=\"row\">{label} <small" in page, label
    assert "ศธ 04049/508" in page and "3 มีนาคม 2559" in page
    assert re.search(r'<tr class="low">\s*<th scope="row">ลงวันที่', page)  # 0.42 < 0.6
    assert "97%" in page and "ควรตรวจสอบ" in page
    assert "<pre class=\"ocr-text\">" in page and "ห้องประชุม" in page
    assert "นำเข้าไฟล์" in page  # audit trail
    assert f'/records/{corpus.public}/original' in page


def test_flagged_and_failed_records_show_why(archive: Archive, client: TestClient) -> None:
    flagged = add_record(archive, subject="หนังสือไม่ชัด", text="อ่านไม่ชัด",
                         status=RecordStatus.flagged, warnings=["อ่านเรื่องได้ไม่ชัด"])
    failed = add_record(archive, subject=None, text="", name="broken.pdf",  # type: ignore[arg-type]
                        status=RecordStatus.failed, error="ไฟล์เสียหาย อ่านไม่ได้")
    sign_in(client, "reader")
    assert "อ่านเรื่องได้ไม่ชัด" in client.get(f"/records/{flagged}").text
    # An unreadable file may carry any stamp: only top-secret readers see it.
    assert client.get(f"/records/{failed}").status_code == 404
    client.post("/logout", data={"csrf": client.cookies.get("csrf", "")})
    client.cookies.clear()
    sign_in(client, "admin")
    page = client.get(f"/records/{failed}").text
    assert "อ่านไฟล์นี้ไม่สำเร็จ" in page and "ไฟล์เสียหาย อ่านไม่ได้" in page


def test_pdf_pages_render_as_cached_png(archive: Archive, client: TestClient) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=24)
    pdf.cell(text="Page one")
    record_id = add_record(archive, subject="หนังสือสแกน", text="Page one", name="scan.pdf",
                           mime="application/pdf", data=bytes(pdf.output()), page_count=1)
    sign_in(client, "reader")
    assert f"/records/{record_id}/pages/1.png" in client.get(f"/records/{record_id}").text
    image = client.get(f"/records/{record_id}/pages/1.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    assert list((archive.settings.home / "thumbs").glob("*.png"))
    assert client.get(f"/records/{record_id}/pages/2.png").status_code == 404
    assert client.get(f"/records/{record_id}/archival.pdf").status_code == 404


def test_image_originals_are_shown_as_pages(archive: Archive, client: TestClient) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (2480, 3508), 255).save(buffer, format="TIFF")
    record_id = add_record(archive, subject="ภาพสแกน", text="", name="scan.tif",
                           mime="image/tiff", data=buffer.getvalue(), page_count=1)
    sign_in(client, "reader")
    image = client.get(f"/records/{record_id}/pages/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert client.get(f"/records/{record_id}/pages/0.png").status_code == 404


def test_original_download_names_are_rfc5987(archive: Archive, client: TestClient) -> None:
    record_id = add_record(archive, subject="ทดสอบ", text="ทดสอบ", name='หนังสือ "ด่วน";.txt')
    sign_in(client, "reader")
    response = client.get(f"/records/{record_id}/original")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="record-')
    assert "filename*=UTF-8''%E0%B8%AB" in disposition and '"ด่วน"' not in disposition
    assert response.headers["content-security-policy"] == "sandbox"


def test_errors_are_thai_pages_without_traces(client: TestClient) -> None:
    sign_in(client, "reader")
    for url in ("/records/424242", "/no-such-page"):
        response = client.get(url)
        assert response.status_code == 404 and "ไม่พบ" in response.text
        assert "Traceback" not in response.text
    assert client.get("/records/abc").status_code == 422
    assert client.get("/api/jobs/nope").json()["status"] == 403


# -- upload ----------------------------------------------------------------------------------

def test_reader_may_not_upload(client: TestClient) -> None:
    sign_in(client, "reader")
    page = client.get("/upload")
    assert page.status_code == 403 and "ไม่มีสิทธิ์นำเข้าเอกสาร" in page.text
    response = client.post("/upload", files=[("files", ("a.txt", b"x", "text/plain"))])
    assert response.status_code == 403


def test_upload_needs_the_csrf_token(client: TestClient) -> None:
    sign_in(client, "clerk")
    response = client.post("/upload", files=[("files", ("a.txt", b"x", "text/plain"))],
                           headers={"Accept": "application/json"})
    assert response.status_code == 403 and "error" in response.json()


def test_clerk_uploads_a_text_letter(archive: Archive, client: TestClient) -> None:
    sign_in(client, "clerk")
    letter = ("ที่ ศธ 04001/777\nเรื่อง ขอเชิญประชุมคณะกรรมการสถานศึกษา\n"
              "เรียน ผู้อำนวยการโรงเรียนบ้านหนองบัว\nด้วยจะมีการประชุมคณะกรรมการ\n")
    answer = upload(client, [("เชิญประชุม.txt", letter.encode())])
    [outcome] = answer["files"]
    assert outcome["status"] == "stored" and outcome["job_id"] and outcome["record_id"]
    jobs = wait_for_batch(client, answer["batch"])
    [job] = jobs["jobs"]
    assert job["status"] == "done" and job["stage_thai"] == "เสร็จแล้ว"
    assert job["file"] == "เชิญประชุม.txt" and job["record_url"] == f"/records/{job['record_id']}"
    page = client.get(job["record_url"]).text
    assert "ขอเชิญประชุมคณะกรรมการสถานศึกษา" in page and "เชิญประชุม.txt" in page
    found = client.get("/api/search", params={"q": "คณะกรรมการสถานศึกษา"}).json()
    assert found["total"] == 1
    again = upload(client, [("copy.txt", letter.encode())])
    assert again["files"][0]["status"] == "duplicate"
    assert client.get(f"/api/jobs/{answer['batch']}").status_code == 200
    sign_in(client, "officer")  # someone else's batch is not theirs to follow
    assert client.get(f"/api/jobs/{answer['batch']}").status_code == 404


def test_hostile_file_names_are_escaped_and_never_paths(archive: Archive,
                                                        client: TestClient) -> None:
    sign_in(client, "clerk")
    answer = upload(client, [("<script>alert(1)</script>.txt", "เรื่อง ทดสอบชื่อไฟล์หนึ่ง".encode()),
                             ("../../etc/passwd", "เรื่อง ทดสอบชื่อไฟล์สอง".encode())])
    assert [f["status"] for f in answer["files"]] == ["stored", "stored"]
    wait_for_batch(client, answer["batch"])
    with archive.db.session() as session:
        names = list(session.scalars(select(StoredFile.original_name).order_by(StoredFile.id)))
        paths = list(session.scalars(select(StoredFile.original_path)))
    assert all("/" not in name and not name.startswith(".") for name in names), names
    assert paths == ["", ""]
    assert not (archive.settings.home.parent / "etc").exists()
    assert not list(archive.settings.work_dir.glob("upload-*"))  # temporary copies removed
    for outcome in answer["files"]:
        page = client.get(f"/records/{outcome['record_id']}").text
        assert "<script>alert" not in page
    page = client.get(f"/records/{answer['files'][0]['record_id']}").text
    assert "&lt;script&gt;alert(1)&lt;_script&gt;.txt" in page
    original = client.get(f"/records/{answer['files'][1]['record_id']}/original")
    assert "/" not in original.headers["content-disposition"].split("filename*=")[0]


def test_files_over_the_limit_are_refused_in_thai(archive: Archive, client: TestClient) -> None:
    archive.settings.max_upload_mb = 1
    sign_in(client, "clerk")
    answer = upload(client, [("big.txt", b"a" * ((1 << 20) + 10)),
                             ("small.txt", "เรื่อง เล็ก".encode())])
    big, small = answer["files"]
    assert big["status"] == "failed" and "ใหญ่เกินกำหนด 1 MB" in big["error"]
    assert small["status"] == "stored"
    wait_for_batch(client, answer["batch"])
    with archive.db.session() as session:
        assert session.scalar(select(Record).where(Record.id == small["record_id"])) is not None


def test_thai_digits_setting(archive: Archive, corpus: Corpus) -> None:
    archive.settings.thai_digits = True
    with TestClient(create_app(archive), follow_redirects=False) as thai_client:
        sign_in(thai_client, "reader")
        page = thai_client.get("/", params={"q": "อนุเคราะห์"}).text
    assert "พบ ๑ ฉบับ" in page and "๓ มีนาคม ๒๕๕๙" in page
    assert Secrecy.secret.thai not in page
