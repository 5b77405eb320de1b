"""Bad input of the issue: a clear error, nothing changed."""

from __future__ import annotations

import pytest

from thenchot.appraisal import closing, services
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation, PackParameterSet
from thenchot.appraisal.testing import (
    approved,
    evaluation_of,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)
from thenchot.core.errors import DomainError, OutOfScope


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    return open_period(world)


def _row(ev):  # type: ignore[no-untyped-def]
    return Evaluation.objects.filter(pk=ev.pk).values().get()


@pytest.mark.parametrize(
    ("general", "tasks", "field"),
    [
        ("31", "60", "general_points"),  # decree-335: general ≤ 30
        ("20", "70.01", "task_points"),  # tasks ≤ 70
        ("-1", "60", "general_points"),
        ("20", "-0.5", "task_points"),
        ("20.123", "60", "general_points"),
        ("abc", "60", "general_points"),
    ],
)
def test_it_refuses_points_out_of_range(world, month, general, tasks, field):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    before = _row(ev)
    with pytest.raises(DomainError) as info:
        services.self_assess(
            evaluation=ev, by=world.user("an"), general_points=general, task_points=tasks
        )
    assert field in info.value.field_errors
    assert _row(ev) == before


def test_it_refuses_a_reviewer_adjustment_above_the_maximum(world, month):  # type: ignore[no-untyped-def]
    ev = services.self_assess(
        evaluation=evaluation_of(world, "an"),
        by=world.user("an"),
        general_points="20",
        task_points="60",
    )
    before = _row(ev)
    with pytest.raises(DomainError):
        services.review(evaluation=ev, by=world.user("hoa"), task_points="71", comment="x")
    with pytest.raises(DomainError):  # an adjustment needs a comment
        services.review(evaluation=ev, by=world.user("hoa"), task_points="50")
    assert _row(ev) == before


def test_it_refuses_a_period_in_the_future(world, month):  # type: ignore[no-untyped-def]
    year, mon = int(this_month()[:4]), int(this_month()[5:])
    future = f"{year + (mon == 12):04d}-{mon % 12 + 1:02d}"
    with pytest.raises(DomainError) as info:
        services.period_open(agency=world.snv, code=future)
    assert "period" in info.value.field_errors
    assert not Evaluation.objects.filter(period_code=future).exists()
    with pytest.raises(DomainError):
        closing.close_period(unit=world.snv, period=future)


def test_it_refuses_a_self_assessment_for_a_period_not_begun(world, month, monkeypatch):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    before = _row(ev)
    monkeypatch.setattr(
        services,
        "today",
        lambda: month.starts_on.replace(day=1) - __import__("datetime").timedelta(days=1),
    )
    with pytest.raises(DomainError):
        services.self_assess(
            evaluation=ev, by=world.user("an"), general_points="20", task_points="60"
        )
    assert _row(ev) == before


def test_it_refuses_a_self_assessment_after_the_close(world, month):  # type: ignore[no-untyped-def]
    for ev in month.evaluations.all():
        approved(ev, general="20", tasks="50")
    closing.close_period(unit=world.snv, period=month.code)
    ev = evaluation_of(world, "an")
    before = _row(ev)
    with pytest.raises(services.PeriodClosed):
        services.self_assess(
            evaluation=ev, by=world.user("an"), general_points="25", task_points="60"
        )
    assert _row(ev) == before


def test_it_refuses_someone_else_self_assessing(world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    before = _row(ev)
    for name in ("hoa", "lan", "quan"):
        with pytest.raises(OutOfScope):
            services.self_assess(
                evaluation=ev, by=world.user(name), general_points="20", task_points="60"
            )
    assert _row(ev) == before


def test_it_refuses_approving_ones_own_evaluation(world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "hoa")
    services.self_assess(evaluation=ev, by=world.user("hoa"), general_points="25", task_points="60")
    ev = services.review(evaluation=ev, by=world.user("son"))
    before = _row(ev)
    with pytest.raises(OutOfScope):
        services.approve(evaluation=ev, by=world.user("hoa"))
    assert _row(ev) == before
    son = evaluation_of(world, "son")
    Evaluation.objects.filter(pk=son.pk).update(
        status=EvaluationStatus.REVIEWED, general_points=25, task_points=60
    )
    with pytest.raises(OutOfScope):
        services.approve(evaluation=son, by=world.user("son"))
    assert evaluation_of(world, "son").status == EvaluationStatus.REVIEWED


def test_it_refuses_overlapping_thresholds(world):  # type: ignore[no-untyped-def]
    """rules.md: intro.defaults."""
    with pytest.raises(DomainError) as info:
        services.params_update(
            pack_id="decree-335-2025",
            changes={"bands.good_from": "95"},
            reason="thử",
            by=world.user("quan"),
        )
    assert "params" in info.value.field_errors
    with pytest.raises(OutOfScope):
        services.params_update(
            pack_id="decree-335-2025",
            changes={"bands.excellent_from": "92"},
            reason="x",
            by=world.user("lan"),
        )
    assert not PackParameterSet.objects.exists()


def test_it_keeps_the_parameters_a_period_was_closed_with(world, month):  # type: ignore[no-untyped-def]
    """rules.md: packs.in-force."""
    for ev in month.evaluations.all():
        approved(ev, general="28", tasks="63")  # 91
    closing.close_period(unit=world.snv, period=month.code, resolve_quota="by-score")
    month.refresh_from_db()
    kept = month.pack_params["decree-335-2025"]["params"]["bands"]["excellent_from"]
    services.params_update(
        pack_id="decree-335-2025",
        changes={"bands.excellent_from": "95"},
        reason="Quyết định mới",
        by=world.user("quan"),
    )
    again = closing.close_period(unit=world.snv, period=month.code)
    month.refresh_from_db()
    assert again.periods_closed == 0
    assert month.pack_params["decree-335-2025"]["params"]["bands"]["excellent_from"] == kept == "90"


def test_it_flags_a_late_self_assessment(world, monkeypatch):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    last = open_period(world, month_before(this_month()))
    monkeypatch.setattr(
        services, "today", lambda: last.self_due + __import__("datetime").timedelta(days=1)
    )
    ev = services.self_assess(
        evaluation=evaluation_of(world, "an", last.code),
        by=world.user("an"),
        general_points="20",
        task_points="50",
    )
    assert ev.submitted_late and ev.status == EvaluationStatus.SELF_ASSESSED


def test_it_audits_a_parameter_change_with_who_why_and_the_new_values(world):  # type: ignore[no-untyped-def]
    """A rule pack's parameters change by a new version, audited with who, why and the values
    (rules.md: intro.defaults)."""
    from thenchot.core.auditing import history
    from thenchot.core.context import acting

    with acting(actor=world.user("quan"), source="web"):
        row = services.params_update(
            pack_id="decree-335-2025",
            changes={"bands.excellent_from": "92"},
            reason="Quyết định 15/QĐ-UBND",
            by=world.user("quan"),
        )
    (entry,) = history(row)
    assert entry.action == "create" and entry.reason == "Quyết định 15/QĐ-UBND"
    assert entry.actor == world.user("quan")
    assert entry.after["params"]["bands"]["excellent_from"] == "92"
    # The earlier values are not overwritten: the new version is a record of its own.
    assert row.number == 1 and PackParameterSet.objects.count() == 1
