"""A person opens the site, is sent to the login page, logs in and logs out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_logs_in_from_the_root_and_out_again(browser_page, world):
    page = browser_page
    page.goto(page.base_url + "/")
    assert page.url == page.base_url + "/login/?next=/"
    assert page.locator("html").get_attribute("lang") == "vi"
    from thenchot.accounts.testing import PASSWORD

    page.fill("#id_username", "lan")
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    assert page.locator("#home-staff .display-6").inner_text() == "4"
    page.click("#user-menu")
    page.click("#logout-button")
    page.wait_for_url(page.base_url + "/login/")
    assert page.locator("#login-form").is_visible()


def test_it_refuses_a_wrong_password(browser_page, world):
    page = browser_page
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", "lan")
    page.fill("#id_password", "sai-mat-khau")
    page.click("#login-form button[type=submit]")
    assert page.locator("#form-errors").is_visible()
    assert page.url.startswith(page.base_url + "/login/")


def test_the_menu_collapses_on_a_phone(browser_page, login, world):
    page = login("lan")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(page.base_url + "/")
    assert not page.locator("#main-nav").is_visible()
    page.click(".navbar-toggler")
    page.locator("#main-nav a[href='/staff/']").wait_for(state="visible")
