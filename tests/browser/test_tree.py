"""Browse the tree: the city opens at once, a department expands on click (htmx), and the
tree as of 2023 shows a district that has since ended."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_expands_a_department(login, world):
    page = login("hung")
    page.goto(page.base_url + "/org/")
    snv = page.locator(f"#unit-{world.snv.pk}")
    assert snv.is_visible()
    assert not page.locator(f"#unit-{world.snv_tc.pk}").is_visible()
    snv.locator("button.toggle").first.click()
    page.locator(f"#unit-{world.snv_tc.pk}").wait_for(state="visible")
    assert "Phòng Tổ chức" in page.locator(f"#children-{world.snv.pk}").inner_text()
    snv.locator("button.toggle").first.click()
    page.locator(f"#unit-{world.snv_tc.pk}").wait_for(state="hidden")


def test_it_shows_the_tree_as_of_2023(login, world):
    from thenchot.org.testing import UnitFactory

    UnitFactory(
        code="Q-HOANKIEM",
        name="Quận Hoàn Kiếm",
        kind="district",
        valid_from=dt.date(2008, 8, 1),
        valid_to=dt.date(2025, 6, 30),
        parent=world.city,
    )
    page = login("hung")
    page.goto(page.base_url + "/org/")
    assert page.locator("text=Quận Hoàn Kiếm").count() == 0
    page.click("#as-of-form a[href='?on=2023-01-01']")
    page.wait_for_url("**/org/?on=2023-01-01")
    assert page.locator("text=Quận Hoàn Kiếm").is_visible()
    assert page.locator("#past-notice").is_visible()


def test_it_finds_a_unit_without_diacritics(login, world):
    page = login("hung")
    page.goto(page.base_url + "/org/")
    page.fill("#id_q", "so tai chinh")
    page.locator("#unit-search-results").wait_for(state="visible")
    assert "Sở Tài chính" in page.locator("#unit-search-results").inner_text()
