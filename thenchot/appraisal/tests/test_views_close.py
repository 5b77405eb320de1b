"""The close screen: summary and quota preview, closing refused while the quota is exceeded
(naming the people), resolved by the head's choice or by score, the results with their reasons,
and reopening only by a recorded decision."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation, ReopenDecision
from thenchot.appraisal.testing import (
    add_staff,
    approved,
    evaluation_of,
    open_period,
    with_snv_head,
)
from thenchot.appraisal.tests.confirming import confirmed_post

CLOSE = reverse("appraisal:close")
ACT = reverse("appraisal:close_act")


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    """SNV with 13 non-leaders rated good or better, three of them excellent: the Decree 335
    quota (20% of 13 → 2) is exceeded by one."""
    with_snv_head(world)
    extras = add_staff(world, 10, unit=world.snv_tc, prefix="TC")
    period = open_period(world)
    for staff in extras:
        approved(Evaluation.objects.get(staff=staff, period=period), general="25", tasks="50")
    approved(evaluation_of(world, "an"), general="29", tasks="65")  # 94
    approved(evaluation_of(world, "lan"), general="28", tasks="64")  # 92
    approved(evaluation_of(world, "quan"), general="27", tasks="64")  # 91
    approved(evaluation_of(world, "hoa"), general="25", tasks="55")
    approved(evaluation_of(world, "son"), general="25", tasks="55")
    return period


def _post(client, month, **data):  # type: ignore[no-untyped-def]
    """A close or reopening goes through its confirmation (test_close_confirmation.py)."""
    return confirmed_post(client, ACT, {"unit": "SNV", "period": month.code, **data})


def test_it_previews_the_conflict_naming_the_people(client_for, world, month):  # type: ignore[no-untyped-def]
    html = client_for("son").get(CLOSE + f"?unit=SNV&period={month.code}").content.decode()
    assert 'id="close-summary"' in html and 'data-agency="SNV"' in html
    assert "các mức được đếm là mức đề xuất" in html  # the summary says what it counts
    assert 'id="quota-conflicts"' in html
    for name in ("an", "lan", "quan"):
        assert world.staff[name].full_name in html
    assert _status(month) == PeriodStatus.OPEN


def _status(month):  # type: ignore[no-untyped-def]
    month.refresh_from_db()
    return month.status


def test_it_refuses_to_close_while_the_quota_is_exceeded(client_for, world, month):  # type: ignore[no-untyped-def]
    response = _post(client_for("son"), month, action="close")
    assert response.status_code == 409
    html = response.content.decode()
    assert "quota-conflict" in html and world.staff["quan"].full_name in html
    assert _status(month) == PeriodStatus.OPEN
    assert not Evaluation.objects.filter(period=month, status=EvaluationStatus.CLOSED).exists()


def test_it_closes_after_the_heads_choice(client_for, world, month):  # type: ignore[no-untyped-def]
    client = client_for("son")
    an = evaluation_of(world, "an")
    assert _post(client, month, action="choose", selected=[an.pk]).status_code == 302
    html = client.get(CLOSE + f"?unit=SNV&period={month.code}").content.decode()
    assert "demoted-person" in html and 'id="quota-conflicts"' not in html
    assert _post(client, month, action="close").status_code == 302
    assert _status(month) == PeriodStatus.CLOSED
    an.refresh_from_db()
    assert an.final_level == "good"
    assert an.reasons[-1]["rule"] == "quota.named_by_head"
    assert evaluation_of(world, "quan").final_level == "excellent"
    html = client.get(CLOSE + f"?unit=SNV&period={month.code}").content.decode()
    assert 'id="results-table"' in html and html.count("result-row") == 15
    assert "quota-line" in html  # used / allowed per agency and group


def test_it_closes_resolving_by_score(client_for, world, month):  # type: ignore[no-untyped-def]
    response = _post(client_for("son"), month, action="close", resolve_by_score="on")
    assert response.status_code == 302
    quan = evaluation_of(world, "quan")
    assert quan.final_level == "good" and quan.reasons[-1]["rule"] == "quota.excellent_share"
    assert evaluation_of(world, "an").final_level == "excellent"


def test_it_changes_nothing_when_closed_twice(client_for, world, month):  # type: ignore[no-untyped-def]
    client = client_for("son")
    _post(client, month, action="close", resolve_by_score="on")
    before = list(
        Evaluation.objects.filter(period=month).values_list("pk", "version", "final_level")
    )
    assert _post(client, month, action="close").status_code == 302
    after = list(
        Evaluation.objects.filter(period=month).values_list("pk", "version", "final_level")
    )
    assert before == after


def test_it_lets_only_the_head_close(client_for, world, month):  # type: ignore[no-untyped-def]
    for user in ("lan", "hoa"):
        response = _post(client_for(user), month, action="close", resolve_by_score="on")
        assert response.status_code in (403, 404), user
    assert _status(month) == PeriodStatus.OPEN
    assert _post(client_for("minh"), month, action="close").status_code == 404


def test_it_refuses_a_division_manager_choosing_who_moves_down(client_for, world, month):  # type: ignore[no-untyped-def]
    an = evaluation_of(world, "an")
    response = client_for("hoa").post(
        ACT, {"unit": "SNV-TC", "period": month.code, "action": "choose", "selected": [an.pk]}
    )
    assert response.status_code in (403, 404)
    an.refresh_from_db()
    assert not an.quota_demoted


def test_it_reopens_only_by_a_recorded_decision(client_for, world, month):  # type: ignore[no-untyped-def]
    _post(client_for("son"), month, action="close", resolve_by_score="on")
    client = client_for("hung")
    response = _post(client, month, action="reopen", period_id=month.pk, number="", reason="")
    assert response.status_code == 400
    assert _status(month) == PeriodStatus.CLOSED
    today = timezone.localdate()
    response = _post(
        client, month, action="reopen", period_id=month.pk, number="15/QĐ-UBND",
        decided_on=f"{today:%d/%m/%Y}", reason="Sai sót điểm của một người",
    )  # fmt: skip
    assert response.status_code == 302
    assert _status(month) == PeriodStatus.OPEN
    decision = ReopenDecision.objects.get(period=month)
    assert decision.decision == "15/QĐ-UBND" and decision.decided_on == today
    assert evaluation_of(world, "an").status == EvaluationStatus.APPROVED


def test_it_refuses_a_reopening_by_the_head_alone(client_for, world, month):  # type: ignore[no-untyped-def]
    _post(client_for("son"), month, action="close", resolve_by_score="on")
    response = _post(
        client_for("son"), month, action="reopen", period_id=month.pk, number="1",
        decided_on="20/11/2026", reason="x",
    )  # fmt: skip
    assert response.status_code == 403
    assert _status(month) == PeriodStatus.CLOSED


def test_it_names_the_quota_groups_and_bases_in_the_readers_language(client_for, world, month):  # type: ignore[no-untyped-def]
    html = client_for("son").get(CLOSE + f"?unit=SNV&period={month.code}").content.decode()
    conflicts = html[html.index('id="quota-conflicts"') :]
    assert "Không giữ chức vụ lãnh đạo, quản lý" in conflicts
    assert "non_leaders" not in conflicts.split('data-group="non_leaders"')[-1]
    assert "those rated good" not in conflicts
    english = client_for("son", lang="en").get(CLOSE + f"?unit=SNV&period={month.code}")
    assert "Non-leaders" in english.content.decode()
