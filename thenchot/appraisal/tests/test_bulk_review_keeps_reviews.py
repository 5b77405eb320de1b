"""Issue 10, point 1: a bulk review changes only what it means to change. A row already reviewed
keeps its level, adjusted points and comment (it is left out and reported), unless its own line
changes it; a refused input on a line still changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from thenchot.appraisal import services
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import add_staff, open_period, with_snv_head
from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError

BOARD = reverse("appraisal:board")
ACT = reverse("appraisal:board_act")
COMMENT = "Báo cáo quý nộp chậm hai ngày"


@pytest.fixture
def rows(world):  # type: ignore[no-untyped-def]
    """Five self-assessed people of Phòng Tổ chức, Phạm Thị Hoa's division."""
    with_snv_head(world)
    staff = add_staff(world, 5, unit=world.snv_tc, prefix="TC")
    period = open_period(world)
    evaluations = list(Evaluation.objects.filter(period=period, staff__in=staff).order_by("pk"))
    Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).update(
        general_points=25,
        task_points=60,
        proposed_level="good",
        status=EvaluationStatus.SELF_ASSESSED,
    )
    return evaluations


def _adjust_first(world, rows):  # type: ignore[no-untyped-def]
    return services.review(
        evaluation=rows[0], by=world.user("hoa"), task_points="55", level="good", comment=COMMENT
    )


def test_it_keeps_an_earlier_adjustment_when_reviewing_in_bulk(world, rows):  # type: ignore[no-untyped-def]
    first = _adjust_first(world, rows)
    audited = AuditEntry.objects.filter(object_id=str(first.pk)).count()
    out = services.bulk_review(evaluations=rows, by=world.user("hoa"), comment="Đồng ý")
    assert [e.pk for e in out.changed] == [e.pk for e in rows[1:]]
    assert [(s.evaluation.pk, s.reason) for s in out.skipped] == [
        (first.pk, "Already reviewed: left as it is.")
    ]
    first.refresh_from_db()
    assert first.reviewed_level == "good" and first.review_comment == COMMENT
    assert first.reviewed_task_points == Decimal("55") and first.version == rows[0].version + 1
    assert AuditEntry.objects.filter(object_id=str(first.pk)).count() == audited


def test_it_refuses_the_batch_for_an_input_error_even_beside_a_reviewed_row(world, rows):  # type: ignore[no-untyped-def]
    first = _adjust_first(world, rows)
    change = services.ReviewChange(task_points="40")  # an adjustment needs a comment
    with pytest.raises(DomainError) as refused:
        services.bulk_review(evaluations=rows, by=world.user("hoa"), overrides={rows[2].pk: change})
    assert list(refused.value.field_errors) == [str(rows[2].pk)]
    staff = rows[2].staff
    assert str(refused.value.message).splitlines() == [
        "Nothing was changed. Refused:",
        f"{staff.full_name} ({staff.code}) — An adjustment needs a comment.",
    ]
    assert not Evaluation.objects.filter(
        pk__in=[e.pk for e in rows[1:]], status="reviewed"
    ).exists()
    first.refresh_from_db()
    assert first.reviewed_level == "good" and first.review_comment == COMMENT


def test_it_changes_a_reviewed_row_when_its_own_line_changes_it(world, rows):  # type: ignore[no-untyped-def]
    first = _adjust_first(world, rows)
    change = services.ReviewChange(task_points="55", level="complete", comment=COMMENT)
    out = services.bulk_review(evaluations=rows, by=world.user("hoa"), overrides={first.pk: change})
    assert first.pk in [e.pk for e in out.changed] and not out.skipped
    first.refresh_from_db()
    assert first.reviewed_level == "complete" and first.review_comment == COMMENT


def test_it_leaves_a_reviewed_row_whose_line_is_unchanged(world, rows):  # type: ignore[no-untyped-def]
    first = _adjust_first(world, rows)
    same = services.ReviewChange(task_points="55.00", level="good", comment=COMMENT)
    out = services.bulk_review(evaluations=rows, by=world.user("hoa"), overrides={first.pk: same})
    assert [s.evaluation.pk for s in out.skipped] == [first.pk]
    assert Evaluation.objects.get(pk=first.pk).version == first.version


def test_it_keeps_the_adjustment_through_the_board(client_for, world, rows):  # type: ignore[no-untyped-def]
    """Hoa reviews one line with a level and a comment, then selects all and reviews: the page
    says four were reviewed and lists the first as left as it was; its level stays."""
    first = rows[0]
    client = client_for("hoa", lang="en")
    unit = {"unit": "SNV-TC", "period": first.period_code}
    review_one = {**unit, "action": f"review:{first.pk}", f"{first.pk}-task_points": "55",
                  f"{first.pk}-level": "good", f"{first.pk}-comment": COMMENT}  # fmt: skip
    assert client.post(ACT, review_one).status_code == 302
    html = client.get(BOARD + f"?unit=SNV-TC&period={first.period_code}").content.decode()
    line = html[html.index(f'id="row-{first.pk}"') :]
    line = line[: line.index("</tr>")]
    assert f'value="{COMMENT}"' in line and '<option value="good" selected>' in line
    # In Vietnamese the points are shown as a Vietnamese reader writes them, in a text input
    # (a number input would post "55,5" empty); the plain "55.00" posted below is read too.
    vi = client_for("hoa").get(BOARD + f"?unit=SNV-TC&period={first.period_code}")
    html = vi.content.decode()
    vi_line = html[html.index(f'id="row-{first.pk}"') :].split("</tr>")[0]
    assert f'name="{first.pk}-task_points" value="55"' in vi_line
    assert 'type="number"' not in vi_line
    # The bulk review posts every selected line as the page shows it.
    bulk = {**unit, "action": "review", "selected": [str(e.pk) for e in rows],
            "comment": "Đồng ý", f"{first.pk}-task_points": "55.00",
            f"{first.pk}-level": "good", f"{first.pk}-comment": COMMENT}  # fmt: skip
    response = client.post(ACT, bulk, follow=True)
    html = response.content.decode()
    assert "4 evaluations reviewed." in html
    report = html[html.index('id="bulk-report"') :]
    name = f"{first.staff.full_name} ({first.staff.code})"
    assert f"{name} — Already reviewed: left as it is." in report
    first.refresh_from_db()
    assert first.reviewed_level == "good" and first.review_comment == COMMENT
    assert set(
        Evaluation.objects.filter(pk__in=[e.pk for e in rows]).values_list("status", flat=True)
    ) == {"reviewed"}  # noqa: E501
    others = Evaluation.objects.filter(pk__in=[e.pk for e in rows[1:]])
    assert set(others.values_list("review_comment", flat=True)) == {"Đồng ý"}
