"""A civil servant self-assesses on a phone (390 px wide): one column, big targets, submitted
in a few taps."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_self_assesses_on_a_phone(login, world):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.models import Evaluation
    from thenchot.appraisal.testing import open_period, with_snv_head

    with_snv_head(world)
    period = open_period(world)
    page = login("an")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base_url + "/appraisal/me/")
    form_box = page.locator("#self-form").bounding_box()
    assert form_box is not None and form_box["width"] <= 390
    submit = page.locator("#self-submit").bounding_box()
    assert submit is not None and submit["height"] >= 44  # a thumb-sized target
    page.fill("#id_general_points", "27")
    page.fill("#id_task_points", "62.5")
    page.click("label[for=id_proposed_level_1]")
    page.click("#self-submit")
    page.wait_for_url(f"**/appraisal/me/{period.code}/")
    ev = Evaluation.objects.get(staff=world.staff["an"], period=period)
    assert ev.status == "self_assessed" and str(ev.task_points) == "62.50"
    assert ev.proposed_level == "good"
    # No horizontal scrolling on the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
