"""The pure task rules that the services and the import share (`directives.rules`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from thenchot.directives import rules
from thenchot.directives.choices import Quality
from thenchot.org.interchange import UnitRef

d = dt.date


def test_it_knows_the_same_quality_marks_as_the_model() -> None:
    assert tuple(Quality.values) == rules.QUALITIES


def test_it_names_a_unit_that_had_ended_and_accepts_one_that_existed() -> None:
    units = {"SNV": UnitRef(1, None, d(2025, 6, 30)), "STC": UnitRef(2, None, None)}
    facts = rules.TaskFacts(
        title="Báo cáo", lead_unit="SNV", assigned_on=d(2025, 7, 1), deadline=d(2025, 8, 1)
    )
    assert [b.rule for b in rules.task_breaches(facts, units)] == [rules.UNIT_NOT_VALID]
    ok = rules.TaskFacts(
        title="Báo cáo", lead_unit="STC", assigned_on=d(2025, 7, 1), deadline=d(2025, 8, 1)
    )
    assert rules.task_breaches(ok, units) == []


def test_it_refuses_a_second_pending_request_and_keeps_one() -> None:
    one = rules.ExtensionItem(d(2025, 3, 20), d(2025, 4, 30), "pending")
    two = rules.ExtensionItem(d(2025, 3, 21), d(2025, 5, 30), "pending")
    _planned, breaches = rules.plan_extensions(
        deadline=d(2025, 3, 31), assigned_on=d(2025, 3, 1), completed_on=None, items=[one]
    )
    assert breaches == []
    _planned, breaches = rules.plan_extensions(
        deadline=d(2025, 3, 31), assigned_on=d(2025, 3, 1), completed_on=None, items=[two, one]
    )
    assert [(b.rule, b.item, b.limit) for b in breaches] == [(rules.SECOND_PENDING, 0, 1)]


def test_it_rolls_progress_up_by_weight_with_completed_tasks_at_full() -> None:
    children = [(Decimal(1), 20, None), (Decimal(3), 0, d(2025, 3, 1))]
    assert rules.rolled_up_progress(children) == 80
    assert rules.rolled_up_progress([]) is None
