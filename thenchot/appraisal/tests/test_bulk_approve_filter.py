"""Issue 10, point 2: the head approves the rows that can be approved and reads, one person a
line, why the others were left; a status filter shows only the reviewed rows, so "select all"
then approve acts on them alone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from thenchot.appraisal import services
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import add_staff, open_period, with_snv_head
from thenchot.core.errors import OutOfScope

BOARD = reverse("appraisal:board")
ACT = reverse("appraisal:board_act")
NOT_REVIEWED = "Only a reviewed evaluation can be approved."


@pytest.fixture
def rows(world):  # type: ignore[no-untyped-def]
    """Eight people of Phòng Tổ chức: three reviewed by Hoa, five only self-assessed."""
    with_snv_head(world)
    staff = add_staff(world, 8, unit=world.snv_tc, prefix="TC")
    period = open_period(world)
    evaluations = list(Evaluation.objects.filter(period=period, staff__in=staff).order_by("pk"))
    Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).update(
        general_points=25, task_points=60, status=EvaluationStatus.SELF_ASSESSED
    )
    services.bulk_review(evaluations=evaluations[:3], by=world.user("hoa"))
    return evaluations


def _statuses(rows):  # type: ignore[no-untyped-def]
    return list(
        Evaluation.objects.filter(pk__in=[e.pk for e in rows])
        .order_by("pk")
        .values_list("status", flat=True)
    )


def test_it_approves_the_reviewed_rows_and_lists_the_others(world, rows):  # type: ignore[no-untyped-def]
    out = services.bulk_approve(evaluations=rows, by=world.user("son"))
    assert [e.pk for e in out.changed] == [e.pk for e in rows[:3]]
    assert [(s.evaluation.pk, s.reason) for s in out.skipped] == [
        (e.pk, NOT_REVIEWED) for e in rows[3:]
    ]
    assert _statuses(rows) == ["approved"] * 3 + ["self_assessed"] * 5


def test_it_refuses_a_bulk_approval_wholly_outside_the_users_line(world, rows):  # type: ignore[no-untyped-def]
    services.bulk_review(evaluations=rows[3:], by=world.user("hoa"))
    with pytest.raises(OutOfScope) as refused:
        services.bulk_approve(evaluations=rows[3:], by=world.user("hoa"))
    # One person a line, not the reasons joined on one line.
    lines = str(refused.value.message).splitlines()
    assert lines[1:] == [
        f"{e.staff.full_name} ({e.staff.code}) — Only the head of the unit approves this evaluation."
        for e in rows[3:]
    ]
    assert _statuses(rows)[3:] == ["reviewed"] * 5


def test_it_reports_each_row_left_on_its_own_line(client_for, world, rows):  # type: ignore[no-untyped-def]
    client = client_for("son", lang="en")
    data = {"unit": "SNV", "period": rows[0].period_code, "action": "approve",
            "selected": [str(e.pk) for e in rows]}  # fmt: skip
    html = client.post(ACT, data, follow=True).content.decode()
    assert "3 evaluations approved." in html
    report = html[html.index('id="bulk-report"') :]
    report = report[: report.index("</ul>")]
    lines = re.findall(r'<li class="bulk-report-line">(.*?)</li>', report)
    assert lines == [f"{e.staff.full_name} ({e.staff.code}) — {NOT_REVIEWED}" for e in rows[3:]]
    assert ". ;" not in report and "; " not in report
    # Shown once: the next page has no report.
    assert 'id="bulk-report"' not in client.get(BOARD + "?unit=SNV").content.decode()


def test_it_filters_the_board_to_the_reviewed_rows(client_for, world, rows):  # type: ignore[no-untyped-def]
    client = client_for("son", lang="en")
    html = client.get(BOARD + f"?unit=SNV&period={rows[0].period_code}").content.decode()
    assert "Reviewed, awaiting approval (3)" in html
    html = client.get(
        BOARD + f"?unit=SNV&period={rows[0].period_code}&show=to_approve"
    ).content.decode()
    shown = set(re.findall(r'class="board-row[^"]*" id="row-(\d+)"', html))
    assert shown == {str(e.pk) for e in rows[:3]}
    assert set(re.findall(r'name="selected" value="(\d+)"', html)) == shown
    assert '<input type="hidden" name="show" value="to_approve">' in html
    # What "select all" then approve posts: the rows shown; the board comes back filtered.
    data = {"unit": "SNV", "period": rows[0].period_code, "action": "approve",
            "show": "to_approve", "selected": sorted(shown)}  # fmt: skip
    response = client.post(ACT, data)
    assert response.status_code == 302 and response["Location"].endswith("&show=to_approve")
    assert _statuses(rows) == ["approved"] * 3 + ["self_assessed"] * 5
    # An unknown filter shows every row.
    html = client.get(
        BOARD + f"?unit=SNV&period={rows[0].period_code}&show=nonsense"
    ).content.decode()
    assert {str(e.pk) for e in rows} <= set(
        re.findall(r'class="board-row[^"]*" id="row-(\d+)"', html)
    )
