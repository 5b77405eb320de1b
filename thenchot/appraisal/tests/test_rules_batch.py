"""The batch classifier (a close's path) gives exactly what `pack.classify` gives: the same level,
score, quota group and trace text, or the same refusal — on its fast path and off it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thenchot.appraisal.rules import (
    Category,
    DisciplineFact,
    Level,
    PersonPeriod,
    RuleInputError,
    registry,
)
from thenchot.appraisal.rules.base import Period, TraceStep
from thenchot.appraisal.rules.batch import trace_json

SETTINGS = settings(max_examples=300, deadline=None)
PACKS = {
    "hanoi-monthly-2018": (Period.month(2026, 3), list(Category)),
    "decree-335-2025": (Period.month(2026, 3), [Category.CIVIL_SERVANT]),
}


def _points(pack_id: str) -> st.SearchStrategy[dict[str, object]]:
    pack = registry.get(pack_id)
    keys = [c.id for c in pack.criteria]
    cents = st.integers(min_value=-150, max_value=11_000).map(lambda n: D(n) / 100)
    odd = st.sampled_from([D("1.005"), D("NaN"), "12", 7, D("1E+1")])
    value = st.one_of(cents, cents, cents, odd)
    return st.dictionaries(st.sampled_from(keys), value, max_size=len(keys)) | (
        st.fixed_dictionaries(dict.fromkeys(keys, cents))
    )


def _reference(pack_id: str, **kwargs: object) -> object:
    pack = registry.get(pack_id)
    try:
        found = pack.classify(PersonPeriod(**kwargs), pack.defaults())  # type: ignore[arg-type]
    except RuleInputError as exc:
        return ("refused", exc.messages)
    encoded = json.dumps([step.to_dict() for step in found.trace], ensure_ascii=False)
    return (found.level, found.score, found.is_leader, encoded)


def _batch(pack_id: str, **kwargs: object) -> object:
    batch = registry.get(pack_id).batch()
    kwargs = dict(kwargs)
    kwargs.pop("staff_id")
    try:
        got = batch.classify(staff_id=1, **kwargs)  # type: ignore[arg-type]
    except RuleInputError as exc:
        return ("refused", exc.messages)
    return (got.level, got.score, got.is_leader, got.reasons)


@st.composite
def people(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    pack_id = draw(st.sampled_from(sorted(PACKS)))
    period, categories = PACKS[pack_id]
    discipline = draw(
        st.lists(
            st.builds(
                DisciplineFact,
                form=st.sampled_from(["reprimand", "warning", "forced_dismissal"]),
                effective_on=st.dates(dt.date(2026, 2, 20), dt.date(2026, 4, 10)),
                duty_related=st.booleans(),
            ),
            max_size=2,
        )
    )
    return pack_id, {
        "staff_id": 1,
        "category": draw(st.sampled_from(categories)),
        "period": period,
        "is_leader": draw(st.booleans()),
        "is_head": draw(st.booleans()),
        "points": draw(_points(pack_id)),
        "discipline": tuple(discipline),
        "unit_result": draw(st.none() | st.sampled_from(list(Level)[:4])),
    }


@SETTINGS
@given(people())
def test_batch_equals_classify(person: tuple[str, dict[str, object]]) -> None:
    pack_id, kwargs = person
    assert _batch(pack_id, **kwargs) == _reference(pack_id, **kwargs)


@pytest.mark.parametrize(
    ("general", "tasks", "level"),
    [
        ("20", "69.99", Level.GOOD),
        ("20", "70", Level.EXCELLENT),
        ("19.99", "30", Level.NOT_COMPLETE),
        ("20", "30", Level.COMPLETE),
    ],
)
def test_fast_path_thresholds(general: str, tasks: str, level: Level) -> None:
    batch = registry.get("decree-335-2025").batch()
    got = batch.classify(
        staff_id=1,
        category="civil_servant",
        period=Period.month(2026, 3),
        points={"general": D(general), "tasks": D(tasks)},
    )
    assert got.level is level and got.score == D(general) + D(tasks)
    assert '"rule": "decree-335.grade"' in got.reasons


def test_uncovered_period_is_refused_every_time() -> None:
    batch = registry.get("decree-335-2025").batch()
    for _ in range(2):  # the refusal is remembered, and raised again
        with pytest.raises(RuleInputError, match="does not cover"):
            batch.classify(
                staff_id=1,
                category="civil_servant",
                period=Period.month(2025, 3),
                points={"general": D(20), "tasks": D(60)},
            )


def test_head_capped_on_the_fast_path() -> None:
    batch = registry.get("hanoi-monthly-2018").batch()
    got = batch.classify(
        staff_id=1,
        category="cadre",
        period=Period.month(2026, 3),
        is_head=True,
        points={"discipline_ethics": D(20), "tasks": D(70), "bonus": D(5)},
        unit_result=Level.GOOD,
    )
    assert got.level is Level.GOOD and got.is_leader
    assert "ceiling.unit_result" in got.reasons


@SETTINGS
@given(
    before=st.none() | st.sampled_from(list(Level)),
    after=st.sampled_from(list(Level)),
    params=st.dictionaries(st.text(max_size=8), st.text(max_size=12), max_size=4),
    detail=st.text(max_size=40),
)
def test_trace_json_is_what_json_writes(
    before: Level | None, after: Level, params: dict[str, str], detail: str
) -> None:
    step = TraceStep("imported", detail, before, after, params)  # no template: detail stored
    assert step.to_json() == json.dumps(step.to_dict(), ensure_ascii=False)
    assert trace_json([step, step]) == json.dumps([step.to_dict()] * 2, ensure_ascii=False)
    assert json.loads(trace_json([step]))[0]["detail"] == detail


@SETTINGS
@given(
    before=st.none() | st.sampled_from(list(Level)),
    after=st.sampled_from(list(Level)),
    form=st.text(max_size=10),
    day=st.dates(),
)
def test_a_templated_step_is_stored_without_its_detail_and_read_back_whole(
    before: Level | None, after: Level, form: str, day: dt.date
) -> None:
    step = TraceStep.make(
        "override.discipline", before, after, form=form, effective_on=day, track="party"
    )
    stored = json.loads(step.to_json())
    assert "detail" not in stored and "level" not in stored["params"]
    assert stored == step.to_dict()
    assert TraceStep.from_dict(stored) == step
