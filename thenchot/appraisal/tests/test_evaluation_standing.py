"""What a new evaluation takes from the person's record (`services.evaluation_standings`, the one
rule that opening a period and the evaluations import share): the flags from the dated
headships on the period's reference day, the unit of that day, set-based."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.appraisal import rules, services
from thenchot.appraisal.testing import add_staff, month_before, this_month
from thenchot.people.models import Assignment, HeadAssignment
from thenchot.people.testing import World


@pytest.mark.parametrize(
    ("leader_post", "roles", "expected"),
    [
        (False, (), (False, False)),
        (True, (), (True, False)),  # a leadership post with no headship: leader, no ceiling
        (False, ("head",), (True, True)),
        (False, ("deputy",), (True, False)),  # a deputy leads, is not capped as the head
        (True, ("deputy", "head"), (True, True)),
    ],
)
def test_it_derives_the_flags_from_the_post_and_the_headships(
    leader_post: bool, roles: tuple[str, ...], expected: tuple[bool, bool]
) -> None:
    assert services.leadership_flags(leader_post=leader_post, roles=roles) == expected


def _period(code: str) -> rules.Period:
    return rules.Period.parse(code)


def test_it_reads_the_headships_of_the_periods_last_day(world: World) -> None:
    """rules.md: org-history.dated."""
    past = _period(month_before(this_month(), 3))
    an = world.staff["an"]
    HeadAssignment.objects.create(
        unit=world.snv_tc, staff=an, role="head", valid_from=past.end + dt.timedelta(days=1)
    )
    found = services.evaluation_standings(pairs=[(an.pk, past), (an.pk, _period(this_month()))])
    assert not found[(an.pk, str(past))].is_head  # the headship began after that month
    assert found[(an.pk, this_month())].is_head  # it covers today, the running month's day


def test_it_ends_a_headship_with_its_dates(world: World) -> None:
    past = _period(month_before(this_month(), 3))
    hoa = world.staff["hoa"]
    HeadAssignment.objects.filter(staff=hoa).update(valid_to=past.end - dt.timedelta(days=1))
    found = services.evaluation_standings(pairs=[(hoa.pk, past)])
    assert found[(hoa.pk, str(past))] == services.Standing(
        unit_id=world.snv_tc.pk, category="civil_servant", is_leader=True, is_head=False
    )  # still a leader by her staff record's post


def test_it_takes_the_unit_of_the_periods_last_day(world: World) -> None:
    """rules.md: settled.11."""
    past = _period(month_before(this_month(), 3))
    an = world.staff["an"]
    Assignment.objects.filter(staff=an).update(valid_to=past.end - dt.timedelta(days=2))
    Assignment.objects.create(staff=an, unit=world.snv_cc, valid_from=past.end - dt.timedelta(1))
    found = services.evaluation_standings(pairs=[(an.pk, past)])
    assert found[(an.pk, str(past))].unit_id == world.snv_cc.pk
    given = services.evaluation_standings(
        pairs=[(an.pk, past)], units={(an.pk, str(past)): world.snv_tc.pk}
    )
    assert given[(an.pk, str(past))].unit_id == world.snv_tc.pk  # the caller's unit wins


def test_it_reads_a_batch_in_a_fixed_number_of_queries(world: World) -> None:
    months = [_period(month_before(this_month(), n)) for n in (2, 3)]
    few = [s.pk for s in add_staff(world, 3, prefix="F")]
    many = [s.pk for s in add_staff(world, 60, prefix="M")]
    counts = []
    for ids in (few, many):
        with CaptureQueriesContext(connection) as queries:
            found = services.evaluation_standings(pairs=[(s, m) for s in ids for m in months])
        assert len(found) == len(ids) * len(months)
        counts.append(len(queries))
    assert counts[0] == counts[1]
