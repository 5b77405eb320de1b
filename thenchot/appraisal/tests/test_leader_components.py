"""A Decree 335 leader's task points weigh the operating result of what they manage and their
organising ability (rules.md `decree-335-2025`, "Leaders and managers"); a deputy is assessed the
same way within the fields assigned to them — or the whole unit they are deputy of when none is
recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.appraisal import leadership, services
from thenchot.appraisal.models import DeputyField, Evaluation
from thenchot.appraisal.testing import evaluation_of, open_period, with_snv_head
from thenchot.directives.testing import TaskFactory
from thenchot.org.testing import EPOCH
from thenchot.people.models import HeadAssignment
from thenchot.people.testing import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    """SNV this month under Decree 335: Sơn heads SNV; Phó is deputy of SNV in charge of SNV-CC;
    Công in SNV-CC proposes `not_complete`, An (SNV-TC) `good`; an SNV-TC task is overdue."""
    with_snv_head(world)
    deputy = StaffFactory(code="PP01", full_name="Phạm Văn Phó", unit=world.snv, is_leader=True)
    HeadAssignment.objects.create(unit=world.snv, staff=deputy, role="deputy", valid_from=EPOCH)
    cong = StaffFactory(code="CC01", full_name="Trần Văn Công", unit=world.snv_cc)
    world.staff["pho"], world.staff["cong"] = deputy, cong
    period = open_period(world)
    Evaluation.objects.filter(staff=cong).update(proposed_level="not_complete")
    Evaluation.objects.filter(staff=world.staff["an"]).update(proposed_level="good")
    TaskFactory(
        lead_unit=world.snv_tc,
        assigned_on=period.starts_on,
        deadline=period.starts_on + dt.timedelta(days=1),
        completed_on=None,
    )
    return period


def test_a_deputy_answers_for_the_fields_assigned(world, month) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.leaders."""
    DeputyField.objects.create(staff=world.staff["pho"], unit=world.snv_cc, valid_from=EPOCH)
    ev = evaluation_of(world, "pho", month.code)
    work, about = leadership.leader_work(ev)
    assert work is not None and ev.rule_pack == "decree-335-2025"
    assert about["basis"] == "fields" and about["units"] == ["SNV-CC"]
    assert about["subordinates"] == 1 and about["not_complete"] == 1
    assert about["tasks_due"] == 0 and work.organising == "all_on_time"
    points, calculation = services.task_points_prefill(ev)
    assert calculation["operating"] == "50" and calculation["organising"] == "100"
    assert calculation["leader"]["units"] == ["SNV-CC"]
    assert points is not None


def test_a_deputy_without_fields_answers_for_the_unit(world, month) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.leaders."""
    ev = evaluation_of(world, "pho", month.code)
    work, about = leadership.leader_work(ev)
    assert about["basis"] == "unit" and about["units"] == ["SNV"]
    assert work is not None and work.organising == "other"  # SNV-TC's task is overdue


def test_the_head_answers_for_the_whole_unit(world, month) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.leaders."""
    DeputyField.objects.create(staff=world.staff["pho"], unit=world.snv_cc, valid_from=EPOCH)
    ev = evaluation_of(world, "son", month.code)
    work, about = leadership.leader_work(ev)
    assert about["basis"] == "head" and about["units"] == ["SNV"]
    assert about["not_complete"] == 1 and about["pending"] >= 1
    _points, calculation = services.task_points_prefill(ev)
    assert calculation["operating"] == "50" and calculation["organising"] == "50"


def test_a_field_outside_its_dates_does_not_count(world, month) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.leaders."""
    DeputyField.objects.create(
        staff=world.staff["pho"], unit=world.snv_cc, valid_from=EPOCH,
        valid_to=month.starts_on - dt.timedelta(days=1),
    )  # fmt: skip
    _work, about = leadership.leader_work(evaluation_of(world, "pho", month.code))
    assert about["basis"] == "unit"


def test_no_component_for_a_non_leader(world, month) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.leaders."""
    assert leadership.leader_work(evaluation_of(world, "an", month.code)) == (None, {})
    _points, calculation = services.task_points_prefill(evaluation_of(world, "an", month.code))
    assert "leader" not in calculation
