"""Heads of Party boards and mass organisations are rated by the Party Secretary with the Standing
Board (rules.md "Who rates whom", Hanoi 2022 amendment), heads of departments by the City
People's Committee's leadership: each decision rates only the heads of its own body, one person
approves neither, and a decision of the wrong body changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thenchot.appraisal import services
from thenchot.appraisal.choices import CollectiveBody, EvaluationStatus
from thenchot.appraisal.models import CollectiveDecision
from thenchot.appraisal.testing import evaluation_of, open_period, with_snv_head
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.org.testing import UnitFactory
from thenchot.people.models import HeadAssignment
from thenchot.people.testing import StaffFactory

URL = reverse("appraisal:collective")


@pytest.fixture
def party(world):  # type: ignore[no-untyped-def]
    """BTG, the City Party Committee's propaganda board, under the City; its head Thảo."""
    board = UnitFactory.create(
        code="BTG", name="Ban Tuyên giáo Thành ủy", kind="party_body", parent=world.city
    )
    thao = StaffFactory.create(code="P900", full_name="Vũ Thị Thảo", unit=board, is_leader=True)
    HeadAssignment.objects.create(unit=board, staff=thao, role="head", valid_from=board.valid_from)
    world.staff["thao"] = thao
    with_snv_head(world)
    return open_period(world, agency=board)


def test_the_head_of_a_party_board_is_rated_by_the_standing_board(world, party):  # type: ignore[no-untyped-def]
    """rules.md: raters.collective."""
    snv = open_period(world)
    thao = evaluation_of(world, "thao", party.code)
    son = evaluation_of(world, "son", snv.code)
    assert services.collective_body(thao) == CollectiveBody.PARTY_STANDING_BOARD
    assert services.collective_body(son) == CollectiveBody.CITY_COMMITTEE


def test_the_city_committee_cannot_rate_a_party_board_head(world, party):  # type: ignore[no-untyped-def]
    """rules.md: raters.collective."""
    thao = evaluation_of(world, "thao", party.code)
    change = services.ReviewChange(general_points="28", task_points="60")
    with pytest.raises(DomainError) as refused:
        services.collective_decision_record(
            number="90/QĐ-UBND", decided_on=party.starts_on, chaired_by="Chủ tịch UBND",
            by=world.user("hung"), ratings={thao.pk: change},
        )  # fmt: skip
    said = str(refused.value.message) + str(refused.value.field_errors)
    assert "Party Secretary" in said or "Bí thư" in said
    assert not CollectiveDecision.objects.exists()
    thao.refresh_from_db()
    assert thao.status == EvaluationStatus.DRAFT


def test_the_standing_board_records_its_decision_from_the_page(client_for, world, party):  # type: ignore[no-untyped-def]
    """rules.md: raters.collective."""
    thao = evaluation_of(world, "thao", party.code)
    page = client_for("hung").get(URL + f"?period={party.code}&body=party_standing_board")
    assert page.content.decode().count("collective-row") == 1
    other = client_for("hung").get(URL + f"?period={party.code}&body=city_committee")
    assert "Vũ Thị Thảo" not in other.content.decode()
    response = client_for("hung").post(
        URL,
        {
            "period": party.code,
            "body": "party_standing_board",
            "selected": [thao.pk],
            "number": "15-QĐ/TU",
            "decided_on": party.starts_on.strftime("%d/%m/%Y"),
            "chaired_by": "Bí thư Thành ủy",
            f"{thao.pk}-general_points": "28",
            f"{thao.pk}-task_points": "62",
            f"{thao.pk}-comment": "Đạt",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    thao.refresh_from_db()
    assert thao.status == EvaluationStatus.APPROVED
    assert thao.collective_decision.body == CollectiveBody.PARTY_STANDING_BOARD


def test_no_single_person_approves_a_party_board_head(world, party):  # type: ignore[no-untyped-def]
    """rules.md: raters.collective."""
    thao = evaluation_of(world, "thao", party.code)
    with pytest.raises(OutOfScope) as refused:
        services.approve(evaluation=thao, by=world.user("hung"))
    assert "collective" in str(refused.value.message) or "tập thể" in str(refused.value.message)
