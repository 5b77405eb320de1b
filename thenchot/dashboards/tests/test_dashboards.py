"""The dashboard per role, every number's list, scope negatives, the cache's invalidation and
the query budget."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from thenchot.accounts.scoping import compute_scope
from thenchot.core.registry import report_blocks
from thenchot.core.reporting import ReportBlock
from thenchot.dashboards import aggregates, selectors
from thenchot.dashboards.metrics import METRICS
from thenchot.dashboards.testing import YEAR

pytestmark = pytest.mark.django_db

PERIOD = {"year": str(YEAR)}


def _dash(world, name, **kw):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user(name))
    return selectors.dashboard(scope, period=selectors.period_of(PERIOD), **kw)


def _figures(d):  # type: ignore[no-untyped-def]
    return {f.key: f for s in d.sections for f in s.figures}


def test_it_shows_the_city_to_the_city_leadership(world, year):  # type: ignore[no-untyped-def]
    d = _dash(world, "hung")
    assert d.mode == "units" and d.root_code == "HN"
    f = _figures(d)
    assert (f["tasks.due"].value, f["tasks.overdue"].value) == (7, 3)
    assert f["tasks.completed_on_time"].value == 3
    assert f["tasks.overdue"].previous == 1  # NV-X0, due in 2024, as it stood at the end of 2024
    assert (f["cases.received"].value, f["cases.overdue"].value) == (4, 2)
    assert {r.code for r in d.ranking} == {"SNV", "STC", "P-BADINH"}


def test_it_shows_an_agency_head_their_agency_only(world, year):  # type: ignore[no-untyped-def]
    d = _dash(world, "minh")
    assert d.root_code == "STC"
    assert _figures(d)["tasks.overdue"].value == 1
    assert [r.code for r in d.ranking] == ["STC-NS"]


def test_it_shows_a_division_manager_the_division(world, year):  # type: ignore[no-untyped-def]
    d = _dash(world, "hoa")
    assert d.root_code == "SNV-TC"
    assert _figures(d)["tasks.due"].value == 3


def test_it_puts_what_each_role_acts_on_first(world, year):  # type: ignore[no-untyped-def]
    assert _dash(world, "lan").sections[0].key == "evaluations"
    assert _dash(world, "binh").sections[0].key == "inspections"
    assert _dash(world, "hung").sections[0].key == "tasks"


def test_it_shows_a_staff_member_their_own_records(world, year):  # type: ignore[no-untyped-def]
    d = _dash(world, "an")
    assert d.mode == "own" and d.root_id is None
    f = _figures(d)
    assert (f["tasks.due"].value, f["tasks.overdue"].value) == (3, 1)
    assert "cases.received" not in f  # not his to act on
    assert "mine=1" in f["tasks.due"].url


def test_it_refuses_a_unit_outside_the_scope(world, year, client_for):  # type: ignore[no-untyped-def]
    c = client_for("minh")
    assert c.get(reverse("dashboards:index"), {"unit": "SNV", **PERIOD}).status_code == 404
    url = reverse("dashboards:records")
    q = {"metric": "tasks.overdue", "unit": "SNV", "from": "2025-01-01", "to": "2025-12-31"}
    assert c.get(url, {**q, "as_of": "2025-12-31"}).status_code == 404
    assert client_for("an").get(url, {**q, "as_of": "2025-12-31"}).status_code == 404
    assert client_for("minh").get(reverse("dashboards:board"), {"unit": "SNV"}).status_code == 404


def test_it_names_a_bad_parameter(world, client_for):  # type: ignore[no-untyped-def]
    c = client_for("hung", lang="en")
    r = c.get(reverse("dashboards:records"), {"metric": "tasks.nope", "unit": "HN"})
    assert r.status_code == 400 and "tasks.nope" in r.content.decode()
    r = c.get(reverse("dashboards:index"), {"year": "20x5"})
    assert r.status_code == 400 and "20x5" in r.content.decode()


def test_it_sends_the_anonymous_visitor_to_log_in(client):  # type: ignore[no-untyped-def]
    assert client.get(reverse("dashboards:index")).status_code == 302


@pytest.mark.parametrize("metric", sorted(METRICS))
@pytest.mark.parametrize("unit", ["HN", "SNV", "SNV-TC", "STC"])
def test_every_number_lists_as_many_records(world, year, metric, unit):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("hung"))
    period = selectors.period_of(PERIOD)
    d = selectors.dashboard(scope, period=period, unit_code=unit)
    figures = _figures(d)
    figure = figures.get(metric)
    urls = [(figure.value, figure.url)] if figure else []
    for chart in d.trends:
        for label, cells in chart.series:
            if label == str(METRICS[metric].label):
                urls += [(c.value, c.url) for c in cells]
    for row in d.ranking:
        for cell in (row.due, row.overdue, row.late_cases, row.cases_overdue, *row.levels):
            if parse_qs(urlparse(cell.url).query)["metric"][0] == metric:
                urls.append((cell.value, cell.url))
    assert urls, "every metric appears somewhere on the dashboard"
    for value, url in urls:
        params = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        query = selectors.parse_records_query(scope, params)
        assert selectors.records_queryset(scope, query).count() == value, url


def test_the_records_page_shows_the_count_and_links_each_record(world, year, client_for):  # type: ignore[no-untyped-def]
    d = _dash(world, "hung")
    figure = _figures(d)["tasks.overdue"]
    r = client_for("hung").get(figure.url)
    html = r.content.decode()
    assert f'data-count="{figure.value}"' in html
    for code in ("NV-A3", "NV-A4", "NV-B2"):
        assert reverse("directives:task", args=[code]) in html


def test_the_figures_equal_the_report_blocks(world, year):  # type: ignore[no-untyped-def]
    f = _figures(_dash(world, "hung"))
    args = {"unit": world.city, "date_from": dt.date(YEAR, 1, 1), "date_to": dt.date(YEAR, 12, 31)}
    tasks: ReportBlock = report_blocks.get("tasks")
    block = tasks.compute(**args, as_of=dt.date(YEAR, 12, 31))
    for key in ("due", "completed_on_time", "completed_late", "overdue", "in_progress"):
        assert f[f"tasks.{key}"].value == block[key], key
    cases = report_blocks.get("cases").compute(**args, as_of=dt.date(YEAR, 12, 31))
    for key in ("received", "completed_on_time", "completed_late", "overdue"):
        assert f[f"cases.{key}"].value == cases[key], key
    evaluations = report_blocks.get("evaluations").compute(**args, as_of=dt.date(YEAR, 12, 31))
    assert f["evaluations.rated"].value == evaluations["rated"]


def test_a_write_changes_the_next_view(world, year):  # type: ignore[no-untyped-def]
    assert _figures(_dash(world, "hung"))["tasks.overdue"].value == 3
    task = year.tasks["NV-A3"]
    task.completed_on = dt.date(YEAR, 6, 1)
    task.save()
    f = _figures(_dash(world, "hung"))
    assert f["tasks.overdue"].value == 2 and f["tasks.completed_late"].value == 2


def test_an_audited_update_without_signal_changes_the_next_view(world, year):  # type: ignore[no-untyped-def]
    from thenchot.core import auditing
    from thenchot.core.concurrency import save_versioned

    assert _figures(_dash(world, "hung"))["cases.overdue"].value == 2
    case = year.cases["HS-3"]
    before = auditing.snapshot(case)
    case.completed_on = dt.date(YEAR, 3, 5)
    save_versioned(case, expected_version=case.version, fields=["completed_on"])  # an UPDATE
    auditing.record(case, action=auditing.UPDATE, before=before)
    f = _figures(_dash(world, "hung"))
    assert f["cases.overdue"].value == 1 and f["cases.completed_on_time"].value == 2


def test_a_warm_view_reuses_the_grids(world, year):  # type: ignore[no-untyped-def]
    _dash(world, "hung")
    cached = dict(aggregates._entries)
    _dash(world, "hung")
    assert {k: v.grid for k, v in aggregates._entries.items()} == {
        k: v.grid for k, v in cached.items()
    }


def test_the_city_dashboard_stays_within_its_query_budget(  # type: ignore[no-untyped-def]
    world, year, client_for, django_assert_max_num_queries
):
    c = client_for("hung")
    url = reverse("dashboards:index") + f"?year={YEAR}"
    assert c.get(url).status_code == 200  # cold
    with django_assert_max_num_queries(30):
        assert c.get(url).status_code == 200
    aggregates.clear()
    with django_assert_max_num_queries(30):  # cold: one grouped query per series and period
        assert c.get(url).status_code == 200


def test_the_page_links_every_number(world, year, client_for):  # type: ignore[no-untyped-def]
    import re

    html = client_for("hung").get(reverse("dashboards:index"), PERIOD).content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert 'id="heatmap"' in html and 'id="ranking"' in html
    # Every figure cell holds a link; a change is the difference of the two linked numbers
    # beside it.
    cells = re.findall(r'<td class="text-end( [^"]*)?">(.*?)</td>', html, flags=re.S)
    assert len(cells) > 50
    for cls, cell in cells:
        if "change-" in cls:
            continue
        assert cell.strip() in ("—",) or "<a " in cell, cell
