"""Switch the interface to English and back: the page language and a label change."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_switches_to_english(login, world):
    page = login("lan")
    page.goto(page.base_url + "/staff/")
    assert page.locator("html").get_attribute("lang") == "vi"
    before = page.locator("label[for=id_q]").inner_text()
    page.click("#language-switch button[value=en]")
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url.endswith("/staff/")
    assert page.locator("label[for=id_q]").inner_text() == "Name or code"
    page.click("#language-switch button[value=vi]")
    page.wait_for_function("document.documentElement.lang === 'vi'")
    assert page.locator("label[for=id_q]").inner_text() == before
