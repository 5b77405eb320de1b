"""The satisfaction index and the reform score on the dashboard, read through the `satisfaction`
and `reform` report blocks (the dashboards app imports neither app): shown when those apps hold
records, equal to the blocks, in the headline and the ranking, refreshed by their writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thenchot.accounts.scoping import compute_scope
from thenchot.core.registry import report_blocks
from thenchot.dashboards import external, selectors
from thenchot.dashboards.testing import YEAR
from thenchot.reform.testing import framework_with, score
from thenchot.surveys.testing import SurveyFactory, respond, with_questions

pytestmark = pytest.mark.django_db

PERIOD = {"year": str(YEAR)}
ANSWERS = {"Q1": 5, "Q2": 4, "Q3": 5, "Q4": 3, "Q5": 4}


@pytest.fixture(autouse=True)
def _fresh() -> None:
    external.clear()


def _run_queued() -> int:
    """Run the dashboard's queued background jobs, as the scheduler's thread would."""
    from thenchot.core import jobs

    ran = 0
    while not jobs._queue.empty():
        name, kwargs = jobs._queue.get_nowait()
        if name.startswith("dashboards."):
            jobs.run_now(name, **kwargs)
            ran += 1
    return ran


def _dash(world, **kw):  # type: ignore[no-untyped-def]
    """The dashboard once its blocks have been computed in the background."""
    scope = compute_scope(world.user("hung"))
    period = selectors.period_of(PERIOD)
    d = selectors.dashboard(scope, period=period, **kw)
    if _run_queued():
        d = selectors.dashboard(scope, period=period, **kw)
    return d


def _figures(d):  # type: ignore[no-untyped-def]
    return {f.key: f for s in d.sections for f in s.figures}


@pytest.fixture
def outside(world, year):  # type: ignore[no-untyped-def]
    survey = with_questions(SurveyFactory.create(code="KS-DB", unit=world.snv_tc))
    respond(survey, dt.date(YEAR, 3, 5), ANSWERS)
    respond(survey, dt.date(YEAR, 4, 5), {**ANSWERS, "Q4": 1})
    respond(survey, dt.date(YEAR - 1, 6, 5), dict.fromkeys(ANSWERS, 2))  # the year before
    framework_with(YEAR, ("A", 10, "self"), ("B", 10, "self"))
    score(world.snv, YEAR, "A", self_points=8)
    score(world.snv, YEAR, "B", self_points=7.5)
    score(world.stc, YEAR, "A", self_points=9)
    return survey


def _block(key, unit, start, end):  # type: ignore[no-untyped-def]
    return report_blocks.get(key).compute(unit=unit, date_from=start, date_to=end, as_of=end)


def test_without_records_there_is_no_such_section(world, year):  # type: ignore[no-untyped-def]
    d = _dash(world)
    assert selectors.OUTSIDE_SECTION not in {s.key for s in d.sections}
    assert not d.has_reform and not d.has_satisfaction


def test_the_headline_shows_the_satisfaction_index_of_the_block(world, outside):  # type: ignore[no-untyped-def]
    f = _figures(_dash(world))
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    block = _block("satisfaction", world.city, start, end)
    assert f["satisfaction.index"].value == block["index"]
    assert f["satisfaction.responses"].value == block["responses"] == 2
    before = _block("satisfaction", world.city, dt.date(YEAR - 1, 1, 1), dt.date(YEAR - 1, 12, 31))
    assert f["satisfaction.index"].previous == before["index"]
    assert f["satisfaction.index"].tone == "good"  # higher than the year before
    assert "unit=HN" in f["satisfaction.index"].url and "reports" in f["satisfaction.index"].url


def test_the_ranking_carries_the_reform_score_and_ranks_by_it(world, outside):  # type: ignore[no-untyped-def]
    d = _dash(world, rank_by="reform")
    assert d.has_reform and d.has_satisfaction
    rows = {r.code: r for r in d.ranking}
    block = _block("reform", world.city, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    totals = {u["unit"]: float(u["total"]) for u in block["units"]}
    assert rows["SNV"].reform == totals["SNV"] == 15.5
    assert rows["STC"].reform == totals["STC"] == 9
    assert rows["P-BADINH"].reform is None
    assert [r.code for r in d.ranking][:2] == ["SNV", "STC"]
    # The satisfaction of SNV's subtree (the survey belongs to SNV-TC); none elsewhere.
    assert rows["SNV"].satisfaction == _figures(d)["satisfaction.index"].value
    assert rows["STC"].satisfaction is None
    # The city is not scored itself: its headline shows the mean of the units scored.
    assert _figures(d)["reform.mean"].value == 12.25


def test_a_new_response_changes_the_next_view(world, outside):  # type: ignore[no-untyped-def]
    assert _figures(_dash(world))["satisfaction.responses"].value == 2
    respond(outside, dt.date(YEAR, 5, 5), ANSWERS)
    assert _figures(_dash(world))["satisfaction.responses"].value == 3


def test_the_figures_are_computed_in_the_background(world, outside):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("hung"))
    period = selectors.period_of(PERIOD)
    first = selectors.dashboard(scope, period=period)
    section = next(s for s in first.sections if s.key == selectors.OUTSIDE_SECTION)
    assert first.outside_pending and section.note and not section.figures
    assert _run_queued() >= 3  # this year's, last year's and the children's satisfaction; reform
    external.clear()  # another process: the figures kept in the database
    then = selectors.dashboard(scope, period=period)
    assert not then.outside_pending and _figures(then)["satisfaction.responses"].value == 2
    assert _run_queued() == 0  # nothing asked again


def test_the_page_shows_the_columns_and_links_them(world, outside, client_for):  # type: ignore[no-untyped-def]
    client_for("hung").get(reverse("dashboards:index"), PERIOD)
    _run_queued()
    html = client_for("hung").get(reverse("dashboards:index"), PERIOD).content.decode()
    assert 'id="fig-satisfaction.index"' in html and 'class="text-end reform-score"' in html
    assert reverse("reform:ranking", args=[YEAR]) in html
