"""Closing a month: the order of rules.md (score, overrides, head ceiling, quota), refusals that
change nothing, closing twice, reopening by a recorded decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from thenchot.appraisal import closing, reopening, services
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation, ReopenDecision
from thenchot.appraisal.testing import (
    approved,
    evaluation_of,
)
from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope


def _state(period):  # type: ignore[no-untyped-def]
    return sorted(
        Evaluation.objects.filter(period=period).values_list(
            "pk", "status", "final_level", "score", "version"
        )
    )


def test_it_closes_and_locks_the_period(world, month):  # type: ignore[no-untyped-def]
    result = closing.close_period(unit=world.snv, period=month.code, by=world.user("son"))
    month.refresh_from_db()
    assert month.status == PeriodStatus.CLOSED and month.pack_params["decree-335-2025"]["params"]
    assert result.by_level == {"good": 7}
    assert set(month.evaluations.values_list("status", flat=True)) == {"closed"}
    ev = evaluation_of(world, "an")
    assert ev.reasons and ev.reasons[0]["level_after"] == "good"
    with pytest.raises(services.PeriodClosed):
        services.self_assess(
            evaluation=ev, by=world.user("an"), general_points="20", task_points="50"
        )


def test_it_changes_nothing_when_closed_twice(world, month):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=month.code)
    before = _state(month)
    audit = AuditEntry.objects.count()
    again = closing.close_period(unit=world.snv, period=month.code)
    assert again.periods_closed == 0 and again.already_closed == 1
    assert _state(month) == before and AuditEntry.objects.count() == audit


def test_it_refuses_a_division_alone(world, month):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        closing.close_period(unit=world.snv_tc, period=month.code)
    month.refresh_from_db()
    assert month.status == PeriodStatus.OPEN


def test_it_refuses_while_an_evaluation_is_not_approved(world, month):  # type: ignore[no-untyped-def]
    Evaluation.objects.filter(pk=evaluation_of(world, "an").pk).update(status="reviewed")
    before = _state(month)
    with pytest.raises(closing.NotReady) as info:
        closing.close_period(unit=world.snv, period=month.code)
    assert "Nguyễn Văn An" in str(info.value.message)
    assert _state(month) == before


def test_it_refuses_a_head_of_another_agency(world, month):  # type: ignore[no-untyped-def]
    for name in ("minh", "hoa", "an", "lan"):
        with pytest.raises(OutOfScope):
            closing.close_period(unit=world.snv, period=month.code, by=world.user(name))
    month.refresh_from_db()
    assert month.status == PeriodStatus.OPEN


def test_it_lowers_a_disciplined_person_to_not_complete(world, month):  # type: ignore[no-untyped-def]
    from thenchot.discipline.models import DisciplineDecision

    day = month.starts_on + dt.timedelta(days=1)
    DisciplineDecision.objects.create(
        code="KL-01", staff=world.staff["an"], form="reprimand", decided_on=day, effective_on=day
    )
    closing.close_period(unit=world.snv, period=month.code)
    ev = evaluation_of(world, "an")
    assert ev.final_level == "not_complete" and ev.score == Decimal("80")
    assert [r["rule"] for r in ev.reasons] == ["decree-335.grade", "override.discipline"]
    assert evaluation_of(world, "lan").final_level == "good"


def test_it_caps_a_head_at_the_unit_result(world, month):  # type: ignore[no-untyped-def]
    """rules.md: level.3, unit-result.ceiling."""
    from thenchot.directives.testing import TaskFactory

    TaskFactory(
        lead_unit=world.snv,
        assigned_on=month.starts_on,
        deadline=month.starts_on + dt.timedelta(days=3),
        completed_on=None,
    )
    closing.close_period(unit=world.snv, period=month.code)
    head = evaluation_of(world, "son")
    assert head.final_level == "not_complete"
    assert head.reasons[-1]["rule"] == "ceiling.unit_result"
    assert evaluation_of(world, "lan").final_level == "good"  # not a head: no ceiling


def _two_excellent(world):  # type: ignore[no-untyped-def]
    approved(evaluation_of(world, "lan"), general="30", tasks="65")  # 95
    approved(evaluation_of(world, "quan"), general="28", tasks="64")  # 92


def test_it_refuses_a_quota_conflict_naming_the_people(world, month):  # type: ignore[no-untyped-def]
    _two_excellent(world)
    before = _state(month)
    with pytest.raises(closing.QuotaConflicts) as info:
        closing.close_period(unit=world.snv, period=month.code)
    (conflict,) = info.value.conflicts
    assert conflict.group == "non_leaders" and conflict.allowed == 1 and conflict.top == 2
    assert [p.code for p in conflict.would_move] == [world.staff["quan"].code]
    assert "Vũ Minh Quân" in conflict.describe()
    assert _state(month) == before


def test_it_resolves_the_quota_by_score(world, month):  # type: ignore[no-untyped-def]
    _two_excellent(world)
    result = closing.close_period(unit=world.snv, period=month.code, resolve_quota="by-score")
    assert result.moved_by_quota == 1
    quan = evaluation_of(world, "quan")
    assert quan.final_level == "good" and quan.reasons[-1]["rule"] == "quota.excellent_share"
    assert evaluation_of(world, "lan").final_level == "excellent"


def test_it_resolves_the_quota_by_the_heads_choice(world, month):  # type: ignore[no-untyped-def]
    _two_excellent(world)
    lan = evaluation_of(world, "lan")
    with pytest.raises(OutOfScope):
        services.quota_choose(evaluations=[lan], by=world.user("hoa"))
    services.quota_choose(evaluations=[lan], by=world.user("son"))
    closing.close_period(unit=world.snv, period=month.code)
    lan.refresh_from_db()
    assert lan.final_level == "good" and lan.reasons[-1]["rule"] == "quota.named_by_head"
    assert evaluation_of(world, "quan").final_level == "excellent"


def test_it_previews_without_writing(world, month):  # type: ignore[no-untyped-def]
    before = _state(month)
    result = closing.close_period(unit=world.snv, period=month.code, dry_run=True)
    assert result.evaluations == 7 and set(result.levels.values()) == {"good"}
    assert _state(month) == before


def test_it_reopens_by_a_recorded_decision(world, month):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=month.code)
    today = timezone.localdate()
    with pytest.raises(OutOfScope):
        reopening.reopen_period(
            period=month, decision="QĐ 1", decided_on=today, reason="x", by=world.user("an")
        )
    with pytest.raises(DomainError):
        reopening.reopen_period(
            period=month, decision="", decided_on=today, reason="Sai sót", by=world.user("hung")
        )
    reopening.reopen_period(
        period=month,
        decision="QĐ 15/QĐ-UBND",
        decided_on=today,
        reason="Sai sót điểm",
        by=world.user("hung"),
    )
    month.refresh_from_db()
    assert month.status == PeriodStatus.OPEN
    assert ReopenDecision.objects.filter(
        period=month, decision="QĐ 15/QĐ-UBND", decided_on=today
    ).exists()
    ev = evaluation_of(world, "an")
    assert ev.status == EvaluationStatus.APPROVED and ev.final_level == ""
    closing.close_period(unit=world.snv, period=month.code)
    assert evaluation_of(world, "an").final_level == "good"
