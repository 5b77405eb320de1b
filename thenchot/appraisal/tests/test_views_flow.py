"""The whole month through the pages: an self-assesses, hoa reviews the division in bulk, son
(head of SNV) approves in bulk and closes; the quota conflict is refused, then resolved; an sees
his level with its reasons, and colleagues see the published results."""

from __future__ import annotations

from django.urls import reverse

from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import (
    add_staff,
    approved,
    evaluation_of,
    open_period,
    with_snv_head,
)
from thenchot.appraisal.tests.confirming import confirmed_post


def test_it_runs_a_month_through_the_pages(client_for, world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    extras = add_staff(world, 10, unit=world.snv_tc, prefix="TC")
    month = open_period(world)
    Evaluation.objects.filter(period=month, staff__in=extras).update(
        general_points=25, task_points=50, status=EvaluationStatus.SELF_ASSESSED
    )
    for name, general, tasks in (("lan", "28", "64"), ("quan", "27", "64"), ("son", "25", "55")):
        approved(evaluation_of(world, name), general=general, tasks=tasks)

    # 1. an self-assesses on his page.
    an = client_for("an")
    assert (
        an.post(
            reverse("appraisal:me"),
            {"general_points": "29", "task_points": "65", "proposed_level": "excellent"},
        ).status_code
        == 302
    )

    # 2. hoa reviews her division in bulk (hoa's own evaluation is approved by the head).
    hoa = client_for("hoa")
    ids = list(
        Evaluation.objects.filter(
            period=month, unit=world.snv_tc, status="self_assessed"
        ).values_list("pk", flat=True)
    )
    assert len(ids) == 11
    response = hoa.post(
        reverse("appraisal:board_act"),
        {"unit": "SNV-TC", "period": month.code, "action": "review", "selected": ids},
    )
    assert response.status_code == 302
    approved(evaluation_of(world, "hoa"), general="25", tasks="55")

    # 3. son approves in bulk on the SNV board, then tries to close: the quota is exceeded.
    son = client_for("son")
    board = son.get(reverse("appraisal:board") + f"?unit=SNV&period={month.code}")
    assert 'id="bulk-approve"' in board.content.decode()
    response = son.post(
        reverse("appraisal:board_act"),
        {"unit": "SNV", "period": month.code, "action": "approve", "selected": ids},
    )
    assert response.status_code == 302
    assert Evaluation.objects.filter(period=month, status="approved").count() == 15
    act = reverse("appraisal:close_act")
    refused = son.post(act, {"unit": "SNV", "period": month.code, "action": "close"})
    assert refused.status_code == 409 and world.staff["quan"].full_name in refused.content.decode()
    assert not Evaluation.objects.filter(period=month, status="closed").exists()

    # 4. son names who moves down, closes; the period is locked.
    quan = evaluation_of(world, "quan")
    son.post(act, {"unit": "SNV", "period": month.code, "action": "choose", "selected": [quan.pk]})
    closing = {"unit": "SNV", "period": month.code, "action": "close"}
    assert confirmed_post(son, act, closing).status_code == 302
    assert Evaluation.objects.filter(period=month, status="closed").count() == 15

    # 5. an sees his level with its reasons; a colleague sees the published results.
    page = an.get(reverse("appraisal:results")).content.decode()
    assert f'data-period="{month.code}"' in page and 'data-level="excellent"' in page
    assert 'class="mb-0 ps-3 small reasons"' in page and "94" in page
    assert evaluation_of(world, "quan").final_level == "good"
    colleague = client_for("lan").get(reverse("appraisal:results")).content.decode()
    assert colleague.count("published-row") == 15
    outsider = client_for("minh").get(reverse("appraisal:results")).content.decode()
    assert "published-row" not in outsider
