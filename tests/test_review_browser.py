"""The review queue in Debian's Chromium: a clerk corrects a number and confirms a date.

Screenshots go to /tmp/saraban-shots/review-*.png for people to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from browser_support import SHOTS, serving, skip_without_chromium, submit_login
from review_support import NUMBER, add_pdf_letter
from web_support import PASSWORD, open_archive

from schemas.enums import Secrecy
from web.app import create_app

pytestmark = pytest.mark.browser

skip_without_chromium()

from playwright.sync_api import Page, expect  # noqa: E402

SURE = {name: 0.95 for name in ("kind", "number", "date", "subject", "to", "from_org",
                                "secrecy", "urgency")}
CORRECTED = "ศธ 04049/ว613"


@dataclass
class Live:
    """The running server and its letters: two to review, one ลับมาก the clerk must not see."""

    url: str
    first: int
    second: int
    secret: int


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """Uvicorn on a free port over an archive of three PDF letters waiting for review."""
    home = tmp_path_factory.mktemp("review")
    archive = open_archive(home / "home")
    first = add_pdf_letter(archive, home, name="first.pdf",
                           confidence={**SURE, "number": 0.41, "date": 0.55})
    second = add_pdf_letter(archive, home, name="second.pdf", confidence={**SURE, "subject": 0.3})
    secret = add_pdf_letter(archive, home, name="secret.pdf", secrecy=Secrecy.secret,
                            confidence={**SURE, "number": 0.2})
    with serving(create_app(archive)) as url:
        yield Live(url, first, second, secret)
    archive.close()


def sign_in(page: Page, live: Live, username: str) -> None:
    """Sign in through the form the way a person does."""
    page.goto(live.url + "/login")
    submit_login(page, username, PASSWORD)
    expect(page.locator("#q")).to_be_visible()


def test_clerk_corrects_and_confirms_in_the_queue(page: Page, live: Live) -> None:
    sign_in(page, live, "clerk")
    page.get_by_role("link", name="ตรวจทาน").click()
    expect(page).to_have_url(live.url + "/review")
    rows = page.locator("#review-table tbody tr")
    expect(rows).to_have_count(2)  # the ลับมาก letter is not listed, nor counted
    expect(page.locator("#review-total")).to_have_text("2")
    expect(page.locator("#review-threshold")).to_have_text("80%")
    expect(rows.first).to_have_attribute("data-record", str(live.first))
    page.screenshot(path=str(SHOTS / "review-queue.png"), full_page=True)

    rows.first.get_by_role("link").first.click()
    expect(page).to_have_url(f"{live.url}/review/{live.first}")
    crop = page.locator("#crop-number")
    expect(crop).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=crop.element_handle())
    width = page.evaluate("img => img.naturalWidth", crop.element_handle())
    assert 300 < width < 450  # the number's line at 200 dpi, not the whole page
    expect(page.locator("#value-date")).to_have_value("02/08/2562")  # Buddhist era
    expect(page.locator("#field-subject")).to_have_count(0)  # read with confidence
    page.screenshot(path=str(SHOTS / "review-record.png"), full_page=True)

    page.locator("#value-number").fill(CORRECTED)
    page.locator("#save-number").click()
    expect(page.locator("#review-done")).to_contain_text("บันทึกการแก้ไขแล้ว")
    expect(page.locator("#field-number")).to_have_count(0)
    page.locator("#confirm-date").click()
    # Nothing left on the first letter: the queue moves on to the next one.
    expect(page).to_have_url(f"{live.url}/review/{live.second}?done=confirmed")
    expect(page.locator("#crop-subject")).to_be_visible()

    page.goto(f"{live.url}/records/{live.first}")
    table = page.locator(".meta-table")
    expect(table).to_contain_text(CORRECTED)
    expect(table).to_contain_text("แก้ไขโดย clerk")
    expect(table).to_contain_text("ยืนยันโดย clerk")
    expect(table).not_to_contain_text(NUMBER + " ")
    expect(page.locator("body")).to_contain_text("ยืนยันรายละเอียดที่อ่านได้")  # audit trail
    page.screenshot(path=str(SHOTS / "review-after.png"), full_page=True)

    page.goto(live.url + "/review")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-record", str(live.second))


def test_crops_of_a_secret_letter_are_not_shown_to_the_clerk(page: Page, live: Live) -> None:
    sign_in(page, live, "clerk")
    response = page.request.get(f"{live.url}/records/{live.secret}/crops/number.png")
    assert response.status == 404
    assert not response.headers["content-type"].startswith("image/")
