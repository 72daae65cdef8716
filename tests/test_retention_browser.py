"""The yearly review walked in Debian's Chromium: officer, committee, head (issue #6).

Dates are simulated with SARABAN_TODAY, which the server reads on every request.
Screenshots go to /tmp/saraban-shots/ for people to look at; they are not asserted.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from browser_support import SHOTS, desktop_page, serving, skip_without_chromium, submit_login
from retention_support import generate
from web_support import PASSWORD, open_archive

from schemas.enums import Role, Secrecy
from store.users import add_user
from web.app import create_app

pytestmark = pytest.mark.browser

skip_without_chromium()

from playwright.sync_api import Browser, Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Uvicorn serving 30 years of routine circulars, with the head and a committee."""
    before = os.environ.get("SARABAN_TODAY")
    os.environ["SARABAN_TODAY"] = "2025-01-02"
    archive = open_archive(tmp_path_factory.mktemp("retention-browser") / "home")
    with archive.db.session() as session:
        add_user(session, "head", PASSWORD, role=Role.head, clearance=Secrecy.secret,
                 display_name="ผู้อำนวยการเขต")
        for name in ("chair", "m1", "m2"):
            add_user(session, name, PASSWORD, role=Role.reader, clearance=Secrecy.secret)
    generate(archive, per_year=1)
    with serving(create_app(archive)) as url:
        yield url
    archive.close()
    if before is None:
        os.environ.pop("SARABAN_TODAY", None)
    else:
        os.environ["SARABAN_TODAY"] = before


def as_user(browser: Browser, url: str, username: str) -> Page:
    """A fresh context signed in as `username` through the form."""
    page = desktop_page(browser)
    page.goto(url + "/login")
    submit_login(page, username, PASSWORD)
    expect(page.locator("#q")).to_be_visible()
    return page


def test_review_walked_by_officer_committee_and_head(browser: Browser, live: str) -> None:
    officer = as_user(browser, live, "officer")
    officer.get_by_role("link", name="การเก็บรักษาและทำลาย").click()
    expect(officer.locator("#due-count")).to_have_text("29")
    officer.screenshot(path=str(SHOTS / "retention-dashboard.png"), full_page=True)
    officer.get_by_role("button", name="จัดทำบัญชีหนังสือขอทำลายประจำปี 2567").click()
    expect(officer.locator("#row-count")).to_contain_text("29 รายการ")
    people = [("นางสมศรี ใจดี", "ชำนาญการพิเศษ", "chair"), ("นายสมชาย รักงาน", "ชำนาญการ", "m1"),
              ("นางมาลี สุขใจ", "ชำนาญงาน", "m2")]
    for index, (name, level, username) in enumerate(people):
        officer.get_by_label(f"ชื่อ {index}", exact=True).fill(name)
        officer.get_by_label(f"ระดับ {index}", exact=True).select_option(level)
        officer.get_by_label(f"ชื่อผู้ใช้ {index}", exact=True).fill(username)
    officer.get_by_role("button", name="แต่งตั้งคณะกรรมการ").click()
    expect(officer.locator("#committee")).to_contain_text("นางสมศรี ใจดี · ประธานกรรมการ")
    expect(officer.locator("#decide-form")).to_have_count(0)  # not the officer's step
    officer.screenshot(path=str(SHOTS / "retention-review-officer.png"), full_page=True)

    member = as_user(browser, live, "m1")
    member.goto(live + "/retention/reviews/2567")
    selects = member.locator("#rows select")
    expect(selects).to_have_count(29)
    for index in range(29):
        selects.nth(index).select_option("destroy")
    member.get_by_label("การพิจารณา 1", exact=True).select_option("keep")
    member.get_by_label("เก็บถึงปี 1", exact=True).fill("2575")
    member.get_by_label("เหตุผล 1", exact=True).fill("ใช้อ้างอิงคดี")
    member.get_by_role("button", name="บันทึกการพิจารณา").click()
    expect(member.locator("#rows")).to_contain_text("เก็บต่อ")
    member.screenshot(path=str(SHOTS / "retention-review-committee.png"), full_page=True)
    member.get_by_role("button", name="ส่งรายงานคณะกรรมการถึงหัวหน้าส่วนราชการ").click()
    expect(member.locator("#stage")).to_have_text("รอหัวหน้าส่วนราชการอนุมัติ")

    head = as_user(browser, live, "head")
    head.get_by_role("link", name="การเก็บรักษาและทำลาย").click()
    head.get_by_role("link", name="เปิดบัญชีหนังสือขอทำลายประจำปี 2567").click()
    expect(head.locator("#appoint")).to_have_count(0)
    head.get_by_role("button", name="อนุมัติบัญชีหนังสือขอทำลาย").click()
    expect(head.locator("#stage")).to_have_text("รอส่งกรมศิลปากร")

    officer.reload()
    officer.get_by_label("วันที่ส่ง").fill("2025-01-02")
    officer.get_by_role("button", name="บันทึกการส่ง").click()
    expect(officer.locator("#stage-line")).to_contain_text("ถือว่าเห็นชอบเมื่อ 3 มีนาคม 2568")
    expect(officer.locator("#destroy")).to_have_count(0)  # nothing destroyed before consent

    os.environ["SARABAN_TODAY"] = "2025-03-03"  # day 60: consent is deemed
    officer.reload()
    expect(officer.locator("#consent")).to_contain_text("ครบ ๖๐ วัน")
    officer.get_by_role("button", name="ทำลายตามบัญชีที่ได้รับความเห็นชอบ").click()
    expect(officer.locator("#stage")).to_have_text("ทำลายแล้ว")
    expect(officer.locator("#rows")).to_contain_text("ทำลายแล้ว")
    expect(officer.locator("#report-link")).to_be_visible()
    officer.screenshot(path=str(SHOTS / "retention-review-destroyed.png"), full_page=True)
    with officer.expect_download() as download:
        officer.locator("#report-link").click()
    assert download.value.suggested_filename == "report-2567.pdf"
    first_row = officer.locator("#rows tbody tr").nth(1).get_by_role("link")
    first_row.click()
    expect(officer.locator(".notice")).to_contain_text("หนังสือนี้ถูกทำลายแล้ว")
