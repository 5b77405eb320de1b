"""Annual plans (published internally) and the per-topic checklists of an inspection."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.core.errors import DomainError, OutOfScope
from thenchot.inspections import services
from thenchot.inspections.models import ChecklistAnswer, InspectionPlan, PlanItem

pytestmark = pytest.mark.django_db
d = dt.date


def test_it_plans_and_carries_out_a_plan_item(world, client_for):
    plan = services.plan_create(
        by=world.user("binh"), code="KH-STC-2026", conducted_by=world.stc, year=2026
    )
    item = services.plan_item_add(
        by=world.user("binh"),
        plan=plan,
        target_unit=world.stc_ns,
        planned_month=5,
        topics=["work_results"],
    )
    services.plan_publish(by=world.user("binh"), plan=plan, on=d(2026, 1, 5))
    inspection = services.inspection_create(
        by=world.user("binh"),
        code="KT-P",
        kind="planned",
        conducted_by=world.stc,
        target_unit=world.stc_ns,
        started_on=d(2026, 5, 4),
        plan_item=item,
    )
    assert inspection.plan_item == item
    assert "KH-STC-2026" in client_for("minh").get("/inspections/plans/").content.decode()
    assert "KH-STC-2026" not in client_for("lan").get("/inspections/plans/").content.decode()


def test_it_refuses_plans_outside_the_users_units(world):
    with pytest.raises(OutOfScope):
        services.plan_create(by=world.user("lan"), code="KH-X", conducted_by=world.stc, year=2026)
    plan = services.plan_create(
        by=world.user("binh"), code="KH-1", conducted_by=world.stc, year=2026
    )
    with pytest.raises(DomainError):
        services.plan_item_add(
            by=world.user("binh"), plan=plan, target_unit=world.snv, planned_month=3, topics=[]
        )
    with pytest.raises(DomainError):
        services.plan_create(by=world.user("binh"), code="KH-2", conducted_by=world.stc, year=2026)
    assert InspectionPlan.objects.count() == 1 and not PlanItem.objects.exists()


def test_it_records_checklist_results_under_the_inspections_topics(world, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@hanoi.gov.vn", "x")
    punctual = services.checklist_item_save(
        by=admin, code="CL-1", topic="discipline", text="Giờ giấc"
    )
    petitions = services.checklist_item_save(
        by=admin, code="CL-2", topic="petitions", text="Kiến nghị"
    )
    with pytest.raises(OutOfScope):
        services.checklist_item_save(
            by=world.user("binh"), code="CL-3", topic="discipline", text="x"
        )
    inspection = services.inspection_create(
        by=world.user("binh"),
        code="KT-C",
        kind="planned",
        conducted_by=world.stc,
        target_unit=world.stc_ns,
        started_on=d(2026, 5, 4),
        topics=["discipline"],
    )
    services.checklist_record(
        by=world.user("binh"), inspection=inspection, item=punctual, result="not_met"
    )
    services.checklist_record(
        by=world.user("binh"), inspection=inspection, item=punctual, result="met"
    )
    with pytest.raises(DomainError):
        services.checklist_record(
            by=world.user("binh"), inspection=inspection, item=petitions, result="met"
        )
    assert list(ChecklistAnswer.objects.values_list("result", flat=True)) == ["met"]
