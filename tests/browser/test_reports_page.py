"""The report page in a browser: a leader picks a unit by typing part of its name, chooses the
first nine months of 2023 and reads the figures the records hold, then downloads the PDF."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_the_figures_of_the_unit_and_range_chosen(login, world):
    import datetime as dt

    from thenchot.inspections.testing import InspectionFactory

    # SNV's subtree: two surprise inspections and one planned in 2023; one outside the range.
    for code, kind, day in (
        ("KT-1", "surprise", "2023-03-02"),
        ("KT-2", "surprise", "2023-08-20"),
        ("KT-3", "planned", "2023-05-05"),
        ("KT-4", "planned", "2023-11-05"),
    ):
        InspectionFactory.create(
            code=code,
            kind=kind,
            conducted_by=world.stc,
            target_unit=world.snv_tc,
            started_on=dt.date.fromisoformat(day),
        )
    page = login("hung")
    page.click("#nav-reports")
    page.wait_for_url("**/reports/**")
    unit = page.locator("#id_unit")
    unit.fill("")
    unit.press_sequentially("so noi vu", delay=20)
    page.locator('#id_unit-options [role="option"][data-value="SNV"]').wait_for()
    unit.press("ArrowDown")
    unit.press("Enter")
    page.select_option("#id_kind", "nine_months")
    page.fill("#id_year", "2023")
    page.click("#report-show")
    page.wait_for_url("**unit=SNV**")
    title = page.locator("#report-title")
    assert "Sở Nội vụ (SNV)" in title.inner_text()
    assert "9 tháng đầu năm 2023" in title.inner_text()
    figures = page.locator("#block-inspections td.text-end")
    assert figures.nth(0).inner_text() == "3"  # inspections in the range
    summary = page.locator("#report-summary").inner_text()
    assert "3 cuộc kiểm tra công vụ" in summary and "2 cuộc đột xuất" in summary
    with page.expect_download() as download:
        page.click("#download-pdf")
    assert download.value.suggested_filename == "bao-cao-SNV-2023-01-01-2023-09-30.pdf"
