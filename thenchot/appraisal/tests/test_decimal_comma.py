"""Issue 11, point 3: An self-assesses in Vietnamese and types "62,5"; the page keeps 62.5
(never 625) and shows it back as "62,5"; the board reads Hoa's "55,5" as well as the plain
"50.00" it posted since issue 10; a word in a points box is refused next to the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from thenchot.appraisal import services
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.labels import shown
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import evaluation_of, open_period, with_snv_head

ME = reverse("appraisal:me")
ACT = reverse("appraisal:board_act")


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    return open_period(world)


def _self(world, general: str, tasks: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "general_points": general,
        "task_points": tasks,
        "proposed_level": "good",
        "version": evaluation_of(world, "an").version,
    }


def test_it_reads_a_decimal_comma_and_a_decimal_point_in_the_self_assessment(
    client_for, world, month
):  # type: ignore[no-untyped-def]
    response = client_for("an").post(ME, _self(world, "27.5", "62,5"))
    assert response.status_code == 302
    ev = evaluation_of(world, "an")
    assert ev.general_points == Decimal("27.5") and ev.task_points == Decimal("62.5")


def test_it_refuses_a_word_next_to_the_field(client_for, world, month):  # type: ignore[no-untyped-def]
    response = client_for("an", lang="en").post(ME, _self(world, "abc", "62.5"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_general_points-errors"' in html and "Enter a number, for example 62.5." in html
    assert evaluation_of(world, "an").status == EvaluationStatus.DRAFT


def test_it_shows_the_points_in_the_readers_writing(client_for, world, month):  # type: ignore[no-untyped-def]
    Evaluation.objects.filter(pk=evaluation_of(world, "an").pk).update(
        general_points=Decimal("27.00"), task_points=Decimal("62.50")
    )
    html = client_for("an").get(ME).content.decode()
    assert 'name="general_points" value="27"' in html
    assert 'name="task_points" value="62,5"' in html
    assert 'type="number"' not in html and 'inputmode="decimal"' in html
    assert 'data-sum="self-points"' in html and 'id="self-total-value"' in html
    assert ">89,5</output> / 100" in html
    assert "thenchot/numbers.js" in html and "thenchot/drafts.js" in html
    assert 'data-draft-key="thenchot:self-assessment:' in html
    english = client_for("an", lang="en").get(ME).content.decode()
    assert 'name="task_points" value="62.5"' in english and ">89.5</output>" in english


def test_it_reads_the_boards_points_in_both_writings(client_for, world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    Evaluation.objects.filter(pk=ev.pk).update(
        general_points=25, task_points=60, proposed_level="good", status="self_assessed"
    )
    hoa = client_for("hoa")
    for typed, kept in (("50.00", "50"), ("55,5", "55.5")):
        data = {
            "unit": "SNV-TC",
            "period": month.code,
            "action": f"review:{ev.pk}",
            f"{ev.pk}-task_points": typed,
            f"{ev.pk}-comment": "Điều chỉnh điểm nhiệm vụ",
        }
        assert hoa.post(ACT, data).status_code == 302
        ev.refresh_from_db()
        assert ev.status == EvaluationStatus.REVIEWED and ev.reviewed_task_points == Decimal(kept)


def test_it_writes_the_points_of_the_reasons_in_the_readers_writing() -> None:
    with translation.override("vi"):
        assert shown("score", "91.5") == "91,5" and shown("points", "62.50") == "62,5"
        assert shown("year", "2026") == "2026" and shown("period", "2026-12") == "2026-12"
    with translation.override("en"):
        assert shown("score", "91.5") == "91.5"


def test_it_reads_a_decimal_comma_in_the_collective_decision(client_for, world):  # type: ignore[no-untyped-def]
    url = reverse("appraisal:collective")
    period = open_period(world, agency=world.stc)
    ev = evaluation_of(world, "minh")
    services.self_assess(
        evaluation=ev, by=world.user("minh"), general_points="27", task_points="62",
        proposed_level="good",
    )  # fmt: skip
    hung = client_for("hung")
    html = hung.get(url + f"?period={period.code}").content.decode()
    at = html.index(f'name="{ev.pk}-task_points"')
    assert html[html.rindex("<input", 0, at) : at].startswith(
        '<input type="text" inputmode="decimal"'
    )
    data = {
        "period": period.code,
        "selected": [ev.pk],
        "number": "88/QĐ-UBND",
        "decided_on": "25/11/2026",
        "chaired_by": "Chủ tịch UBND Thành phố",
        f"{ev.pk}-task_points": "60,5",
        f"{ev.pk}-comment": "Một nhiệm vụ chậm",
    }
    assert hung.post(url, data).status_code == 302
    ev.refresh_from_db()
    assert ev.reviewed_task_points == Decimal("60.5")
