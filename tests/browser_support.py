"""What every browser test needs: Debian's Chromium, a live uvicorn server, a page.

Import this after `skip_without_chromium()` has run at module level, so a
machine without Chromium skips the module instead of failing on Playwright.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from servers import free_port

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/saraban-shots")  # screenshots for people to look at, never asserted
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]


def skip_without_chromium() -> None:
    """Skip the calling test module when Debian's Chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium",
                    allow_module_level=True)


@contextmanager
def serving(app: object) -> Iterator[str]:
    """Uvicorn serving `app` on a free loopback port; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(),
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # bounded wait on the server's own state
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[object]:
    """Headless Debian Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def desktop_page(browser) -> object:  # type: ignore[no-untyped-def]
    """A fresh context (no cookies) at desktop size, in Thai; returns its page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    context.set_default_timeout(15_000)
    return context.new_page()


def submit_login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    """Fill the sign-in form the way a person does and send it."""
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
