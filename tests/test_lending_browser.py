"""The lending desk in Debian's Chromium: scan a label, lend, take back, see reminders.

Screenshots go to /tmp/saraban-shots/lending-*.png for people to look at.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from browser_support import SHOTS, serving, skip_without_chromium, submit_login
from lending_support import ASCII_FILE, EMPTY_FILE, FILE_TITLE, THAI_FILE, set_up_desk
from web_support import PASSWORD, open_archive

from retention.loans import lend
from schemas.clock import frozen_today
from web.app import create_app

pytestmark = pytest.mark.browser

skip_without_chromium()

from playwright.sync_api import Page, expect  # noqa: E402


@dataclass
class Live:
    """The running desk: base URL and the Thai-coded file's scan key."""

    url: str
    thai_key: str



@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """Uvicorn on a free port; today is 3 March 2568; reader is 7 days late with a file."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SARABAN_TODAY", "2025-03-03")
        archive = open_archive(tmp_path_factory.mktemp("lending") / "home")
        desk = set_up_desk(archive)
        with frozen_today(dt.date(2025, 2, 3)), archive.db.session() as session:
            lend(session, EMPTY_FILE, to="reader", due=dt.date(2025, 2, 24), approved_by="head",
                 actor="officer")
        with serving(create_app(archive)) as url:
            yield Live(url, f"file:{desk.thai_file_id}")
        archive.close()


def sign_in(page: Page, live: Live, username: str, then: str = "/") -> None:
    """Sign in through the form, landing on `then`."""
    page.goto(f"{live.url}/login?next={quote(then, safe='')}")
    submit_login(page, username, PASSWORD)
    expect(page).to_have_url(live.url + then)


def scan(page: Page, code: str) -> None:
    """What a USB scanner does: type the label's code into the focused box, then Enter."""
    expect(page.locator("#scan")).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def test_scan_lend_and_return_at_the_desk(page: Page, live: Live) -> None:
    sign_in(page, live, "officer", then="/lending")
    expect(page.locator("#count-late")).to_have_text("1")
    scan(page, ASCII_FILE)
    expect(page).to_have_url(f"{live.url}/lending/item?id={quote(ASCII_FILE, safe='')}")
    expect(page.locator("#item-title")).to_contain_text(FILE_TITLE)
    expect(page.locator("#loan-status")).to_have_attribute("data-status", "in")

    page.locator("#borrower").select_option("reader")
    page.locator("#due").fill("10/03/2568")
    page.locator("#purpose").fill("ประกอบการประชุมผู้บริหาร")
    page.locator("#approver").select_option("head")
    page.locator("#lend-button").click()
    expect(page.locator("#loan-status")).to_have_attribute("data-status", "out")
    expect(page.locator("#flash")).to_contain_text("ส่งมอบแล้ว")
    expect(page.locator("#current-due")).to_have_text("10 มีนาคม 2568")
    page.screenshot(path=str(SHOTS / "lending-item-out.png"), full_page=True)

    scan(page, ASCII_FILE)  # the desk is ready for the next label straight away
    expect(page.locator("#return-form")).to_be_visible()
    page.goto(live.url + "/lending")
    expect(page.locator("#count-out")).to_have_text("2")
    expect(page.locator("#due-soon-table")).to_contain_text(ASCII_FILE)
    scan(page, ASCII_FILE)
    page.locator("#note").fill("เรียบร้อย ครบถ้วน")
    page.locator("#return-button").click()
    expect(page.locator("#loan-status")).to_have_attribute("data-status", "in")
    expect(page.locator("#history-table")).to_contain_text("เรียบร้อย ครบถ้วน")


def test_scanning_a_thai_coded_label_and_the_dashboard(page: Page, live: Live) -> None:
    sign_in(page, live, "officer", then="/lending")
    bars = page.locator("svg.desk-chart rect")
    expect(bars).to_have_count(5)
    expect(page.locator("#overdue-table")).to_contain_text(EMPTY_FILE)
    expect(page.locator("#overdue-table .days-late")).to_have_text("7")
    expect(page.locator("#per-borrower")).to_contain_text("คุณreader")
    page.screenshot(path=str(SHOTS / "lending-desk.png"), full_page=True)
    scan(page, live.thai_key)  # the QR of a Thai file code carries file:N
    expect(page.locator("#item-title")).to_contain_text(THAI_FILE)
    expect(page.locator("#approver option")).to_have_count(2)  # on-screen request + director
    expect(page.locator("#approver")).to_contain_text("นายผู้อำนวยการ")


def test_unknown_code_says_so(page: Page, live: Live) -> None:
    sign_in(page, live, "officer", then="/lending")
    scan(page, "XYZ-404")
    expect(page.locator(".alert")).to_contain_text("ไม่พบแฟ้มหรือเอกสาร XYZ-404")


def test_borrower_sees_the_reminder_after_signing_in(page: Page, live: Live) -> None:
    sign_in(page, live, "reader")
    banner = page.locator("#reminder-banner")
    expect(banner).to_contain_text("1 รายการ")
    banner.get_by_role("link", name="ดูรายการ").click()
    expect(page.locator("#my-reminders")).to_contain_text("เกินกำหนด 7 วัน")
    expect(page.locator("#my-reminders")).to_contain_text(EMPTY_FILE)
    page.screenshot(path=str(SHOTS / "lending-mine.png"), full_page=True)
