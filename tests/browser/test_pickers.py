"""The picker in a browser: a person chosen by typing part of their name without diacritics,
with the keyboard, on the discipline form."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_picks_a_staff_member_typed_without_diacritics(login, world):
    from thenchot.discipline.models import DisciplineCase

    page = login("lan")
    page.goto(page.base_url + "/discipline/cases/new/")
    staff = page.locator("#id_staff")
    assert staff.get_attribute("role") == "combobox"
    staff.press_sequentially("nguyen van a", delay=20)
    option = page.locator('#id_staff-options [role="option"][data-value="P005"]')
    option.wait_for()
    assert "Nguyễn Văn An" in option.inner_text()
    assert staff.get_attribute("aria-expanded") == "true"
    staff.press("ArrowDown")
    assert staff.get_attribute("aria-activedescendant") == option.get_attribute("id")
    staff.press("Enter")  # picks; does not submit the form
    assert page.locator('input[type=hidden][name="staff"]').input_value() == "P005"
    assert staff.input_value() == "Nguyễn Văn An (P005)"
    assert staff.get_attribute("aria-expanded") == "false"
    page.fill("#id_detected_on", "2025-08-01")
    page.fill("#id_summary", "Đi muộn nhiều lần")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/discipline/cases/KL-2025-0001/")
    assert DisciplineCase.objects.get().staff == world.staff["an"]


def test_it_picks_several_coordinating_units_as_removable_chips(login, world):
    page = login("minh")
    page.goto(page.base_url + "/directives/tasks/new/")
    units = page.locator("#id_coordinating_units")
    hidden = page.locator('input[type=hidden][name="coordinating_units"]')
    for typed, code in (("phong ngan", "STC-NS"), ("ba dinh", "P-BADINH")):
        units.press_sequentially(typed, delay=20)
        page.locator(f'#id_coordinating_units-options [data-value="{code}"]').wait_for()
        units.press("ArrowDown")
        units.press("Enter")
    assert hidden.input_value() == "STC-NS P-BADINH"
    assert units.input_value() == ""
    chips = page.locator(".picker-chosen li")
    assert chips.count() == 2
    chips.first.locator("button").click()
    assert hidden.input_value() == "P-BADINH"
