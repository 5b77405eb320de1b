"""Who is rated by the City leadership's collective decision: the head of a department (a unit
directly under the City), not the head of a division inside it."""

from __future__ import annotations

from thenchot.appraisal import services
from thenchot.appraisal.testing import evaluation_of, open_period, with_snv_head


def test_the_head_of_a_department_is_rated_collectively(world):  # type: ignore[no-untyped-def]
    """rules.md: raters.collective."""
    with_snv_head(world)
    period = open_period(world)
    assert services.rated_collectively(evaluation_of(world, "son", period.code))


def test_the_head_of_a_division_is_approved_by_the_unit_head(world):  # type: ignore[no-untyped-def]
    """rules.md: raters.collective."""
    with_snv_head(world)
    period = open_period(world)
    hoa = evaluation_of(world, "hoa", period.code)  # heads SNV-TC, a division of SNV
    assert hoa.is_head
    assert not services.rated_collectively(hoa)
