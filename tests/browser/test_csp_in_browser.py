"""The pages work under the site's Content-Security-Policy, enforced by the browser (the other
browser tests bypass it for Playwright's own probes): no violation is reported while signing
in, expanding the tree, and opening the pages with charts and scripts."""

from __future__ import annotations

from typing import Any

import pytest

from thenchot.accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def strict_page(chromium, live_server):  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.violations = violations  # type: ignore[attr-defined]
    yield page
    context.close()


def test_no_page_breaks_the_policy(strict_page: Any, world: Any) -> None:
    page = strict_page
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", "hung")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    # The tree's toggles come from thenchot.js, a static file the policy allows.
    page.goto(page.base_url + "/org/")
    page.locator(f"#unit-{world.snv.pk}").locator("button.toggle").first.click()
    page.locator(f"#unit-{world.snv_tc.pk}").wait_for(state="visible")
    for path in ("/directives/statistics/", "/dashboards/", "/appraisal/board/", "/staff/"):
        response = page.goto(page.base_url + path)
        assert response is not None and response.status < 500, path
    assert page.violations == []  # type: ignore[attr-defined]
