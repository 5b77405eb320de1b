"""The manager's board: everyone of the division on one screen, inline adjustment with a
comment, return for revision, bulk review with a per-person override, bulk approval by the head,
handling someone who did not self-assess after the deadline — and each refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from thenchot.appraisal import services
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import (
    add_staff,
    evaluation_of,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)

BOARD = reverse("appraisal:board")
ACT = reverse("appraisal:board_act")


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    add_staff(world, 22, unit=world.snv_tc, prefix="TC")
    return open_period(world)


def _assess_all(world, month) -> list[Evaluation]:  # type: ignore[no-untyped-def]
    rows = list(
        Evaluation.objects.filter(period=month, unit=world.snv_tc).exclude(staff=world.staff["hoa"])
    )
    for i, ev in enumerate(rows):
        ev.refresh_from_db()
        services.self_assess(
            evaluation=ev,
            by=ev.staff.user or _login(ev),
            general_points="25",
            task_points=str(45 + i % 20),
        )
    return rows


def _login(ev: Evaluation):  # type: ignore[no-untyped-def]
    from thenchot.accounts.testing import UserFactory

    user = UserFactory(username=f"u-{ev.staff.code.lower()}")
    ev.staff.user = user
    ev.staff.save(update_fields=["user"])
    return user


def test_it_shows_twenty_people_on_one_screen(client_for, world, month):  # type: ignore[no-untyped-def]
    html = client_for("hoa").get(BOARD + "?unit=SNV-TC").content.decode()
    assert html.count('class="board-row') >= 23
    assert 'id="board-not-submitted"' in html and html.count("not-submitted") >= 23
    # The previous month is named in words ("Tháng 11/2026"), not as its code (issue 11).
    from django.utils import translation

    from thenchot.core.periods import period_label

    with translation.override("vi"):
        last_month = period_label(month_before(this_month()))
    assert 'id="board-distribution"' in html and last_month in html


def test_it_adjusts_one_line_with_a_comment(client_for, world, month):  # type: ignore[no-untyped-def]
    rows = _assess_all(world, month)
    ev = rows[0]
    data = {
        "unit": "SNV-TC",
        "period": month.code,
        "action": f"review:{ev.pk}",
        f"{ev.pk}-task_points": "40",
        f"{ev.pk}-comment": "Thiếu một báo cáo",
    }
    assert client_for("hoa").post(ACT, data).status_code == 302
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.REVIEWED and ev.reviewed_task_points == Decimal("40")
    assert ev.review_comment == "Thiếu một báo cáo"


def test_it_refuses_an_adjustment_without_comment_and_changes_nothing(client_for, world, month):  # type: ignore[no-untyped-def]
    ev = _assess_all(world, month)[0]
    data = {"unit": "SNV-TC", "period": month.code, "action": f"review:{ev.pk}",
            f"{ev.pk}-task_points": "40"}  # fmt: skip
    response = client_for("hoa").post(ACT, data)
    assert response.status_code == 400
    assert f'id="row-{ev.pk}"' in response.content.decode()
    assert "row-errors" in response.content.decode()
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.SELF_ASSESSED and ev.reviewed_task_points is None


def test_it_refuses_points_above_the_maximum_on_a_line(client_for, world, month):  # type: ignore[no-untyped-def]
    ev = _assess_all(world, month)[0]
    data = {"unit": "SNV-TC", "period": month.code, "action": f"review:{ev.pk}",
            f"{ev.pk}-general_points": "35", f"{ev.pk}-comment": "x"}  # fmt: skip
    response = client_for("hoa").post(ACT, data)
    assert response.status_code == 400
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.SELF_ASSESSED and ev.reviewed_general_points is None


def test_it_returns_an_assessment_for_revision(client_for, world, month):  # type: ignore[no-untyped-def]
    ev = _assess_all(world, month)[0]
    data = {"unit": "SNV-TC", "period": month.code, "action": f"return:{ev.pk}",
            f"{ev.pk}-comment": "Bổ sung minh chứng"}  # fmt: skip
    assert client_for("hoa").post(ACT, data).status_code == 302
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.RETURNED


def test_it_reviews_in_bulk_with_a_per_person_override(client_for, world, month):  # type: ignore[no-untyped-def]
    rows = _assess_all(world, month)
    special = rows[1]
    data = {
        "unit": "SNV-TC",
        "period": month.code,
        "action": "review",
        "selected": [str(ev.pk) for ev in rows],
        "comment": "Đồng ý",
        f"{special.pk}-general_points": "20",
        f"{special.pk}-comment": "Đi muộn hai lần",
    }
    assert client_for("hoa").post(ACT, data).status_code == 302
    statuses = set(
        Evaluation.objects.filter(pk__in=[e.pk for e in rows]).values_list("status", flat=True)
    )
    assert statuses == {EvaluationStatus.REVIEWED}
    special.refresh_from_db()
    assert special.reviewed_general_points == Decimal("20")
    assert special.review_comment == "Đi muộn hai lần"
    assert Evaluation.objects.get(pk=rows[0].pk).review_comment == "Đồng ý"


def test_it_reviews_the_rows_it_can_and_lists_the_one_it_cannot(client_for, world, month):  # type: ignore[no-untyped-def]
    rows = _assess_all(world, month)
    draft = evaluation_of(world, "hoa")  # hoa's own: nobody reviews their own
    data = {"unit": "SNV-TC", "period": month.code, "action": "review",
            "selected": [str(ev.pk) for ev in rows] + [str(draft.pk)]}  # fmt: skip
    client = client_for("hoa", lang="en")
    assert client.post(ACT, data).status_code == 302
    assert Evaluation.objects.filter(pk__in=[e.pk for e in rows], status="reviewed").count() == len(
        rows
    )
    draft.refresh_from_db()
    assert draft.status == EvaluationStatus.DRAFT
    html = client.get(BOARD + f"?unit=SNV-TC&period={month.code}").content.decode()
    report = html[html.index('id="bulk-report"') :]
    assert f"{draft.staff.full_name} ({draft.staff.code}) — Nobody reviews" in report


def test_it_lets_only_the_head_approve_in_bulk(client_for, world, month):  # type: ignore[no-untyped-def]
    rows = _assess_all(world, month)
    services.bulk_review(evaluations=rows, by=world.user("hoa"))
    data = {"unit": "SNV-TC", "period": month.code, "action": "approve",
            "selected": [str(ev.pk) for ev in rows]}  # fmt: skip
    assert client_for("hoa").post(ACT, data).status_code == 403
    assert not Evaluation.objects.filter(status="approved").exists()
    data["unit"] = "SNV"
    keep = rows[0]
    data["selected"] = [str(ev.pk) for ev in rows[1:]]  # the head leaves one out
    assert client_for("son").post(ACT, data).status_code == 302
    assert Evaluation.objects.filter(status="approved").count() == len(rows) - 1
    keep.refresh_from_db()
    assert keep.status == EvaluationStatus.REVIEWED


def test_it_refuses_approving_ones_own_evaluation(client_for, world, month):  # type: ignore[no-untyped-def]
    own = evaluation_of(world, "son")
    Evaluation.objects.filter(pk=own.pk).update(
        status="reviewed", general_points=25, task_points=60
    )
    data = {"unit": "SNV", "period": month.code, "action": f"approve:{own.pk}"}
    response = client_for("son").post(ACT, data)
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.status == EvaluationStatus.REVIEWED and own.approved_by_id is None


def test_it_handles_someone_who_did_not_self_assess_after_the_deadline(client_for, world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    last = open_period(world, month_before(this_month()))  # its deadline has passed
    ev = evaluation_of(world, "an", last.code)
    html = client_for("hoa").get(BOARD + f"?unit=SNV-TC&period={last.code}").content.decode()
    assert f'value="handle:{ev.pk}"' in html
    data = {"unit": "SNV-TC", "period": last.code, "action": f"handle:{ev.pk}",
            f"{ev.pk}-general_points": "22", f"{ev.pk}-task_points": "50",
            f"{ev.pk}-comment": "Không tự đánh giá đúng hạn"}  # fmt: skip
    assert client_for("hoa").post(ACT, data).status_code == 302
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.REVIEWED and ev.handled_by_manager
    html = client_for("hoa").get(BOARD + f"?unit=SNV-TC&period={last.code}").content.decode()
    assert "handled-flag" in html


def test_it_does_not_offer_handling_before_the_deadline(client_for, world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    html = client_for("hoa").get(BOARD + "?unit=SNV-TC").content.decode()
    assert f'value="handle:{ev.pk}"' not in html
    data = {"unit": "SNV-TC", "period": month.code, "action": f"handle:{ev.pk}",
            f"{ev.pk}-general_points": "22", f"{ev.pk}-comment": "x"}  # fmt: skip
    assert client_for("hoa").post(ACT, data).status_code == 400
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.DRAFT


def test_it_refreshes_the_board_in_place_for_htmx(client_for, world, month):  # type: ignore[no-untyped-def]
    response = client_for("hoa").get(
        BOARD + "?unit=SNV-TC", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board"
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="board">')
    assert 'id="board"' in html and "<html" not in html


def test_it_shows_the_level_the_points_give_beside_a_different_proposal(client_for, world, month):  # type: ignore[no-untyped-def]
    ev = Evaluation.objects.get(period=month, staff=world.staff["an"])
    services.self_assess(
        evaluation=ev,
        by=world.user("an"),
        general_points="25",
        task_points="55",  # 80 points: good
        proposed_level="excellent",
    )
    html = client_for("hoa").get(BOARD + "?unit=SNV-TC").content.decode()
    row = html[html.index(f'id="row-{ev.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'class="small text-body-secondary by-points" data-level="good"' in row
    agreeing = Evaluation.objects.filter(period=month, unit=world.snv_tc).exclude(pk=ev.pk).first()
    services.self_assess(
        evaluation=agreeing,
        by=agreeing.staff.user or _login(agreeing),
        general_points="25",
        task_points="55",
        proposed_level="good",
    )
    html = client_for("hoa").get(BOARD + "?unit=SNV-TC").content.decode()
    other = html[html.index(f'id="row-{agreeing.pk}"') :]
    assert "by-points" not in other[: other.index("</tr>")]


def test_a_large_board_is_shown_a_page_at_a_time(client_for, world, month, monkeypatch):  # type: ignore[no-untyped-def]
    """A city's board is not one page of thousands of rows (issue 16): the rows come a page at a
    time, while the counts stay those of the whole board."""
    from thenchot.appraisal.views import manager_board

    monkeypatch.setattr(manager_board, "BOARD_ROWS", 10)
    first = client_for("hoa").get(BOARD + "?unit=SNV-TC").content.decode()
    assert first.count('class="board-row') == 10
    assert 'rel="next"' in first
    whole = int(first.split('id="board-filter-all"')[1].split("(")[1].split(")")[0])
    assert whole >= 23
    last = client_for("hoa").get(BOARD + f"?unit=SNV-TC&page={(whole + 9) // 10}").content.decode()
    assert last.count('class="board-row') == whole - 10 * ((whole - 1) // 10)


def test_a_board_too_large_to_list_is_shown_by_agency(client_for, world, month, monkeypatch):  # type: ignore[no-untyped-def]
    """A city's board of 200,000 people is not computed row by row (issue 16): past the limit
    it shows each agency's count by status, each a link to that agency's board."""
    from thenchot.appraisal.views import manager_board

    monkeypatch.setattr(manager_board, "BOARD_MAX", 5)
    html = client_for("quan").get(BOARD + "?unit=HN").content.decode()
    assert 'id="board-agencies"' in html and 'class="board-row' not in html
    assert 'data-agency="SNV"' in html
    assert "?unit=SNV&amp;period=" in html
