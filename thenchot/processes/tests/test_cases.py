"""Cases: due dates on the working-day calendar, moving step by step by the responsible people,
late cases, status flags, and the recomputation after a holiday change.

Thu (staff of STC-NS) holds step 1 of QT-01; Minh (unit head of STC) approves at step 2; An
(SNV-TC) is responsible for nothing; Lan (SNV) cannot even read STC's cases."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry
from thenchot.core import calendar_table
from thenchot.core.calendar import WorkingCalendar
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.jobs import run_now
from thenchot.processes import selectors, services, workdays
from thenchot.processes.choices import CaseStatus
from thenchot.processes.jobs import JOB
from thenchot.processes.models import Case
from thenchot.processes.status import case_status
from thenchot.processes.tests.conftest import MAKEUP_SATURDAY, _facts

RECEIVED = dt.date(2025, 1, 24)  # the Friday before Tết
TODAY = dt.date(2025, 1, 24)


def _start(officer, procedure, received_on=RECEIVED):
    return services.case_start(
        scope=compute_scope(officer, TODAY), by=officer, process=procedure, received_on=received_on
    )


def _advance(user, case, position, on, **extra):
    case.refresh_from_db()
    return services.case_advance(
        by=user, case=case, position=position, on=on, expected_version=case.version, **extra
    )


def test_it_computes_due_dates_skipping_tet_and_counting_a_compensatory_saturday(
    world, procedure, officer
):
    case = _start(officer, procedure)
    steps = list(case.steps.order_by("position"))
    # 27–31 January are Tết, 1–2 February a weekend: the 3 days are 3, 4 and 5 February.
    assert steps[0].due_on == dt.date(2025, 2, 5)
    # then 6, 7 and the working Saturday 8 February
    assert case.due_on == MAKEUP_SATURDAY
    assert steps[1].due_on == MAKEUP_SATURDAY


@pytest.mark.parametrize(
    ("received_on", "word"), [(dt.date(2025, 1, 1), "approved"), (dt.date(2025, 3, 1), "retired")]
)
def test_it_refuses_a_case_outside_its_version(world, procedure, officer, received_on, word):
    procedure.retired_on = dt.date(2025, 3, 1)
    procedure.save()
    with pytest.raises(DomainError) as exc:
        _start(officer, procedure, received_on)
    assert received_on.strftime("%d/%m/%Y") in str(exc.value.message)
    assert word in str(exc.value.message)
    assert not Case.objects.exists()


def test_it_moves_a_case_only_by_the_people_responsible(world, procedure, officer):
    case = _start(officer, procedure)
    with pytest.raises(OutOfScope) as exc:
        _advance(world.user("an"), case, 1, dt.date(2025, 2, 3))
    assert "Nguyễn Văn An" in str(exc.value.message)
    case.refresh_from_db()
    assert case.current_position == 1
    _advance(officer, case, 1, dt.date(2025, 2, 4))
    with pytest.raises(OutOfScope):
        _advance(officer, case, 2, dt.date(2025, 2, 5))  # step 2 is the unit head's
    _advance(world.user("minh"), case, 2, dt.date(2025, 2, 6))
    case.refresh_from_db()
    assert case.completed_on == dt.date(2025, 2, 6) and case.current_position == 0


def test_it_refuses_a_skipped_step(world, procedure, officer):
    case = _start(officer, procedure)
    with pytest.raises(DomainError) as exc:
        _advance(world.user("minh"), case, 2, dt.date(2025, 2, 3))
    assert "Step 2" in str(exc.value.message)
    case.refresh_from_db()
    assert case.current_position == 1 and case.completed_on is None


def test_it_records_who_held_each_step_and_for_how_long(world, procedure, officer):
    case = _start(officer, procedure)
    _advance(officer, case, 1, dt.date(2025, 2, 7))  # due 5 February: two working days late
    case.refresh_from_db()
    lines = selectors.case_steps(case, dt.date(2025, 2, 10))
    assert lines[0].held_by == "Ngô Thị Thu"
    assert lines[0].held_days == 5  # 3, 4, 5, 6, 7 February
    assert lines[0].late_days == 2
    # step 2 starts on the completion and is due 3 working days later: 8 (Saturday), 10, 11
    assert lines[1].started_on == dt.date(2025, 2, 7)
    assert lines[1].due_on == dt.date(2025, 2, 11)
    assert lines[1].current
    current = selectors.current_step(case)
    assert selectors.holder_label(case, current.step).startswith("Sở Tài chính")


def test_it_requires_a_reason_and_an_apology_for_a_late_case(world, procedure, officer):
    minh = world.user("minh")
    case = _start(officer, procedure)
    _advance(officer, case, 1, dt.date(2025, 2, 5))
    with pytest.raises(DomainError) as exc:
        _advance(minh, case, 2, dt.date(2025, 2, 10))
    assert "08/02/2025" in str(exc.value.message)
    assert set(exc.value.field_errors) == {"late_reason", "apology_number", "apology_on"}
    case.refresh_from_db()
    assert case.completed_on is None
    _advance(
        minh,
        case,
        2,
        dt.date(2025, 2, 10),
        late_reason="Chờ ý kiến sở ngành",
        apology_number="15/TXL",
        apology_on=dt.date(2025, 2, 7),
    )
    case.refresh_from_db()
    assert case.apology_number == "15/TXL"
    threshold = workdays.risk_threshold(dt.date(2025, 2, 10))
    assert selectors.case_status_of(case, dt.date(2025, 2, 10), threshold) == "completed_late"


def test_it_agrees_on_the_status_in_lists_and_on_one_case(world, procedure, officer):
    cases = [_start(officer, procedure, RECEIVED + dt.timedelta(days=d)) for d in range(0, 30, 3)]
    _advance(officer, cases[0], 1, dt.date(2025, 2, 4))
    _advance(world.user("minh"), cases[0], 2, dt.date(2025, 2, 6))
    for on in [dt.date(2025, 2, 7), dt.date(2025, 2, 10), dt.date(2025, 2, 20)]:
        threshold = workdays.risk_threshold(on)
        listed = dict(selectors.with_status(Case.objects.all(), on).values_list("pk", "status"))
        for case in Case.objects.all():
            one = case_status(
                due_on=case.due_on, completed_on=case.completed_on, on=on, threshold=threshold
            )
            assert listed[case.pk] == one
    assert CaseStatus.AT_RISK in {
        case_status(
            due_on=c.due_on,
            completed_on=None,
            on=dt.date(2025, 2, 7),
            threshold=workdays.risk_threshold(dt.date(2025, 2, 7)),
        )
        for c in Case.objects.all()
    }


def test_it_recomputes_open_cases_when_a_holiday_is_added(world, procedure, officer, monkeypatch):
    case = _start(officer, procedure)
    done = _start(officer, procedure)
    _advance(officer, done, 1, dt.date(2025, 2, 3))
    _advance(world.user("minh"), done, 2, dt.date(2025, 2, 4))
    done.refresh_from_db()
    new = WorkingCalendar({MAKEUP_SATURDAY: True, dt.date(2025, 2, 4): False}, source=_facts)
    monkeypatch.setattr(calendar_table, "calendar", lambda: new)
    result = run_now(JOB, first="2025-02-04", last="2025-02-04", chain=False)
    case.refresh_from_db()
    assert result["moved"] == 1
    # 3, 5, 6 February for step 1; 7, 8 (Saturday), 10 for the case
    assert case.due_on == dt.date(2025, 2, 10)
    assert case.steps.get(position=1).due_on == dt.date(2025, 2, 6)
    assert Case.objects.get(pk=done.pk).due_on == done.due_on  # a finished case keeps its dates
    assert AuditEntry.objects.filter(
        model_label="processes.case", object_id=str(case.pk), reason="calendar changed"
    ).exists()
    # safe to run twice
    assert run_now(JOB, first="2025-02-04", last="2025-02-04", chain=False)["moved"] == 0


def test_it_hides_cases_of_other_units(world, procedure, officer):
    case = _start(officer, procedure)
    lan = compute_scope(world.user("lan"), TODAY)
    assert not selectors.cases_queryset(lan).filter(pk=case.pk).exists()
    minh = compute_scope(world.user("minh"), TODAY)
    assert selectors.cases_queryset(minh).filter(pk=case.pk).exists()
