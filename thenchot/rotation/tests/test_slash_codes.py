"""Plan codes holding "/" on the pages: an agency's plan is known by its official number
("05/KH-UBND"; imports use them), so the plan list must link to it, its page must open, the
actions under it must still be reached, and the notice sent on publication must lead to it."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from thenchot.audit.models import AuditEntry
from thenchot.notifications.models import Notification
from thenchot.rotation import services
from thenchot.rotation.models import PlanItem, RotationPlan

pytestmark = pytest.mark.django_db
CODE = "05/KH-UBND"


@pytest.fixture
def plan(world, scope_of):  # type: ignore[no-untyped-def]
    return services.plan_create(scope=scope_of("lan"), agency=world.snv, year=2025, code=CODE)


def _item(world) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "item-staff": world.staff["an"].code,
        "item-kind": "between_divisions_same_specialty",
        "item-target_unit": world.snv_cc.code,
        "item-planned_on": "2025-06-01",
    }


def test_it_builds_plan_links_that_keep_the_slash():
    assert reverse("rotation:plan", args=[CODE]) == "/rotation/plans/05/KH-UBND/"
    assert reverse("rotation:plan_execute", args=[CODE, 7]) == (
        "/rotation/plans/05/KH-UBND/items/7/execute/"
    )
    assert resolve("/rotation/plans/05/KH-UBND/items/").view_name == "rotation:plan_add_item"
    assert resolve("/rotation/plans/05/KH-UBND/").kwargs == {"code": CODE}


def test_it_lists_a_plan_with_a_slash_code_and_links_to_it(client_for, plan):
    response = client_for("lan").get("/rotation/plans/")
    assert response.status_code == 200
    assert b'href="/rotation/plans/05/KH-UBND/"' in response.content


def test_it_opens_the_page_of_a_plan_with_a_slash_code(client_for, plan):
    page = client_for("lan").get("/rotation/plans/05/KH-UBND/")
    assert page.status_code == 200
    assert page.context["plan"] == plan
    assert b'action="/rotation/plans/05/KH-UBND/items/"' in page.content
    assert b'action="/rotation/plans/05/KH-UBND/publish/"' in page.content


def test_it_adds_an_item_and_publishes_a_plan_with_a_slash_code(
    client_for, world, listed, plan, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    lan = client_for("lan")
    added = lan.post("/rotation/plans/05/KH-UBND/items/", _item(world))
    assert added.status_code == 302 and added["Location"] == "/rotation/plans/05/KH-UBND/"
    assert list(PlanItem.objects.values_list("plan__code", "staff__code")) == [(CODE, "P005")]
    audited = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        published = lan.post("/rotation/plans/05/KH-UBND/publish/", {"version": plan.version})
    assert published["Location"] == "/rotation/plans/05/KH-UBND/"
    plan.refresh_from_db()
    assert plan.published_on is not None
    assert AuditEntry.objects.count() == audited + 1
    note = Notification.objects.get(recipient=world.user("an"))
    assert note.url == "/rotation/plans/05/KH-UBND/"
    assert resolve(note.url).kwargs == {"code": CODE}


def test_it_hides_a_slash_coded_plan_from_outsiders_and_changes_nothing(
    client_for, world, listed, plan
):  # type: ignore[no-untyped-def]
    audited = AuditEntry.objects.count()
    minh = client_for("minh")  # head of STC: SNV's plan is not in his units
    assert minh.get("/rotation/plans/05/KH-UBND/").status_code == 404
    assert minh.post("/rotation/plans/05/KH-UBND/items/", _item(world)).status_code == 404
    assert minh.post("/rotation/plans/05/KH-UBND/publish/", {"version": 1}).status_code == 404
    assert client_for("an").get("/rotation/plans/05/KH-UBND/").status_code == 404
    assert client_for("lan").get("/rotation/plans/99/KH-UBND/").status_code == 404
    assert not PlanItem.objects.exists()
    assert AuditEntry.objects.count() == audited
    fresh = RotationPlan.objects.get(code=CODE)
    assert fresh.published_on is None and fresh.version == plan.version


def test_it_refuses_a_bad_item_on_a_slash_coded_plan_and_writes_nothing(
    client_for, world, listed, plan
):  # type: ignore[no-untyped-def]
    response = client_for("lan").post(
        "/rotation/plans/05/KH-UBND/items/", {**_item(world), "item-planned_on": "2026-06-01"}
    )
    assert response.status_code == 400
    assert response.context["plan"] == plan
    assert "planned_on" in response.context["item_form"].errors
    assert not PlanItem.objects.exists()
