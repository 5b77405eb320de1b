"""A refused import shows every problem on the page (issue 11): the server answers 400 with the
list, and htmx must swap it in rather than drop it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_lists_the_problems_of_a_bad_workbook(login, world, tmp_path):  # type: ignore[no-untyped-def]
    from thenchot.exchange.tests.conftest import xlsx_file

    header = ["code", "full_name", "category", "unit", "joined_on"]
    bad = xlsx_file({"staff": [header, ["CB1", "Một", "civil_servant", "SNV-P9", "01/02/2020"]]})
    upload = tmp_path / "bad.xlsx"
    upload.write_bytes(bad)
    page = login("lan")
    page.goto(page.base_url + "/exchange/import/")
    page.set_input_files("input[type=file]", str(upload))
    page.click("form.card button[type=submit]")
    page.wait_for_selector("#import-errors li")
    problems = page.locator("#import-errors").inner_text()
    assert "SNV-P9" in problems
    assert "01/02/2020" in problems
    assert page.url == page.base_url + "/exchange/import/", "the page stays where the person is"


def test_it_shows_a_refusal_page_in_the_alert_not_in_the_table(login, world):  # type: ignore[no-untyped-def]
    # An htmx request refused with a whole page (here: a 404 for a tree node out of reach) shows
    # the page's message in the alert at the bottom of the window.
    page = login("an")
    page.goto(page.base_url + "/org/")
    page.evaluate(
        "htmx.ajax('GET', '/org/children/?parent=999999', {target: '#main', swap: 'beforeend'})"
    )
    page.wait_for_selector("#request-problem:not([hidden])")
    assert page.locator("#request-problem-text h1").count() == 1
    assert page.locator("#main nav.navbar").count() == 0
