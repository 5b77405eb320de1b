"""Issue 11 replayed as the personas, in the browser: the staff list in Vietnamese order of
names (given name, middle, family), and each home page's to-do list leading to the records
that wait (the self-assessment for An, the rows to review for Hoa)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_lists_staff_in_vietnamese_order_of_names(login, world):
    from thenchot.people.testing import StaffFactory

    for code, name in [
        ("V001", "Trịnh Văn Đinh"),
        ("V002", "Đinh Thị Dung"),
        ("V003", "Phạm Việt Anh"),
        ("V004", "Phạm Văn Anh"),
        ("V005", "Ngô Thị Giang"),
    ]:
        StaffFactory.create(code=code, full_name=name, unit=world.snv_cc)
    page = login("lan")
    page.goto(page.base_url + "/staff/?unit=SNV-CC")
    codes = page.locator("table tbody tr td:first-child").all_inner_texts()
    ours = [c.strip() for c in codes if c.strip().startswith("V")]
    # Anh (Phạm Văn before Phạm Việt), Dung, Đinh, Giang.
    assert ours == ["V004", "V003", "V002", "V001", "V005"]


def test_it_leads_each_person_from_the_home_page_to_what_awaits_them(login, world):
    from thenchot.appraisal.choices import EvaluationStatus
    from thenchot.appraisal.models import Evaluation
    from thenchot.appraisal.testing import add_staff, open_period

    add_staff(world, 2, unit=world.snv_tc)  # two of Hoa's division, self-assessed below
    open_period(world)
    Evaluation.objects.exclude(staff=world.staff["an"]).update(
        status=EvaluationStatus.SELF_ASSESSED
    )
    page = login("an")
    item = page.locator("#awaiting-appraisalself_assessment")
    assert item.locator(".badge").inner_text() == "1"
    item.click()
    page.wait_for_url("**/appraisal/me/")
    assert page.locator("form").count() >= 1

    page.context.clear_cookies()
    page = login("hoa")
    review = page.locator("#awaiting-appraisalreview")
    assert review.locator(".badge").inner_text() == "2"
    review.click()
    page.wait_for_url("**/appraisal/board/**")
    assert page.locator("#board-table tr.board-row").count() >= 1
