"""The evaluation panel of the person page, for those who may read the person's evaluations."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from thenchot.appraisal import panels
from thenchot.appraisal.testing import approved, evaluation_of, open_period, with_snv_head
from thenchot.core.registry import person_panels


@pytest.fixture
def registered():  # type: ignore[no-untyped-def]
    with person_panels.overridden({"appraisal": panels.person_panel}):
        yield


def test_it_shows_the_panel_to_the_manager(client_for, world, registered):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    open_period(world)
    approved(evaluation_of(world, "an"), general="25", tasks="60")
    url = reverse("people:person", args=[world.staff["an"].code])
    html = client_for("hoa").get(url).content.decode()
    assert 'id="person-panel-appraisal"' in html and "appraisal-panel-row" in html


def test_it_leaves_the_panel_out_for_an_outsider(client_for, world, registered):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    open_period(world)
    staff = world.staff["an"]
    from thenchot.accounts.scoping import compute_scope

    assert panels.panel_context(compute_scope(world.user("minh")), staff) is None
    assert panels.panel_context(compute_scope(world.user("hoa")), staff) is not None


def test_it_registers_itself(world):  # type: ignore[no-untyped-def]
    with person_panels.overridden({}):
        apps.get_app_config("appraisal").ready()
        assert person_panels.get("appraisal") is panels.person_panel
