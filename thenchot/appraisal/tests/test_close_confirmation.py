"""Issue 10, point 3: closing and reopening ask first, saying what will happen (the period, the
unit, how many and who move down by the quota); a POST without the confirmation's token changes
nothing; a refusal is said once; the close tab is shown only to those whose close screen opens."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from thenchot.appraisal import services
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import (
    add_staff,
    approved,
    evaluation_of,
    open_period,
    with_snv_head,
)
from thenchot.appraisal.tests.confirming import TOKEN

CLOSE = reverse("appraisal:close")
ACT = reverse("appraisal:close_act")


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    """SNV with 13 non-leaders good or better, three excellent: Decree 335 allows two."""
    with_snv_head(world)
    extras = add_staff(world, 10, unit=world.snv_tc, prefix="TC")
    period = open_period(world)
    for staff in extras:
        approved(Evaluation.objects.get(staff=staff, period=period), general="25", tasks="50")
    approved(evaluation_of(world, "an"), general="29", tasks="65")  # 94
    approved(evaluation_of(world, "lan"), general="28", tasks="64")  # 92
    approved(evaluation_of(world, "quan"), general="27", tasks="64")  # 91: moves by score
    approved(evaluation_of(world, "hoa"), general="25", tasks="55")
    approved(evaluation_of(world, "son"), general="25", tasks="55")
    return period


def _status(month):  # type: ignore[no-untyped-def]
    month.refresh_from_db()
    return month.status


def _close(client, month, **extra):  # type: ignore[no-untyped-def]
    data = {"unit": "SNV", "period": month.code, "action": "close", **extra}
    return client.post(ACT, data)


def test_it_asks_before_closing_and_names_who_moves_down(client_for, world, month):  # type: ignore[no-untyped-def]
    response = _close(client_for("son", lang="en"), month, resolve_by_score="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="close-confirm"' in html
    assert f'id="confirm-title" data-period="{month.code}"' in html
    assert "for Sở Nội vụ?" in html
    assert "locks the levels of 15 evaluations in 1 agencies" in html
    moved = html[html.index('id="confirm-moved"') :]
    moved = moved[: moved.index("</ul>")]
    assert moved.count('class="moved-person"') == 1
    assert "Vũ Minh Quân (P000)" in moved and 'data-level="good"' in moved
    assert _status(month) == PeriodStatus.OPEN
    assert not Evaluation.objects.filter(period=month, status=EvaluationStatus.CLOSED).exists()


def test_it_closes_only_with_the_confirmations_token(client_for, world, month):  # type: ignore[no-untyped-def]
    client = client_for("son")
    for forged in ("1", "yes", "abc:def"):
        assert _close(client, month, resolve_by_score="on", confirm=forged).status_code == 409
        assert _status(month) == PeriodStatus.OPEN
    page = _close(client, month, resolve_by_score="on").content.decode()
    token = TOKEN.search(page).group(1)  # type: ignore[union-attr]
    # The token is for this request: not for a close without "by score", nor for another user.
    assert _close(client, month, confirm=token).status_code == 409
    assert _status(month) == PeriodStatus.OPEN
    response = _close(client, month, resolve_by_score="on", confirm=token)
    assert response.status_code == 302
    assert _status(month) == PeriodStatus.CLOSED
    assert evaluation_of(world, "quan").final_level == "good"


def test_it_asks_again_when_the_period_changed_since(client_for, world, month):  # type: ignore[no-untyped-def]
    client = client_for("son")
    page = _close(client, month, resolve_by_score="on").content.decode()
    token = TOKEN.search(page).group(1)  # type: ignore[union-attr]
    services.quota_choose(evaluations=[evaluation_of(world, "lan").pk], by=world.user("son"))
    response = _close(client, month, resolve_by_score="on", confirm=token)
    assert response.status_code == 409 and 'id="confirm-stale"' in response.content.decode()
    assert _status(month) == PeriodStatus.OPEN


def test_it_says_the_quota_refusal_once(client_for, world, month):  # type: ignore[no-untyped-def]
    response = _close(client_for("son", lang="en"), month)
    assert response.status_code == 409
    html = response.content.decode()
    assert html.count("The quota is exceeded") == 1
    assert 'id="close-errors"' not in html and 'id="close-confirm"' not in html
    assert _status(month) == PeriodStatus.OPEN


def test_it_lists_who_is_not_ready_once(client_for, world, month):  # type: ignore[no-untyped-def]
    an = evaluation_of(world, "an")
    Evaluation.objects.filter(pk=an.pk).update(status=EvaluationStatus.REVIEWED)
    response = _close(client_for("son", lang="en"), month, resolve_by_score="on")
    assert response.status_code == 409
    html = response.content.decode()
    assert html.count(f"{an.staff.full_name} ({an.staff.code})") == 1
    assert 'class="not-ready-line"' in html and 'id="close-confirm"' not in html
    assert _status(month) == PeriodStatus.OPEN


def test_it_shows_the_close_tab_only_where_the_close_screen_opens(client_for, world, month):  # type: ignore[no-untyped-def]
    board = client_for("hoa").get(reverse("appraisal:board")).content.decode()
    assert 'id="nav-board"' in board and 'id="nav-close"' not in board
    assert client_for("hoa").get(CLOSE).status_code == 403
    for user in ("son", "lan", "hung"):
        page = client_for(user).get(reverse("appraisal:results")).content.decode()
        assert 'id="nav-close"' in page, user
        assert client_for(user).get(CLOSE).status_code == 200, user


def test_it_asks_before_reopening(client_for, world, month):  # type: ignore[no-untyped-def]
    son = client_for("son")
    page = _close(son, month, resolve_by_score="on").content.decode()
    _close(son, month, resolve_by_score="on", confirm=TOKEN.search(page).group(1))  # type: ignore[union-attr]
    assert _status(month) == PeriodStatus.CLOSED
    client = client_for("hung", lang="en")
    data = {"unit": "SNV", "period": month.code, "action": "reopen", "period_id": month.pk,
            "number": "15/QĐ-UBND", "decided_on": f"{timezone.localdate():%d/%m/%Y}",
            "reason": "Sai sót điểm"}  # fmt: skip
    response = client.post(ACT, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="reopen-confirm"' in html and "15 evaluations go back to approved" in html
    assert _status(month) == PeriodStatus.CLOSED
    assert client.post(ACT, {**data, "confirm": "1"}).status_code == 409
    assert _status(month) == PeriodStatus.CLOSED
    token = TOKEN.search(html).group(1)  # type: ignore[union-attr]
    assert client.post(ACT, {**data, "reason": "Khác", "confirm": token}).status_code == 409
    assert client.post(ACT, {**data, "confirm": token}).status_code == 302
    assert _status(month) == PeriodStatus.OPEN
