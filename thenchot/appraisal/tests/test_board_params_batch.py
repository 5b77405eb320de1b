"""Issue 18: the board reads its packs' parameters in one statement (`current_params_of`), the
same as `current_params` of each, and a board of one page reads its months by the evaluations'
own period code, without reading the months' period rows first."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thenchot.appraisal import inputs, rules
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.models import Evaluation, PackParameterSet
from thenchot.appraisal.testing import month_before, open_period, this_month, with_snv_head

BOARD = reverse("appraisal:board")
PACKS = ["decree-335-2025", "hanoi-monthly-2018", "decree-90-2020"]


def _version(pack_id: str, number: int, ratio: str) -> None:
    pack = rules.registry.get(pack_id)
    params = pack.defaults().to_dict()
    params["quota"]["ratio"] = ratio
    PackParameterSet.objects.create(pack=pack_id, number=number, params=params, reason="test")


def _same(found: tuple[object, int | None], expected: tuple[object, int | None]) -> bool:
    return found[1] == expected[1] and found[0].to_dict() == expected[0].to_dict()  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_packs_parameters_are_read_at_once_as_one_by_one():  # type: ignore[no-untyped-def]
    _version("decree-335-2025", 1, "0.25")
    _version("decree-335-2025", 2, "0.15")  # the newest wins
    _version("hanoi-monthly-2018", 1, "0.35")
    # decree-90-2020: no set, the pack's defaults and no number.
    with CaptureQueriesContext(connection) as read:
        found = inputs.current_params_of([*PACKS, "decree-335-2025"])
    assert len(read.captured_queries) == 1
    assert sorted(found) == sorted(PACKS)
    for pack_id in PACKS:
        assert _same(found[pack_id], inputs.current_params(pack_id)), pack_id
    assert found["decree-335-2025"][1] == 2
    assert found["decree-90-2020"][1] is None
    assert inputs.current_params_of([]) == {}


@pytest.mark.django_db
def test_one_pack_is_read_as_current_params_reads_it():  # type: ignore[no-untyped-def]
    _version("hanoi-monthly-2018", 1, "0.35")
    found = inputs.current_params_of(["hanoi-monthly-2018"])
    assert _same(found["hanoi-monthly-2018"], inputs.current_params("hanoi-monthly-2018"))


def test_a_boards_months_are_read_without_their_period_rows(client_for, world, monkeypatch):  # type: ignore[no-untyped-def]
    """The two months of a board of one page, split by the evaluations' period code: the same
    page as when they were read by the ids of their period rows (still read for a board of
    thousands, `board_evaluations`)."""
    with_snv_head(world)
    last = open_period(world, month_before(this_month()))
    Evaluation.objects.filter(period=last).update(final_level="good")
    period = open_period(world)
    client = client_for("son")
    url = BOARD + f"?unit=SNV&period={period.code}"
    page = client.get(url)
    assert page.status_code == 200

    def refused(codes: list[str]) -> dict[str, list[int]]:
        raise AssertionError(f"the period rows of {codes} were read")

    monkeypatch.setattr(vs, "_period_ids_of", refused)
    again = client.get(url)
    assert again.status_code == 200
    assert again.content.count(b'class="board-row') == page.content.count(b'class="board-row')
    assert again.content.count(b'class="board-row') > 0
    # Last month's levels counted over last month's people, this month's rows this month's.
    lasts = re.findall(rb'class="text-end level-last">(\d+)<', again.content)
    assert lasts == re.findall(rb'class="text-end level-last">(\d+)<', page.content)
    assert any(int(n) for n in lasts)
