"""Search staff without diacritics: the table refreshes in place (htmx)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_finds_nguyen_van_an_typed_without_diacritics(login, world):
    page = login("hung")
    page.goto(page.base_url + "/staff/")
    assert page.locator("tr.staff-row").count() == 7
    page.fill("#id_q", "nguyen van an")
    page.wait_for_function("document.querySelectorAll('tr.staff-row').length === 1")
    assert "Nguyễn Văn An" in page.locator("#staff-table tbody").inner_text()
    assert "q=nguyen%20van%20an" in page.url


def test_it_filters_by_category_and_sorts(login, world):
    from thenchot.people.testing import StaffFactory

    StaffFactory(
        code="HD1", full_name="Hoàng Văn Hợp Đồng", category="contract_worker", unit=world.snv
    )
    page = login("hung")
    page.goto(page.base_url + "/staff/")
    page.check("#id_category_contract_worker")
    page.wait_for_function("document.querySelectorAll('tr.staff-row').length === 1")
    assert "Hoàng Văn Hợp Đồng" in page.locator("#staff-table tbody").inner_text()
