"""Annual plans: who is listed (non-leaders, fitting moves, inside the agency), publication with
notice to the person, execution against an item, completion figures, escalation warning."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.core.errors import DomainError
from thenchot.notifications.models import Notification
from thenchot.people.models import Staff
from thenchot.rotation import services
from thenchot.rotation.selectors import completion_for_year, plan_completion, plan_warnings

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world, scope_of):  # type: ignore[no-untyped-def]
    return services.plan_create(scope=scope_of("lan"), agency=world.snv, year=2025)


def test_it_plans_publishes_and_carries_out(
    world, scope_of, listed, plan, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.plan."""
    lan = scope_of("lan")
    item = services.plan_add_item(
        scope=lan,
        plan=plan,
        staff=world.staff["an"],
        kind="between_divisions_same_specialty",
        target_unit=world.snv_cc,
        planned_on=dt.date(2025, 6, 1),
    )
    assert plan_completion(plan).planned == 1 and plan_completion(plan).percent == 0.0
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_publish(scope=lan, plan=plan, on=dt.date(2025, 5, 20), expected_version=1)
    note = Notification.objects.get(recipient=world.user("an"))
    assert plan.code in note.title
    assert any("less than 30 days" in w for w in plan_warnings(plan, dt.date(2025, 5, 20)))
    with pytest.raises(DomainError):  # published: the list is closed
        services.plan_add_item(
            scope=lan,
            plan=plan,
            staff=world.staff["quan"],
            kind="between_fields_within_division",
            target_unit=world.snv,
            planned_on=dt.date(2025, 6, 1),
        )
    an = Staff.objects.get(code="P005")
    services.rotation_execute(
        scope=lan,
        staff=an,
        kind=item.kind,
        to_unit=item.target_unit,
        effective_on=dt.date(2025, 6, 1),
        expected_version=an.version,
        plan_item=item,
    )
    assert plan_completion(plan).percent == 100.0
    assert completion_for_year(year=2025, unit_id=world.city.pk).executed == 1


def test_it_refuses_leaders_and_people_of_other_agencies(world, scope_of, listed, plan) -> None:  # type: ignore[no-untyped-def]
    lan = scope_of("lan")
    with pytest.raises(DomainError):
        services.plan_add_item(
            scope=lan,
            plan=plan,
            staff=world.staff["hoa"],
            kind="between_divisions_same_specialty",
            target_unit=world.snv_cc,
            planned_on=dt.date(2025, 6, 1),
        )
    with pytest.raises(DomainError):
        services.plan_add_item(
            scope=lan,
            plan=plan,
            staff=world.staff["an"],
            kind="cadre_rotation",
            target_unit=world.snv_cc,
            planned_on=dt.date(2025, 6, 1),
        )
    with pytest.raises(DomainError):
        services.plan_add_item(
            scope=lan,
            plan=plan,
            staff=world.staff["an"],
            kind="between_divisions_same_specialty",
            target_unit=world.snv_cc,
            planned_on=dt.date(2026, 1, 5),
        )
    assert not plan.items.exists()


def test_it_warns_when_the_agency_has_a_single_listed_position(world, listed, plan) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.single-position."""
    warnings = plan_warnings(plan, dt.date(2025, 3, 1))
    assert any("KETOAN" in w and "superior authority" in w for w in warnings)
    from thenchot.people.models import JobPosition

    other = JobPosition.objects.create(
        code="TD", name="Tuyển dụng", rotation_subject=True, rotation_period_months=36
    )
    Staff.objects.filter(code="P000").update(job_position=other)
    assert not any("superior authority" in w for w in plan_warnings(plan, dt.date(2025, 3, 1)))


def test_it_refuses_a_plan_for_a_division_or_outside_scope(world, scope_of) -> None:  # type: ignore[no-untyped-def]
    from thenchot.core.errors import OutOfScope

    with pytest.raises(DomainError):
        services.plan_create(scope=scope_of("lan"), agency=world.snv_tc, year=2025)
    with pytest.raises(OutOfScope):
        services.plan_create(scope=scope_of("lan"), agency=world.stc, year=2025)
