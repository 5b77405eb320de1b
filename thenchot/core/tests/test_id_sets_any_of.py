"""The board's filter on its period rows and units (`AnyOf`: one array parameter on
PostgreSQL, issue 18) selects what Django's IN list selects, and no query at all for no ids."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.testing import open_period, with_snv_head
from thenchot.core.id_sets import AnyOf


@pytest.fixture
def rows(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    open_period(world)
    open_period(world, agency=world.stc)
    return list(Evaluation.objects.order_by("pk").values_list("pk", "period_id", "unit_id"))


def test_it_selects_what_in_selects(world, rows):  # type: ignore[no-untyped-def]
    periods = sorted({p for _pk, p, _u in rows})
    units = sorted({u for _pk, _p, u in rows})
    assert len(periods) == 2 and len(units) >= 3
    for chosen_periods in ([periods[0]], periods, [*periods, 10**9], [*periods, *periods]):
        for chosen_units in ([units[0]], units[1:], units, [units[0]] * 3):
            mine = Evaluation.objects.filter(
                AnyOf(F("period_id"), chosen_periods), AnyOf(F("unit_id"), chosen_units)
            ).order_by("pk")
            django = Evaluation.objects.filter(
                period_id__in=chosen_periods, unit_id__in=chosen_units
            ).order_by("pk")
            assert list(mine.values_list("pk", flat=True)) == list(
                django.values_list("pk", flat=True)
            )
            assert mine.count() == django.count()
    assert EvaluationPeriod.objects.filter(AnyOf(F("pk"), periods)).count() == 2


def test_it_asks_nothing_for_no_ids(world, rows):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as asked:
        assert list(Evaluation.objects.filter(AnyOf(F("period_id"), []))) == []
        assert Evaluation.objects.filter(AnyOf(F("unit_id"), [])).count() == 0
    assert len(asked) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array form is PostgreSQL's")
def test_it_sends_one_array_on_postgresql(world, rows):  # type: ignore[no-untyped-def]
    ids = [p for _pk, p, _u in rows]
    sql, params = Evaluation.objects.filter(AnyOf(F("period_id"), ids)).query.sql_with_params()
    assert "= ANY(%s::bigint[])" in sql
    assert list(params) == [sorted(set(ids))]
    # One id: `= x`, as PostgreSQL makes of `IN (x)` (an array of one would plan apart).
    sql, params = Evaluation.objects.filter(
        AnyOf(F("period_id"), ids[:1] * 2)
    ).query.sql_with_params()
    assert "ANY" not in sql and list(params) == ids[:1]
