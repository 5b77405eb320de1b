"""From the city's headline overdue figure, down the tree, to one overdue task's page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_leader_walks_from_the_city_figure_to_an_overdue_task(login, world):  # type: ignore[no-untyped-def]
    from thenchot.dashboards import aggregates
    from thenchot.dashboards.testing import YEAR, build_year

    aggregates.clear(stored=True)
    build_year(world)
    page = login("hung")
    page.goto(page.base_url + f"/dashboards/?year={YEAR}")
    headline = page.locator("#fig-tasks\\.overdue")
    assert headline.inner_text().strip() == "3"
    # Down the tree: the Department of Home Affairs, then its division.
    page.locator("#ranking tr[data-unit='SNV'] a.drill").click()
    page.wait_for_selector("#dashboard-crumbs")
    assert page.locator("#fig-tasks\\.overdue").inner_text().strip() == "2"
    page.locator("#ranking tr[data-unit='SNV-TC'] a.drill").click()
    page.wait_for_selector("#ranking")
    assert page.locator("#fig-tasks\\.overdue").inner_text().strip() == "1"
    # The number opens the records behind it; the list carries the same count.
    page.locator("#fig-tasks\\.overdue").click()
    page.wait_for_selector("#records-count")
    assert page.locator("#records-count").get_attribute("data-count") == "1"
    page.locator("#records a.record-link").first.click()
    page.wait_for_url("**/directives/tasks/NV-A3/")
    assert "NV-A3" in page.content()
