"""Case statistics: received, completed on time and late, overdue for a range; the trend by
month; time per step and bottleneck steps; each figure's link lists exactly its cases; scoped.

February 2025 on QT-01 (STC): one case finished on time, one late (step 1 held too long), one
overdue at the end of the month, one received in January and not yet due. Minh (head of STC)
reads them; Lan (SNV) reads none."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.processes import selectors, services, stats
from thenchot.processes.models import Case

START, END = dt.date(2025, 2, 1), dt.date(2025, 2, 28)
URL = "/processes/statistics/"


def _case(officer, procedure, received_on):
    return services.case_start(
        scope=compute_scope(officer, received_on),
        by=officer,
        process=procedure,
        received_on=received_on,
    )


def _advance(user, case, position, on, **extra):
    case.refresh_from_db()
    return services.case_advance(
        by=user, case=case, position=position, on=on, expected_version=case.version, **extra
    )


@pytest.fixture
def month(world, procedure, officer):
    minh = world.user("minh")
    on_time = _case(officer, procedure, dt.date(2025, 2, 3))
    _advance(officer, on_time, 1, dt.date(2025, 2, 4))
    _advance(minh, on_time, 2, dt.date(2025, 2, 6))
    late = _case(officer, procedure, dt.date(2025, 2, 3))
    _advance(officer, late, 1, dt.date(2025, 2, 14))
    _advance(
        minh,
        late,
        2,
        dt.date(2025, 2, 17),
        late_reason="Thiếu hồ sơ",
        apology_number="12/TB",
        apology_on=dt.date(2025, 2, 17),
    )
    overdue = _case(officer, procedure, dt.date(2025, 2, 4))
    early = _case(officer, procedure, dt.date(2025, 1, 3))
    _advance(officer, early, 1, dt.date(2025, 1, 6))
    return {"on_time": on_time, "late": late, "overdue": overdue, "early": early}


def _figures(user, **filters):
    qs = selectors.cases_queryset(compute_scope(user, END))
    return stats.counts(qs, stats.Filters(START, END, **filters), None).get(None, {})


def test_it_counts_received_on_time_late_and_overdue(world, month):
    assert _figures(world.user("minh")) == {"received": 3, "on_time": 1, "late": 1, "overdue": 2}


def test_it_counts_nothing_outside_the_reader_s_scope(world, month):
    assert _figures(world.user("lan")) == dict.fromkeys(stats.METRICS, 0)


def test_it_filters_by_unit_level_and_procedure(world, month):
    minh = world.user("minh")
    zero = dict.fromkeys(stats.METRICS, 0)
    assert _figures(minh, unit_id=world.snv.pk) == zero
    assert _figures(minh, level="commune") == zero
    assert _figures(minh, procedure="QT-01")["received"] == 3


def test_it_gives_the_trend_by_month(world, month):
    qs = selectors.cases_queryset(compute_scope(world.user("minh"), END))
    months = stats.trend(qs, stats.Filters(dt.date(2025, 1, 1), END))
    assert [(m, f["received"], f["on_time"], f["late"]) for m, f in months] == [
        (dt.date(2025, 1, 1), 1, 0, 0),
        (dt.date(2025, 2, 1), 3, 1, 1),
    ]


def test_it_finds_where_the_late_days_accrue_as_the_case_pages_count_them(world, month, procedure):
    qs = selectors.cases_queryset(compute_scope(world.user("minh"), END))
    figures = stats.step_figures(qs, stats.Filters(START, END))
    step1 = procedure.steps.get(position=1)
    late = {
        step.pk: sum(
            line.late_days
            for case in month.values()
            for line in selectors.case_steps(case, END)
            if line.position == step.position
        )
        for step in procedure.steps.all()
    }
    assert {pk: figures[pk].late_days for pk in late} == late
    assert min(late.values()) > 0
    # the January case has waited at step 2 since 9 January: that is where the days accrue
    assert stats.bottlenecks(figures)[0].step_id == max(late, key=late.__getitem__)
    held = [
        line.held_days
        for case in (month["on_time"], month["late"])
        for line in selectors.case_steps(case, END)
        if line.position == 1
    ]
    assert figures[step1.pk].average_days == round(sum(held) / len(held), 1)


def test_it_links_each_figure_to_a_list_of_as_many_cases(world, month, client_for):
    client = client_for("minh")
    page = client.get(URL, {"from": START.isoformat(), "to": END.isoformat()})
    assert page.status_code == 200
    links = [(n, url) for n, url in page.context["total"]]
    links += [(b["figures"].late_steps, b["url"]) for b in page.context["bottlenecks"]]
    for _label, cells in page.context["rows"]:
        links += cells
    assert len(links) > 5
    for n, url in links:
        listed = client.get(url)
        assert listed.context["page"].paginator.count == n, url
    assert urlparse(links[0][1]).path == "/processes/cases/"


def test_it_shows_an_outsider_no_case(world, month, client_for):
    page = client_for("lan").get(URL, {"from": START.isoformat(), "to": END.isoformat()})
    assert [n for n, _url in page.context["total"]] == [0, 0, 0, 0]
    assert not page.context["bottlenecks"]
    listed = client_for("lan").get(page.context["total"][0][1].replace("received", "overdue"))
    assert listed.context["page"].paginator.count == 0
    assert Case.objects.count() == 4
