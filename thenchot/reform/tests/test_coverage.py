"""Evaluation coverage counted in SQL (`reform.coverage`) gives the counts of the rule read one
person at a time in Python (the first version, kept here as the reference), on a mix of careers
and of periods closed everywhere, in some agencies only (either way of counting them), or not at
all."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict

import pytest

from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.org.tree import tree
from thenchot.people.models import Assignment
from thenchot.people.testing import StaffFactory
from thenchot.reform.choices import Source
from thenchot.reform.coverage import coverage_groups, month_plan
from thenchot.reform.rates import Window, coverage_rates, rates_for_units, whole_months

pytestmark = pytest.mark.django_db

D = dt.date
Y = 2026


def reference(w: Window) -> dict[int, tuple[int, int]]:
    """{unit id: (covered, active)}: the rule, person by person (docs/reform.md)."""
    months = whole_months(w)
    firsts = [first for _c, first, _l in months]
    lasts = [last for _c, _f, last in months]
    held: dict[int, set[int]] = defaultdict(set)
    on_end: dict[int, int] = {}
    for a in Assignment.objects.all():
        if not (a.valid_from is None or a.valid_from <= w.date_to) or not (
            a.valid_to is None or a.valid_to >= w.date_from
        ):
            continue
        if a.valid_on(w.date_to):
            on_end[a.staff_id] = max(on_end.get(a.staff_id, 0), a.unit_id)
        lo = 0 if a.valid_from is None else bisect.bisect_left(lasts, a.valid_from)
        hi = len(months) - 1 if a.valid_to is None else bisect.bisect_right(firsts, a.valid_to) - 1
        held[a.staff_id].update(range(lo, hi + 1))
    codes = {code for code, _f, _l in months}
    evaluated: dict[int, set[str]] = defaultdict(set)
    for e in Evaluation.objects.select_related("period"):
        if e.period_code in codes and e.period.kind == "month" and e.period.status == "closed":
            evaluated[e.staff_id].add(e.period_code)
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for staff_id, unit_id in on_end.items():
        out[unit_id][1] += 1
        if len(evaluated[staff_id]) >= len(held[staff_id]):
            out[unit_id][0] += 1
    return {u: (c, n) for u, (c, n) in out.items()}


def period(agency, month: int, status: str = "closed", kind: str = "month", code: str = ""):
    last = D(Y, month, 28)
    return EvaluationPeriod.objects.create(
        agency=agency,
        code=code or f"{Y}-{month:02d}",
        kind=kind,
        starts_on=D(Y, month, 1),
        ends_on=last,
        self_due=last,
        review_due=last,
        approval_due=last,
        status=status,
    )


@pytest.fixture
def careers(world):
    """60 people in the divisions of SNV and STC with every kind of career, their agencies'
    periods (June closed in SNV only; July closed in STC only and open in SNV and in the ward;
    a quarter period; an open August) and their evaluations, some missing, some in a month
    they did not work."""
    rng = random.Random(7)
    divisions = [world.snv_tc, world.snv_cc, world.stc_ns]
    agency = {world.snv_tc.pk: world.snv, world.snv_cc.pk: world.snv, world.stc_ns.pk: world.stc}
    periods: dict[tuple[int, int], EvaluationPeriod] = {}
    for dept in (world.snv, world.stc):
        for month in range(1, 6):
            periods[(dept.pk, month)] = period(dept, month)
        periods[(dept.pk, 8)] = period(dept, 8, status="open")
    periods[(world.snv.pk, 6)] = period(world.snv, 6)
    periods[(world.stc.pk, 6)] = period(world.stc, 6, status="open")
    periods[(world.snv.pk, 7)] = period(world.snv, 7, status="open")
    periods[(world.stc.pk, 7)] = period(world.stc, 7)
    period(world.ward, 7, status="open")
    periods[(world.stc.pk, 0)] = period(world.stc, 4, kind="quarter", code=f"{Y}-Q2")
    for i in range(60):
        home = rng.choice(divisions)
        person = StaffFactory(unit=home)
        a = Assignment.objects.get(staff=person)
        kind = i % 6
        if kind == 1:  # joined in the year
            a.valid_from = D(Y, rng.randint(1, 7), rng.randint(1, 28))
        elif kind == 2:  # left in the year
            a.valid_to = D(Y, rng.randint(1, 8), rng.randint(1, 28))
        elif kind == 3:  # moved mid-month: both assignments hold that month
            moved = D(Y, rng.randint(2, 7), 15)
            a.valid_to = moved - dt.timedelta(days=1)
            Assignment.objects.create(
                staff=person, unit=rng.choice(divisions), valid_from=moved, reason="transfer"
            )
        elif kind == 4:  # a second post held at the same time
            Assignment.objects.create(
                staff=person, unit=rng.choice(divisions), valid_from=D(Y, 3, 1), reason="other"
            )
        a.save()
        for month in range(1, 9):
            if rng.random() < 0.12:
                continue  # not evaluated that month (or never worked it: evaluated anyway)
            p = periods[(agency[home.pk].pk, month)]
            Evaluation.objects.create(
                period=p,
                staff=person,
                unit=home,
                period_code=p.code,
                category="civil_servant",
            )
        if i % 10 == 0:
            q = periods[(world.stc.pk, 0)]
            Evaluation.objects.create(
                period=q, staff=person, unit=home, period_code=q.code, category="civil_servant"
            )
    return periods


@pytest.mark.parametrize(
    "as_of",
    [D(Y, 1, 20), D(Y, 3, 31), D(Y, 5, 15), D(Y, 6, 30), D(Y, 7, 31), D(Y, 9, 30), D(Y, 12, 31)],
)
def test_it_counts_like_the_rule_read_person_by_person(world, careers, as_of):
    w = Window.of(Y, as_of)
    got = {
        u: (c, n)
        for u, c, n in coverage_groups(
            date_from=w.date_from, date_to=w.date_to, months=whole_months(w)
        )
    }
    assert got == reference(w)
    assert sum(n for _c, n in got.values()) > 40


def test_a_month_closed_in_some_agencies_is_counted_either_way(world, careers):
    """June: one closed period, one open (counted through the closed one); July likewise but
    with an open period in a third agency too: more open than closed. Both ways give the
    reference; so does taking the open ones off a month counted through the index."""
    plan = month_plan([f"{Y}-05", f"{Y}-06", f"{Y}-07", f"{Y}-08"])
    assert plan.by_code == [f"{Y}-05"]
    assert plan.added_codes == [f"{Y}-06", f"{Y}-07"]
    # close July in the ward as well: two closed, one open — now taken off the index count
    EvaluationPeriod.objects.filter(agency=world.ward, code=f"{Y}-07").update(status="closed")
    EvaluationPeriod.objects.filter(agency=world.snv, code=f"{Y}-07").update(status="open")
    EvaluationPeriod.objects.create(
        agency=world.city,
        code=f"{Y}-07",
        kind="month",
        starts_on=D(Y, 7, 1),
        ends_on=D(Y, 7, 31),
        self_due=D(Y, 7, 31),
        review_due=D(Y, 7, 31),
        approval_due=D(Y, 7, 31),
        status="closed",
    )
    plan = month_plan([f"{Y}-07"])
    assert plan.by_code == [f"{Y}-07"] and len(plan.removed) == 1
    w = Window.of(Y, D(Y, 7, 31))
    got = {
        u: (c, n)
        for u, c, n in coverage_groups(
            date_from=w.date_from, date_to=w.date_to, months=whole_months(w)
        )
    }
    assert got == reference(w)


def test_the_rate_folds_the_units_up_the_tree(world, careers):
    w = Window.of(Y, D(Y, 6, 30))
    ref = reference(w)
    listed = {world.snv.pk, world.snv_tc.pk, world.city.pk, world.ward.pk}
    rates = coverage_rates(tree(), listed, w)
    snv = [ref.get(u, (0, 0)) for u in (world.snv.pk, world.snv_tc.pk, world.snv_cc.pk)]
    assert (rates[world.snv.pk].numerator, rates[world.snv.pk].denominator) == (
        sum(c for c, _n in snv),
        sum(n for _c, n in snv),
    )
    everyone = list(ref.values())
    assert (rates[world.city.pk].numerator, rates[world.city.pk].denominator) == (
        sum(c for c, _n in everyone),
        sum(n for _c, n in everyone),
    )
    assert rates[world.ward.pk].denominator == 0 and rates[world.ward.pk].rate == 100
    # the same through the entry point the index uses
    same = rates_for_units(unit_ids=listed, window=w, sources=["evaluation_coverage"])
    assert same["evaluation_coverage"][world.city.pk] == rates[world.city.pk]


@pytest.mark.django_db(transaction=True)
def test_the_coverage_counted_on_a_connection_of_its_own_is_the_same(world, monkeypatch):
    """Outside a transaction the coverage statement runs in a worker thread on its own
    connection (PostgreSQL only; forced here) while the other rates are counted."""
    import threading

    from thenchot.reform import rates

    person = StaffFactory(unit=world.stc_ns)
    p = period(world.stc, 1)
    Evaluation.objects.create(
        period=p, staff=person, unit=world.stc_ns, period_code=p.code, category="civil_servant"
    )
    w = Window.of(Y, D(Y, 2, 10))
    units = [world.stc.pk, world.city.pk, world.snv.pk]
    sources = ["evaluation_coverage", "on_time_task_rate"]
    from django.db import connection

    # Only PostgreSQL counts apart by itself (this test has no open transaction to stop it).
    both = {Source.EVALUATION_COVERAGE, Source.ON_TIME_TASK_RATE}
    assert rates._apart(both) == (connection.vendor == "postgresql")
    monkeypatch.setattr(rates, "APART", False)
    alone = rates_for_units(unit_ids=units, window=w, sources=sources)
    threads: list[str] = []
    real = rates._on_own_connection

    def spy(*args):
        threads.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(rates, "_apart", lambda sources: True)
    monkeypatch.setattr(rates, "_on_own_connection", spy)
    apart = rates_for_units(unit_ids=units, window=w, sources=sources)
    assert threads and threads[0] != threading.current_thread().name
    assert apart == alone
    stc = apart["evaluation_coverage"][world.stc.pk]
    assert (stc.numerator, stc.denominator) == (1, 3)  # the person; binh and minh unevaluated


@pytest.mark.django_db(transaction=True)
def test_without_a_second_connection_the_coverage_is_counted_on_the_first(world, monkeypatch):
    from django.db import OperationalError

    from thenchot.reform import rates

    StaffFactory(unit=world.stc_ns)

    def refused(*args):
        raise OperationalError("too many clients already")

    monkeypatch.setattr(rates, "_apart", lambda sources: True)
    monkeypatch.setattr(rates, "_on_own_connection", refused)
    got = rates_for_units(
        unit_ids=[world.stc.pk],
        window=Window.of(Y, D(Y, 3, 31)),
        sources=["evaluation_coverage", "case_on_time_rate"],
    )
    assert got["evaluation_coverage"][world.stc.pk].denominator == 3
