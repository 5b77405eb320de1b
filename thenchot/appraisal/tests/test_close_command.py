"""`thenchot close_period`: exit 0 when closed, exit 1 with the conflicts and the people named."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from thenchot.appraisal.testing import approved, evaluation_of, open_period, with_snv_head


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    period = open_period(world)
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")
    approved(evaluation_of(world, "lan"), general="30", tasks="65")
    approved(evaluation_of(world, "quan"), general="30", tasks="64")
    return period


def test_it_exits_1_listing_the_conflict(world, month, capsys):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        call_command("close_period", "--unit", "SNV", "--period", month.code, "--lang", "en")
    err = capsys.readouterr().err
    assert "Vũ Minh Quân" in err and "SNV / Non-leaders" in err
    month.refresh_from_db()
    assert month.status == "open"


def test_it_closes_by_score_then_changes_nothing(world, month, capsys):  # type: ignore[no-untyped-def]
    call_command(
        "close_period",
        "--unit",
        "SNV",
        "--period",
        month.code,
        "--resolve-quota",
        "by-score",
        "--lang",
        "en",
    )
    out = capsys.readouterr().out
    assert "2 moved down by the quota" in out  # 0 of 3 non-leaders allowed
    call_command("close_period", "--unit", "SNV", "--period", month.code, "--lang", "en")
    assert "already closed" in capsys.readouterr().out


def test_it_refuses_a_division_and_an_unknown_unit(world, month):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        call_command("close_period", "--unit", "SNV-TC", "--period", month.code)
    with pytest.raises(CommandError):
        call_command("close_period", "--unit", "NOPE", "--period", month.code)
