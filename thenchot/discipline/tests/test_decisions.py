"""Recording cases and decisions: lawful forms only, effective not before decided, the case
decided by its decision, and only personnel officers in scope may write."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.discipline import services
from thenchot.discipline.models import DisciplineCase, DisciplineDecision

pytestmark = pytest.mark.django_db


def _case(world, scope_of):  # type: ignore[no-untyped-def]
    return services.case_open(
        scope=scope_of("lan"),
        staff=world.staff["an"],
        detected_on=dt.date(2025, 8, 1),
        summary="Tiết lộ hồ sơ tuyển dụng",
    )


def test_it_records_a_decision_and_decides_the_case(world, scope_of) -> None:  # type: ignore[no-untyped-def]
    case = _case(world, scope_of)
    d = services.decision_record(
        scope=scope_of("lan"),
        staff=world.staff["an"],
        case=case,
        form="warning",
        decided_on=dt.date(2025, 9, 15),
        effective_on=dt.date(2025, 9, 15),
        decision_number="123/QĐ-SNV",
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on) == ("decided", dt.date(2025, 9, 15))
    assert d.violation == case.violation
    assert AuditEntry.objects.filter(model_label="discipline.disciplinedecision").count() == 1


def test_it_refuses_salary_step_down_for_a_civil_servant_from_2025_07_01(world, scope_of) -> None:  # type: ignore[no-untyped-def]
    """rules.md: discipline.forms.civil-servant."""
    with pytest.raises(DomainError) as exc:
        services.decision_record(
            scope=scope_of("lan"),
            staff=world.staff["an"],
            form="salary_step_down",
            decided_on=dt.date(2025, 7, 1),
            effective_on=dt.date(2025, 7, 1),
        )
    assert "form" in exc.value.field_errors
    assert not DisciplineDecision.objects.exists()
    # The day before, the same form was lawful.
    services.decision_record(
        scope=scope_of("lan"),
        staff=world.staff["an"],
        form="salary_step_down",
        decided_on=dt.date(2025, 6, 30),
        effective_on=dt.date(2025, 7, 1),
    )
    assert DisciplineDecision.objects.count() == 1


def test_it_refuses_demotion_for_a_leader_from_2025_07_01(world, scope_of) -> None:  # type: ignore[no-untyped-def]
    """rules.md: discipline.forms.civil-servant-leader."""
    with pytest.raises(DomainError):
        services.decision_record(
            scope=scope_of("lan"),
            staff=world.staff["hoa"],
            form="demotion",
            decided_on=dt.date(2025, 8, 1),
            effective_on=dt.date(2025, 8, 1),
        )
    assert not DisciplineDecision.objects.exists()


def test_it_refuses_an_effective_date_before_the_decision(world, scope_of) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as exc:
        services.decision_record(
            scope=scope_of("lan"),
            staff=world.staff["an"],
            form="reprimand",
            decided_on=dt.date(2025, 9, 15),
            effective_on=dt.date(2025, 9, 14),
        )
    assert "effective_on" in exc.value.field_errors
    assert not DisciplineDecision.objects.exists()


@pytest.mark.parametrize("who", ["hoa", "binh", "minh", "an", "hung"])
def test_it_lets_only_personnel_in_scope_write(world, scope_of, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OutOfScope):
        services.decision_record(
            scope=scope_of(who),
            staff=world.staff["an"],
            form="reprimand",
            decided_on=dt.date(2025, 9, 15),
            effective_on=dt.date(2025, 9, 15),
        )
    with pytest.raises(OutOfScope):
        services.case_open(
            scope=scope_of(who),
            staff=world.staff["an"],
            detected_on=dt.date(2025, 8, 1),
            summary="x",
        )
    assert not DisciplineCase.objects.exists() and not DisciplineDecision.objects.exists()


def test_it_refuses_changes_to_a_closed_case(world, scope_of) -> None:  # type: ignore[no-untyped-def]
    case = _case(world, scope_of)
    services.case_drop(
        scope=scope_of("lan"), case=case, closed_on=dt.date(2025, 9, 1), expected_version=1
    )
    with pytest.raises(DomainError):
        services.case_pause(
            scope=scope_of("lan"),
            case=case,
            reason="serious_illness",
            date_from=dt.date(2025, 9, 2),
        )
    with pytest.raises(DomainError):
        services.decision_record(
            scope=scope_of("lan"),
            staff=world.staff["an"],
            case=case,
            form="reprimand",
            decided_on=dt.date(2025, 9, 15),
            effective_on=dt.date(2025, 9, 15),
        )
    assert not case.pauses.exists()


def test_it_moves_the_case_deadline_by_a_recorded_pause(world, scope_of) -> None:  # type: ignore[no-untyped-def]
    from thenchot.discipline.selectors import case_deadline

    case = _case(world, scope_of)
    before = case_deadline(case, dt.date(2025, 8, 1)).due_on
    services.case_pause(
        scope=scope_of("lan"),
        case=case,
        reason="maternity_leave",
        date_from=dt.date(2025, 8, 10),
        date_to=dt.date(2025, 8, 19),
    )
    services.case_extend(
        scope=scope_of("lan"), case=case, reason="cần xác minh", expected_version=1
    )
    case.refresh_from_db()
    after = case_deadline(case, dt.date(2025, 8, 1)).due_on
    assert after - before == dt.timedelta(days=60 + 10)
    with pytest.raises(DomainError):
        services.case_pause(
            scope=scope_of("lan"), case=case, reason="vacation", date_from=dt.date(2025, 8, 20)
        )
