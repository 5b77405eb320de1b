"""Issue 18: the own page reads the person's evaluation of a period through a read compiled
once per process. It finds what the queryset finds: the period asked for, this month's, none
for a period the person has no evaluation in, none for a reader without a staff record, and
the newest open one when this month has none."""

from __future__ import annotations

from typing import Any

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import month_before, open_period, this_month

pytestmark = pytest.mark.django_db


def _by_queryset(scope: Any, code: str | None) -> Evaluation | None:
    qs = vs.own_evaluations(scope)
    if code:
        return qs.filter(period_code=code).first()
    return qs.filter(period_code=vs.period_code(vs.today())).first() or (
        qs.filter(period__status="open", period__starts_on__lte=vs.today())
        .order_by("-period__starts_on")
        .first()
    )


def _same(found: Evaluation | None, expected: Evaluation | None) -> None:
    assert (found and found.pk) == (expected and expected.pk)
    if found is not None and expected is not None:
        assert found.period == expected.period and found.period.agency == expected.period.agency
        assert (found.staff.full_name, found.unit.name) == (
            expected.staff.full_name,
            expected.unit.name,
        )
        assert {f.attname: getattr(found, f.attname) for f in Evaluation._meta.concrete_fields} == {
            f.attname: getattr(expected, f.attname) for f in Evaluation._meta.concrete_fields
        }


def test_it_finds_what_the_queryset_finds(world):  # type: ignore[no-untyped-def]
    last = month_before(this_month())
    open_period(world, last)
    scope = compute_scope(world.user("an"))
    # This month has no period yet: the newest open one.
    _same(vs.current_evaluation(scope), _by_queryset(scope, None))
    assert vs.current_evaluation(scope).period_code == last  # type: ignore[union-attr]
    open_period(world)
    for code in [None, this_month(), last, month_before(this_month(), 5)]:
        _same(vs.current_evaluation(scope, code), _by_queryset(scope, code))
    assert vs.current_evaluation(scope).period_code == this_month()  # type: ignore[union-attr]
    assert vs.current_evaluation(scope, month_before(this_month(), 5)) is None
    nobody = compute_scope(world.user("quan"))
    if nobody.own_staff_id is None:
        assert vs.current_evaluation(nobody) is None
