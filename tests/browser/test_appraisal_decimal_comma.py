"""Issue 11, point 3, on a phone: An types "62,5" in Vietnamese; the total and the level it
suggests follow as she types; what she typed survives leaving the page (put back with a notice,
which she may discard) and is forgotten once sent; the server keeps 62.5."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('thenchot:self-assessment:')).length"
SHOWN_LEVEL = "#self-level > span:not([hidden]) [data-level]"


def test_it_adds_up_as_she_types_and_keeps_her_draft(login, world):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.models import Evaluation
    from thenchot.appraisal.testing import open_period, with_snv_head

    with_snv_head(world)
    period = open_period(world)
    page = login("an")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/appraisal/me/")
    assert not page.locator("#draft-notice").is_visible()
    total = page.locator("#self-total-value")
    assert total.inner_text() == "—"  # the general points are still missing
    page.fill("#id_general_points", "27")
    page.fill("#id_task_points", "62,5")
    assert total.inner_text() == "89,5"
    assert page.locator(SHOWN_LEVEL).get_attribute("data-level") == "good"
    page.fill("#id_general_points", "28")
    assert total.inner_text() == "90,5"
    assert page.locator(SHOWN_LEVEL).get_attribute("data-level") == "excellent"
    page.fill("#id_general_points", "2x")
    assert total.inner_text() == "—" and page.locator(SHOWN_LEVEL).count() == 0
    assert "is-invalid" in (page.locator("#id_general_points").get_attribute("class") or "")
    page.fill("#id_general_points", "27,5")
    page.click("label[for=id_proposed_level_1]")

    # Leaving the page and coming back puts her typing back, with a notice.
    page.goto(page.base_url + "/")
    page.goto(page.base_url + "/appraisal/me/")
    assert page.locator("#draft-notice").is_visible()
    assert page.input_value("#id_general_points") == "27,5"
    assert page.input_value("#id_task_points") == "62,5"
    assert page.locator("#id_proposed_level_1").is_checked()
    assert total.inner_text() == "90"

    # Discarding it gives the page's own values back, and the draft is gone.
    page.click("#draft-discard")
    assert not page.locator("#draft-notice").is_visible()
    assert page.input_value("#id_task_points") == "" and total.inner_text() == "—"
    page.reload()
    assert not page.locator("#draft-notice").is_visible()

    page.fill("#id_general_points", "27")
    page.fill("#id_task_points", "62,5")
    page.click("label[for=id_proposed_level_1]")
    assert page.evaluate(DRAFTS) == 1
    page.click("#self-submit")
    page.wait_for_url(f"**/appraisal/me/{period.code}/")
    assert page.evaluate(DRAFTS) == 0
    ev = Evaluation.objects.get(staff=world.staff["an"], period=period)
    assert ev.status == "self_assessed" and str(ev.task_points) == "62.50"
