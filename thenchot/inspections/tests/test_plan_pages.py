"""The annual plan pages: binh (inspector over STC) and minh (head of STC) plan STC's inspections;
hung (city leadership) reads every plan but cannot change one; tuan, an inspector over SNV, and
lan do not see STC's plan at all. Every refusal leaves the plan as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from thenchot.accounts.models import RoleGrant
from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.inspections import services
from thenchot.inspections.models import InspectionPlan, PlanItem

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def tuan(world):
    """An inspector of another unit (SNV)."""
    user = UserFactory(username="tuan", first_name="Hoàng Văn Tuấn")
    RoleGrant.objects.create(user=user, role="inspector", unit=world.snv)
    return user


@pytest.fixture
def plan(world):
    plan = services.plan_create(
        by=world.user("binh"), code="KH-STC-2027", conducted_by=world.stc, year=2027
    )
    services.plan_item_add(
        by=world.user("binh"),
        plan=plan,
        target_unit=world.stc_ns,
        planned_month=5,
        topics=["discipline"],
    )
    return plan


def _state(plan: InspectionPlan) -> tuple[object, ...]:
    plan.refresh_from_db()
    items = list(plan.items.values_list("target_unit_id", "planned_month", "topics"))
    return (plan.title, plan.year, plan.published_on, plan.version, items)


def _audit(label: str, action: str) -> int:
    return AuditEntry.objects.filter(model_label=label, action=action).count()


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/plans/new/",
        "/inspections/plans/KH-STC-2027/",
        "/inspections/plans/KH-STC-2027/edit/",
    ],
)
def test_it_sends_the_anonymous_to_login(plan, url):
    response = Client().get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_creates_a_plan_by_form(world, client_for):
    binh = client_for("binh")
    assert binh.get("/inspections/plans/").context["can_create"] is True
    assert binh.get("/inspections/plans/new/").status_code == 200
    response = binh.post(
        "/inspections/plans/new/",
        {"code": " KH-STC-2028 ", "conducted_by": "STC", "year": "2028", "title": "Kế hoạch"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/inspections/plans/KH-STC-2028/"
    plan = InspectionPlan.objects.get(code="KH-STC-2028")
    assert (plan.conducted_by, plan.year, plan.title) == (world.stc, 2028, "Kế hoạch")
    assert _audit("inspections.inspectionplan", "create") == 1


def test_it_refuses_bad_or_out_of_reach_plans(world, plan, client_for):
    binh = client_for("binh", lang="en")
    base = {"code": "KH-X", "conducted_by": "STC", "year": "2026"}
    response = binh.post("/inspections/plans/new/", {**base, "conducted_by": "SNV"})
    assert response.status_code == 403
    response = binh.post("/inspections/plans/new/", {**base, "conducted_by": "NOPE"})
    assert response.status_code == 400 and "Unknown unit code" in response.content.decode()
    response = binh.post("/inspections/plans/new/", {**base, "year": "1990"})
    assert response.status_code == 400
    response = binh.post("/inspections/plans/new/", {**base, "year": "2027"})
    assert response.status_code == 400
    assert "already has an inspection plan" in response.content.decode()
    assert list(InspectionPlan.objects.values_list("code", flat=True)) == ["KH-STC-2027"]


def test_it_lets_only_managers_open_the_new_plan_page(world, client_for):
    assert client_for("an").get("/inspections/plans/new/").status_code == 403
    assert client_for("hung").get("/inspections/plans/new/").status_code == 403
    assert client_for("an").get("/inspections/plans/").context["can_create"] is False
    response = client_for("an").post(
        "/inspections/plans/new/", {"code": "KH-A", "conducted_by": "SNV-TC", "year": "2027"}
    )
    assert response.status_code == 403 and not InspectionPlan.objects.exists()


def test_it_shows_the_plan_page_in_scope(world, plan, tuan, client_for):
    page = client_for("minh").get("/inspections/plans/KH-STC-2027/")
    assert page.status_code == 200 and page.context["can_manage"] is True
    assert "Phòng Ngân sách" in page.content.decode()
    hung = client_for("hung").get("/inspections/plans/KH-STC-2027/")
    assert hung.status_code == 200 and hung.context["can_manage"] is False
    assert 'id="plan-publish"' not in hung.content.decode()
    for name in ("lan", "an"):
        assert client_for(name).get("/inspections/plans/KH-STC-2027/").status_code == 404
    tuan_client = Client()
    tuan_client.force_login(tuan)
    assert tuan_client.get("/inspections/plans/KH-STC-2027/").status_code == 404
    assert client_for("minh").get("/inspections/plans/KH-NOPE/").status_code == 404


def test_it_edits_the_plan(world, plan, client_for):
    binh = client_for("binh")
    assert binh.get("/inspections/plans/KH-STC-2027/edit/").status_code == 200
    response = binh.post(
        "/inspections/plans/KH-STC-2027/edit/",
        {"title": "Kế hoạch kiểm tra công vụ", "year": "2026", "version": plan.version},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.year, plan.version) == ("Kế hoạch kiểm tra công vụ", 2026, 2)
    entry = AuditEntry.objects.get(model_label="inspections.inspectionplan", action="update")
    assert set(entry.changed_fields) == {"title", "year"}


def test_it_refuses_plan_edits_from_outsiders_and_stale_pages(world, plan, tuan, client_for):
    before = _state(plan)
    data = {"title": "x", "year": "2027", "version": plan.version}
    assert client_for("hung").get("/inspections/plans/KH-STC-2027/edit/").status_code == 403
    assert client_for("hung").post("/inspections/plans/KH-STC-2027/edit/", data).status_code == 403
    assert client_for("lan").post("/inspections/plans/KH-STC-2027/edit/", data).status_code == 404
    tuan_client = Client()
    tuan_client.force_login(tuan)
    assert tuan_client.post("/inspections/plans/KH-STC-2027/edit/", data).status_code == 404
    stale = client_for("binh", lang="en").post(
        "/inspections/plans/KH-STC-2027/edit/", {**data, "version": plan.version - 1}, follow=True
    )
    assert "changed by someone else" in stale.content.decode()
    assert _state(plan) == before
    assert _audit("inspections.inspectionplan", "update") == 0


def test_it_keeps_the_year_of_a_published_plan(world, plan, client_for):
    services.plan_publish(by=world.user("binh"), plan=plan, on=d(2026, 11, 2))
    plan.refresh_from_db()
    response = client_for("binh", lang="en").post(
        "/inspections/plans/KH-STC-2027/edit/",
        {"title": "", "year": "2028", "version": plan.version},
    )
    assert response.status_code == 400
    assert "A published plan keeps its year." in response.content.decode()
    plan.refresh_from_db()
    assert plan.year == 2027


def test_it_adds_a_planned_inspection(world, plan, client_for):
    binh = client_for("binh", lang="en")
    response = binh.post(
        "/inspections/plans/KH-STC-2027/items/",
        {
            "item-target_unit": "STC",
            "item-planned_month": "9",
            "item-topics": ["petitions", "discipline"],
        },
    )
    assert response.status_code == 302
    item = PlanItem.objects.get(planned_month=9)
    assert (item.target_unit, item.topics) == (world.stc, ["discipline", "petitions"])
    assert _audit("inspections.planitem", "create") == 2  # the fixture's and this one


def test_it_refuses_bad_or_out_of_reach_items(world, plan, tuan, client_for):
    before = _state(plan)
    binh = client_for("binh", lang="en")
    url = "/inspections/plans/KH-STC-2027/items/"
    response = binh.post(url, {"item-target_unit": "SNV-TC", "item-planned_month": "3"})
    assert response.status_code == 400 and "outside your reach" in response.content.decode()
    response = binh.post(url, {"item-target_unit": "STC-NS", "item-planned_month": "13"})
    assert response.status_code == 400
    data = {"item-target_unit": "STC-NS", "item-planned_month": "3"}
    assert client_for("hung").post(url, data).status_code == 403
    tuan_client = Client()
    tuan_client.force_login(tuan)
    assert tuan_client.post(url, data).status_code == 404
    assert _state(plan) == before


def test_it_edits_a_planned_inspection(world, plan, client_for):
    item = plan.items.get()
    url = f"/inspections/plans/KH-STC-2027/items/{item.pk}/"
    assert client_for("minh").get(url).status_code == 200
    response = client_for("minh").post(
        url,
        {"target_unit": "STC", "planned_month": "7", "topics": ["work_results"], "version": 1},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.target_unit, item.planned_month, item.topics) == (world.stc, 7, ["work_results"])
    plan.refresh_from_db()
    assert plan.version == 2  # the plan's version guards its items
    entry = AuditEntry.objects.get(model_label="inspections.planitem", action="update")
    assert set(entry.changed_fields) == {"target_unit_id", "planned_month", "topics"}


def test_it_refuses_item_edits_from_outsiders_and_stale_pages(world, plan, client_for):
    item = plan.items.get()
    url = f"/inspections/plans/KH-STC-2027/items/{item.pk}/"
    data = {"target_unit": "STC", "planned_month": "7", "version": plan.version}
    before = _state(plan)
    assert client_for("hung").get(url).status_code == 403
    assert client_for("hung").post(url, data).status_code == 403
    assert client_for("lan").post(url, data).status_code == 404
    stale = client_for("binh", lang="en").post(url, {**data, "version": 0}, follow=True)
    assert "changed by someone else" in stale.content.decode()
    other = services.plan_create(
        by=world.user("binh"), code="KH-STC-2028", conducted_by=world.stc, year=2028
    )
    wrong_plan = f"/inspections/plans/{other.code}/items/{item.pk}/"
    assert client_for("binh").post(wrong_plan, data).status_code == 404
    assert _state(plan) == before


def test_it_removes_a_planned_inspection(world, plan, client_for):
    item = plan.items.get()
    response = client_for("binh").post(
        f"/inspections/plans/KH-STC-2027/items/{item.pk}/remove/", {"remove-version": 1}
    )
    assert response.status_code == 302
    assert not PlanItem.objects.exists()
    entry = AuditEntry.objects.get(model_label="inspections.planitem", action="delete")
    assert entry.object_id == str(item.pk) and entry.before["planned_month"] == 5


def test_it_keeps_an_item_an_inspection_carried_out(world, plan, client_for):
    item = plan.items.get()
    services.inspection_create(
        by=world.user("binh"),
        code="KT-KH-1",
        kind="planned",
        conducted_by=world.stc,
        target_unit=world.stc_ns,
        started_on=d(2026, 5, 4),
        plan_item=item,
    )
    binh = client_for("binh", lang="en")
    base = f"/inspections/plans/KH-STC-2027/items/{item.pk}/"
    response = binh.post(f"{base}remove/", {"remove-version": 1})
    assert response.status_code == 400 and "cannot be removed" in response.content.decode()
    response = binh.post(base, {"target_unit": "STC", "planned_month": "5", "version": 1})
    assert response.status_code == 400 and "target unit cannot change" in response.content.decode()
    assert PlanItem.objects.get().target_unit == world.stc_ns
    page = binh.get("/inspections/plans/KH-STC-2027/").content.decode()
    assert "KT-KH-1" in page  # the plan shows what carried each item out
    response = binh.post(base, {"target_unit": "STC-NS", "planned_month": "6", "version": 1})
    assert response.status_code == 302 and PlanItem.objects.get().planned_month == 6


def test_it_publishes_the_plan(world, plan, client_for):
    binh = client_for("binh", lang="en")
    response = binh.post("/inspections/plans/KH-STC-2027/publish/", {"publish-version": 1})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.published_on == timezone.localdate()
    assert _audit("inspections.inspectionplan", "update") == 1
    again = binh.post("/inspections/plans/KH-STC-2027/publish/", {"publish-version": 2})
    assert again.status_code == 400 and "already published" in again.content.decode()


def test_it_refuses_publishing_from_outsiders_and_stale_pages(world, plan, tuan, client_for):
    url = "/inspections/plans/KH-STC-2027/publish/"
    assert client_for("hung").post(url, {"publish-version": 1}).status_code == 403
    assert client_for("lan").post(url, {"publish-version": 1}).status_code == 404
    tuan_client = Client()
    tuan_client.force_login(tuan)
    assert tuan_client.post(url, {"publish-version": 1}).status_code == 404
    stale = client_for("binh", lang="en").post(url, {"publish-version": 0}, follow=True)
    assert "changed by someone else" in stale.content.decode()
    plan.refresh_from_db()
    assert plan.published_on is None and plan.version == 1
