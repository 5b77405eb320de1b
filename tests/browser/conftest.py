"""Browser tests: Playwright driving the system's Chromium against pytest-django's live server.

Skipped, with the reason, where Chromium or Playwright is missing; CI installs Chromium so they
always run there.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
# body (fixtures) are still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("THENCHOT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _skip_reason() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return "Chromium not installed: apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright not installed: pip install playwright"
    return None


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, live_server, transactional_db):  # type: ignore[no-untyped-def]
    """A fresh browser context (no cookies) with a phone-sized or desktop window."""
    # bypass_csp: Playwright's own probes (`wait_for_function` with an expression) are
    # evaluated in the page, which the site's Content-Security-Policy forbids; the policy
    # itself is checked by accounts/tests/test_security_headers.py and test_csp_in_browser.py.
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.fixture
def login(browser_page):  # type: ignore[no-untyped-def]
    from thenchot.accounts.testing import PASSWORD

    def do(username: str) -> Any:
        page = browser_page
        page.goto(page.base_url + "/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.wait_for_url(page.base_url + "/")
        return page

    return do
