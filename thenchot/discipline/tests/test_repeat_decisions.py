"""Recording a decision while another one is running: one level heavier or refused, with the
running decision and the minimum named, and nothing written (Decree 172/2025)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError
from thenchot.discipline import services
from thenchot.discipline.models import DisciplineDecision
from thenchot.discipline.tests.conftest import decision
from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db

D = dt.date
LABELS = {
    "warning": "Warning (cảnh cáo)",
    "salary_step_down": "Salary step-down (hạ bậc lương)",
    "forced_dismissal": "Forced dismissal (buộc thôi việc)",
    "removal_from_post": "Removal from post (cách chức)",
}


def record(world: Any, scope_of: Any, form: str, on: dt.date, **kw: Any) -> DisciplineDecision:
    kw.setdefault("violation", "V-NEW")
    return services.decision_record(
        scope=scope_of("lan"),
        staff=world.staff["an"],
        form=form,
        decided_on=on,
        effective_on=on,
        **kw,
    )


def refused(world: Any, scope_of: Any, form: str, on: dt.date, **kw: Any) -> DomainError:
    before = (DisciplineDecision.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as exc:
        record(world, scope_of, form, on, **kw)
    assert (DisciplineDecision.objects.count(), AuditEntry.objects.count()) == before
    return exc.value


@pytest.fixture
def warning_2024(world):  # type: ignore[no-untyped-def]
    """An (civil servant, not a leader): a warning effective 2024-03-15, window to 2025-03-14."""
    return decision(
        world.staff["an"],
        "QD-OLD",
        "warning",
        violation="V-OLD",
        decided_on=D(2024, 3, 10),
        effective_on=D(2024, 3, 15),
        decision_number="45/QĐ-SNV",
    )


def test_it_refuses_a_lighter_form_on_the_last_day_of_the_window(
    world, scope_of, warning_2024
) -> None:  # type: ignore[no-untyped-def]
    """rules.md: discipline.procedure."""
    error = refused(world, scope_of, "warning", D(2025, 3, 14))
    message = str(error.message)
    # Names the running decision, its window and the minimum: salary step-down before 2025-07-01.
    assert "45/QĐ-SNV" in message and "14/03/2025" in message
    assert LABELS["salary_step_down"] in message and LABELS["warning"] in message
    assert list(error.field_errors) == ["form"]
    assert record(world, scope_of, "salary_step_down", D(2025, 3, 14)).form == "salary_step_down"


def test_it_accepts_any_allowed_form_from_the_first_day_outside(
    world, scope_of, warning_2024
) -> None:  # type: ignore[no-untyped-def]
    assert record(world, scope_of, "reprimand", D(2025, 3, 15)).form == "reprimand"


def test_it_does_not_count_the_same_act_as_a_new_violation(world, scope_of, warning_2024) -> None:  # type: ignore[no-untyped-def]
    party = record(world, scope_of, "reprimand", D(2024, 6, 1), violation="V-OLD", track="party")
    assert party.violation == "V-OLD"
    # A decision without a violation code is an act of its own.
    refused(world, scope_of, "reprimand", D(2024, 6, 2), violation="")


def test_it_takes_the_act_from_the_case_being_decided(world, scope_of, warning_2024) -> None:  # type: ignore[no-untyped-def]
    case = services.case_open(
        scope=scope_of("lan"),
        staff=world.staff["an"],
        detected_on=D(2024, 5, 1),
        summary="Vi phạm mới",
        violation="V-CASE",
    )
    refused(world, scope_of, "warning", D(2024, 6, 1), violation="", case=case)
    case.refresh_from_db()
    assert case.status == "open"
    same = services.case_open(
        scope=scope_of("lan"),
        staff=world.staff["an"],
        detected_on=D(2024, 5, 1),
        summary="Cùng hành vi, xử lý về Đảng",
        violation="V-OLD",
    )
    record(world, scope_of, "reprimand", D(2024, 6, 1), violation="", case=same)


def test_it_takes_the_next_form_still_allowed_after_the_reform(
    world, scope_of, warning_2024
) -> None:  # type: ignore[no-untyped-def]
    decision(
        world.staff["an"],
        "QD-SSD",
        "salary_step_down",
        violation="V-2",
        decided_on=D(2025, 3, 1),
        effective_on=D(2025, 3, 1),
    )
    # Salary step-down no longer exists for a civil servant: the next heavier is dismissal.
    error = refused(world, scope_of, "warning", D(2025, 8, 1))
    assert "QD-SSD" in str(error.message) and LABELS["forced_dismissal"] in str(error.message)
    assert record(world, scope_of, "forced_dismissal", D(2025, 8, 1)).form == "forced_dismissal"


def test_it_reads_the_order_of_forms_of_the_persons_category_now(
    world, scope_of, warning_2024
) -> None:  # type: ignore[no-untyped-def]
    Staff.objects.filter(pk=world.staff["an"].pk).update(category="cadre")
    # For a cadre, one level above a warning is removal from post, not dismissal.
    error = refused(world, scope_of, "warning", D(2024, 9, 1))
    assert LABELS["removal_from_post"] in str(error.message)
    assert record(world, scope_of, "removal_from_post", D(2024, 9, 1)).form == "removal_from_post"


def test_it_refuses_an_earlier_decision_that_would_run_over_a_later_one(world, scope_of) -> None:  # type: ignore[no-untyped-def]
    decision(
        world.staff["an"],
        "QD-LATER",
        "reprimand",
        violation="V-LATER",
        decided_on=D(2025, 5, 1),
        effective_on=D(2025, 5, 1),
    )
    error = refused(world, scope_of, "warning", D(2025, 2, 1))
    assert "QD-LATER" in str(error.message) and "effective_on" in error.field_errors
    # Its window ends before the later decision: nothing runs over it.
    assert record(world, scope_of, "warning", D(2024, 4, 30)).form == "warning"


def test_it_audits_an_accepted_heavier_decision(world, scope_of, warning_2024) -> None:  # type: ignore[no-untyped-def]
    d = record(world, scope_of, "salary_step_down", D(2024, 9, 1))
    assert AuditEntry.objects.filter(
        model_label="discipline.disciplinedecision", object_id=str(d.pk)
    ).exists()
