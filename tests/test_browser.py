"""The web UI in Debian's Chromium through Playwright, against a live uvicorn server.

Screenshots go to /tmp/saraban-shots/ for people to look at; they are not asserted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_support import SHOTS, serving, skip_without_chromium, submit_login
from web_support import (PASSWORD, PUBLIC_SUBJECT, REPLY_SUBJECT, SECRET_REPLY_SUBJECT, SENDER,
                         add_corpus, add_record, add_thread, open_archive)

from index.sync import sync_pending
from web.app import create_app

pytestmark = pytest.mark.browser

THAI_FONT = Path("/usr/share/fonts/truetype/tlwg/Garuda.ttf")

skip_without_chromium()

from playwright.sync_api import Page, expect  # noqa: E402


@dataclass
class Live:
    """A running server: its base URL and the scanned letter's record id."""

    url: str
    scan_id: int
    public_id: int
    reply_id: int


def _scan_pdf() -> bytes:
    """A one-page letter (Thai when the TLWG fonts are installed) as a PDF."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    if THAI_FONT.exists():
        pdf.add_font("Garuda", fname=str(THAI_FONT))
        pdf.set_font("Garuda", size=16)
        lines = ["ที่ ศธ 04049/612", "เรื่อง ขอเชิญประชุมผู้บริหารสถานศึกษา",
                 "เรียน ผู้อำนวยการโรงเรียนทุกแห่ง"]
    else:
        pdf.set_font("helvetica", size=16)
        lines = ["Letter 04049/612", "Meeting of school heads"]
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """Uvicorn serving a fresh archive (three letters and a scanned PDF) on a free port."""
    archive = open_archive(tmp_path_factory.mktemp("browser") / "home")
    corpus = add_corpus(archive)
    reply_id, _secret = add_thread(archive, corpus)
    scan_id = add_record(
        archive, subject="ขอเชิญประชุมผู้บริหารสถานศึกษา", number="ศธ 04049/612",
        date=dt.date(2019, 8, 2), from_org=SENDER, name="scan.pdf", mime="application/pdf",
        data=_scan_pdf(), page_count=1, urgency="very_urgent",
        text="ที่ ศธ 04049/612\nเรื่อง ขอเชิญประชุมผู้บริหารสถานศึกษา",
        confidence={"number": 0.95, "date": 0.88, "subject": 0.93, "to": 0.55})
    sync_pending(archive.db, archive.backend)
    with serving(create_app(archive)) as url:
        yield Live(url, scan_id, corpus.public, reply_id)
    archive.close()


def sign_in(page: Page, live: Live, username: str) -> None:
    """Sign in through the form the way a person does."""
    page.goto(live.url + "/")
    expect(page).to_have_url(live.url + "/login")
    page.screenshot(path=str(SHOTS / "login.png"))
    submit_login(page, username, PASSWORD)
    expect(page.locator("#q")).to_be_visible()


def test_search_facet_and_record(page: Page, live: Live) -> None:
    sign_in(page, live, "reader")
    page.locator("#q").fill("อนุเคราะห์")
    page.locator("#q").press("Enter")
    expect(page.locator("#result-count")).to_contain_text("พบ 1 ฉบับ")
    expect(page.locator(".hit .snippet mark").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)

    page.goto(live.url + "/")
    page.locator('a[data-facet="kind:external"]').click()
    expect(page).to_have_url(f"{live.url}/?f=kind%3Aexternal")
    expect(page.locator(".chips")).to_contain_text("ประเภท: หนังสือภายนอก")
    page.locator("#sort").select_option("date_asc")
    expect(page).to_have_url(re.compile(r"\?(q=&)?f=kind%3Aexternal&sort=date_asc$"))
    page.screenshot(path=str(SHOTS / "search-facet.png"), full_page=True)

    page.get_by_role("link", name=PUBLIC_SUBJECT).click()
    expect(page.locator("h1")).to_have_text(PUBLIC_SUBJECT)
    table = page.locator(".meta-table")
    expect(table).to_contain_text("ศธ 04049/508")
    expect(table).to_contain_text("3 มีนาคม 2559")
    expect(page.locator(".meta-table tr.low")).to_contain_text("ลงวันที่")
    page.screenshot(path=str(SHOTS / "record.png"), full_page=True)

    page.goto(f"{live.url}/records/{live.scan_id}")
    image = page.locator(".page img").first
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    page.screenshot(path=str(SHOTS / "record-scan.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live.url + "/?q=ครู")
    page.screenshot(path=str(SHOTS / "search-mobile.png"), full_page=True)


def test_upload_reaches_done(page: Page, live: Live) -> None:
    sign_in(page, live, "clerk")
    page.get_by_role("link", name="นำเข้าเอกสาร").click()
    letter = "ที่ ศธ 04049/901\nเรื่อง ขอรายงานจำนวนนักเรียนปีการศึกษา\nเรียน ผู้อำนวยการโรงเรียน\n"
    page.locator("#files").set_input_files([
        {"name": "รายงานนักเรียน.txt", "mimeType": "text/plain", "buffer": letter.encode()},
    ])
    page.get_by_role("button", name="นำเข้า").click()
    row = page.locator("#upload-rows tr").first
    expect(row).to_have_attribute("data-state", "done", timeout=90_000)
    expect(row).to_contain_text("เสร็จแล้ว")
    expect(page.locator("#upload-summary")).to_contain_text("นำเข้าเสร็จสิ้น")
    assert row.locator("progress").evaluate("bar => bar.value") == 100
    page.screenshot(path=str(SHOTS / "upload.png"), full_page=True)
    row.get_by_role("link", name="เปิดดู").click()
    expect(page.locator(".meta-table")).to_contain_text("ขอรายงานจำนวนนักเรียนปีการศึกษา")


def test_query_language_help_and_did_you_mean(page: Page, live: Live) -> None:
    sign_in(page, live, "reader")
    page.locator("#query-help summary").click()
    expect(page.locator("#query-help .help-table")).to_contain_text("2561..2563")
    expect(page.locator("#query-help .help-table")).to_contain_text("จาก:แพร่")
    page.screenshot(path=str(SHOTS / "search-help.png"), full_page=True)
    page.locator("#q").fill("ครู 2559..2559")
    page.locator("#q").press("Enter")
    expect(page.locator("#result-count")).to_contain_text("พบ 2 ฉบับ")
    page.locator("#q").fill("สถานทื่")
    page.locator("#q").press("Enter")
    expect(page.locator("#did-you-mean")).to_have_text(re.compile("สถานที่"))
    page.locator("#did-you-mean").click()
    expect(page.locator("#q")).to_have_value(re.compile("สถานที่"))
    expect(page.locator(".hit").first).to_be_visible()


def test_type_ahead_and_new_facets(page: Page, live: Live) -> None:
    sign_in(page, live, "reader")
    page.locator("#q").press_sequentially("ขอความ", delay=40)
    page.wait_for_function(
        "() => document.querySelectorAll('#q-suggest option').length > 0", timeout=10_000)
    options = page.locator("#q-suggest option").evaluate_all("els => els.map(e => e.value)")
    assert PUBLIC_SUBJECT in options
    assert SECRET_REPLY_SUBJECT not in options
    page.goto(live.url + "/")
    page.locator('a[data-facet="attachments:no"]').click()
    expect(page.locator(".chips")).to_contain_text("สิ่งที่ส่งมาด้วย: ไม่มี")
    expect(page.locator('a[data-facet="register:incoming"]')).to_be_visible()
    expect(page.locator("#facet-month")).to_be_visible()
    page.screenshot(path=str(SHOTS / "search-facets.png"), full_page=True)


def test_record_page_links_the_thread(page: Page, live: Live) -> None:
    sign_in(page, live, "reader")
    page.goto(f"{live.url}/records/{live.public_id}")
    cited_by = page.locator("#thread-cited-by")
    expect(cited_by).to_contain_text(REPLY_SUBJECT)
    expect(page.locator("#thread")).not_to_contain_text(SECRET_REPLY_SUBJECT)
    page.screenshot(path=str(SHOTS / "record-thread.png"), full_page=True)
    cited_by.get_by_role("link", name=REPLY_SUBJECT).click()
    expect(page.locator("h1")).to_have_text(REPLY_SUBJECT)
    page.locator("#thread-cites").get_by_role("link", name=PUBLIC_SUBJECT).click()
    expect(page.locator("h1")).to_have_text(PUBLIC_SUBJECT)
