"""Issue 16: a large board counts its figures from light rows and builds only the lines of the
page it shows. The counts (by status, by level, who has not submitted, what the bulk buttons may
review and approve) are those every line would give; a page of the board keeps the whole board's
numbers; the cost of a page does not grow with the board."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import services
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import (
    add_staff,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)

BOARD = reverse("appraisal:board")


@pytest.fixture
def mixed(world):  # type: ignore[no-untyped-def]
    """SNV's month with everyone in one of the workflow's states: drafts, returned, self-assessed,
    reviewed (the head of SNV among them: rated collectively), approved; last month closed."""
    with_snv_head(world)
    add_staff(world, 14, unit=world.snv_tc, prefix="TC")
    last = open_period(world, month_before(this_month()))
    Evaluation.objects.filter(period=last).update(
        status=EvaluationStatus.CLOSED, final_level="good", general_points=25, task_points=55
    )
    last.status = "closed"
    last.save(update_fields=["status"])
    period = open_period(world)
    rows = list(Evaluation.objects.filter(period=period).order_by("pk"))
    states = [
        EvaluationStatus.DRAFT,
        EvaluationStatus.RETURNED,
        EvaluationStatus.SELF_ASSESSED,
        EvaluationStatus.REVIEWED,
        EvaluationStatus.APPROVED,
    ]
    for i, ev in enumerate(rows):
        status = states[i % len(states)]
        if ev.staff_id == world.staff["son"].pk:
            status = EvaluationStatus.REVIEWED  # a head rated by the City: nobody approves it
        Evaluation.objects.filter(pk=ev.pk).update(
            status=status,
            general_points=None if status == EvaluationStatus.DRAFT else 25,
            task_points=None if status == EvaluationStatus.DRAFT else 50 + i,
            proposed_level="" if status == EvaluationStatus.DRAFT else "good",
            reviewed_level="complete" if status == EvaluationStatus.REVIEWED else "",
        )
    return period


@pytest.mark.parametrize("lines", [None, 3, 100])
@pytest.mark.parametrize(
    ("persona", "unit"), [("hoa", "snv_tc"), ("son", "snv"), ("quan", "snv"), ("lan", "snv")]
)
def test_it_counts_what_every_line_would_count(world, mixed, persona, unit, lines):  # type: ignore[no-untyped-def]
    """`lines`: the board read with its lines' columns when it has no more people (100), else
    light and its page's lines read apart."""
    scope = compute_scope(world.user(persona))
    line = services.line_for(world.user(persona))
    unit_id = getattr(world, unit).pk
    whole = vs.board_view(scope, line, unit_id=unit_id, period=mixed.code)
    summary = vs.board_summary(scope, line, unit_id=unit_id, period=mixed.code, lines=lines)
    assert isinstance(summary, vs.BoardSummary)
    assert bool(summary.lines_read) == (lines == 100)
    assert whole.rows, "the board is not empty"
    assert [e.pk for e in summary.entries] == [r.evaluation.pk for r in whole.rows]
    assert summary.total == len(whole.rows)
    assert summary.by_status == whole.board.by_status
    assert summary.levels == whole.levels
    assert summary.last_period == whole.board.last_period
    assert summary.reviewable == whole.reviewable
    assert summary.approvable == whole.approvable
    assert summary.not_submitted_count == len(whole.board.not_submitted)
    assert [e.pk for e in summary.not_submitted] == [e.pk for e in whole.board.not_submitted]
    assert summary.deadline_passed == whole.deadline_passed
    assert summary.period_row == whole.period
    # The lines a page builds are the lines the whole board builds.
    page = vs.board_page_rows(scope, line, summary, summary.entries[:4])
    for built, full in zip(page, whole.rows[:4], strict=True):
        assert (built.evaluation.pk, built.level, built.may_review, built.may_approve) == (
            full.evaluation.pk,
            full.level,
            full.may_review,
            full.may_approve,
        )
        assert (built.collective, built.last_level, built.by_points, built.late) == (
            full.collective,
            full.last_level,
            full.by_points,
            full.late,
        )
        assert (built.total, built.grade, built.may_handle) == (
            full.total,
            full.grade,
            full.may_handle,
        )
        ev, model = built.evaluation, full.evaluation
        for name in ("staff_id", "unit_id", "status", "review_comment", "submitted_late"):
            assert getattr(ev, name) == getattr(model, name)
        assert ev.effective_points() == model.effective_points()
        assert (ev.full_name, ev.staff_code, ev.unit_name) == (  # type: ignore[attr-defined]
            model.staff.full_name,
            model.staff.code,
            model.unit.name,
        )
        assert ev.period == model.period
        assert (ev.period.self_due, ev.period.agency_id, ev.period.is_closed) == (
            model.period.self_due,
            model.period.agency_id,
            model.period.is_closed,
        )


def test_the_head_rated_by_the_city_is_not_counted_as_approvable(world, mixed):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("quan"))
    line = services.line_for(world.user("quan"))
    summary = vs.board_summary(scope, line, unit_id=world.snv.pk, period=mixed.code)
    reviewed = summary.by_status[EvaluationStatus.REVIEWED]
    # quan (admin) approves nothing of SNV by a line of his own: the count is of his line only.
    assert summary.approvable == 0
    son = services.line_for(world.user("son"))
    mine = vs.board_summary(
        compute_scope(world.user("son")), son, unit_id=world.snv.pk, period=mixed.code
    )
    assert 0 < mine.approvable < reviewed  # his own evaluation is neither his nor approvable


def _numbers(html: str) -> dict[str, str]:
    found = {}
    for key in ("bulk-review", "bulk-approve", "board-filter-all", "board-filter-to_approve"):
        match = re.search(rf'id="{key}"[^>]*>([^<]*)<', html)
        found[key] = match.group(1).strip() if match else ""
    return found


def test_every_page_of_the_board_keeps_the_whole_boards_numbers(
    client_for, world, mixed, monkeypatch
):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.views import manager_board

    monkeypatch.setattr(manager_board, "BOARD_ROWS", 4)
    client = client_for("son", lang="en")
    first = client.get(BOARD + f"?unit=SNV&period={mixed.code}").content.decode()
    second = client.get(BOARD + f"?unit=SNV&period={mixed.code}&page=2").content.decode()
    assert first.count('class="board-row') == 4 and second.count('class="board-row') == 4
    ids = set(re.findall(r'id="row-(\d+)"', first))
    assert ids.isdisjoint(re.findall(r'id="row-(\d+)"', second))
    numbers = _numbers(first)
    assert numbers == _numbers(second)
    scope, line = compute_scope(world.user("son")), services.line_for(world.user("son"))
    summary = vs.board_summary(scope, line, unit_id=world.snv.pk, period=mixed.code)
    assert f"({summary.approvable} waiting)" in numbers["bulk-approve"]
    assert f"({summary.reviewable} waiting)" in numbers["bulk-review"]
    assert f"({summary.total})" in numbers["board-filter-all"]


def test_the_not_submitted_card_names_the_first_and_links_to_all(
    client_for, world, mixed, monkeypatch
):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(vs, "NOT_SUBMITTED_SHOWN", 2)
    html = client_for("son", lang="en").get(BOARD + f"?unit=SNV&period={mixed.code}")
    html = html.content.decode()
    missing = Evaluation.objects.filter(
        period=mixed, status__in=[EvaluationStatus.DRAFT, EvaluationStatus.RETURNED]
    ).count()
    assert missing > 2
    assert html.count('class="list-group-item py-1 small not-submitted"') == 2
    assert f"{missing} have not submitted" in html
    more = html[html.index('id="not-submitted-more"') :]
    assert "show=not_submitted" in more[: more.index("</li>")]
    assert f"Show all {missing} on the board" in more


def test_a_pages_cost_does_not_grow_with_the_board(client_for, world, mixed, monkeypatch):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.views import manager_board

    monkeypatch.setattr(manager_board, "BOARD_ROWS", 4)
    client = client_for("son")
    url = BOARD + f"?unit=SNV&period={mixed.code}"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # Read at once: the next request outside a capture empties the log the capture reads.
    counted = len(before.captured_queries)
    add_staff(world, 25, unit=world.snv_tc, prefix="MORE")
    services.period_open(agency=world.snv, code=mixed.code)  # the newcomers' evaluations
    assert Evaluation.objects.filter(period=mixed).count() > 40
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert counted
    assert len(after.captured_queries) == counted


def test_a_board_on_one_page_is_read_once(client_for, world, mixed, monkeypatch):  # type: ignore[no-untyped-def]
    """Issue 18: a board of one page reads its people with their lines' columns and their
    periods' joined, this month and the month before together; a longer board finds it has more
    than a page (that read stops after a page's rows), then reads its people light, its
    periods, and its page's lines apart (three statements more), the same page either way."""
    from thenchot.appraisal.views import manager_board

    client = client_for("son")
    url = BOARD + f"?unit=SNV&period={mixed.code}"
    client.get(url)
    with CaptureQueriesContext(connection) as one_read:
        short = client.get(url).content
    # Read at once: the next request outside a capture empties the log the capture reads.
    one_read_sql = [q["sql"] for q in one_read.captured_queries]
    monkeypatch.setattr(manager_board, "BOARD_ROWS", 4)
    with CaptureQueriesContext(connection) as paged:
        client.get(url)
    paged_count = len(paged.captured_queries)
    monkeypatch.setattr(manager_board, "BOARD_ROWS", 1000)
    assert client.get(url).content.count(b'class="board-row') == short.count(b'class="board-row')
    assert one_read_sql
    assert paged_count == len(one_read_sql) + 3
    # The board's read (both months), last month's levels of people it did not hold, the
    # discipline of the month; nothing more of the evaluations.
    assert len([sql for sql in one_read_sql if 'FROM "appraisal_evaluation"' in sql]) <= 2
