"""Issue 12, point 4, through the close: the command line (`--resolve-quota by-score`, `--move`),
the close screen's choice, and quota overrides as records of their own (service, interchange
section `quota_overrides`), used by the close and named in the trace (rules.md "Settled points"
1 and 14)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from thenchot.appraisal import closing, services
from thenchot.appraisal.choices import PeriodStatus
from thenchot.appraisal.models import Evaluation, QuotaOverride
from thenchot.appraisal.testing import (
    add_staff,
    approved,
    evaluation_of,
    open_period,
    with_snv_head,
)
from thenchot.appraisal.tests.confirming import confirmed_post
from thenchot.core.errors import DomainError
from thenchot.exchange.services import export_data, import_file

ACT = reverse("appraisal:close_act")


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    """SNV's month: Lan and Quân both at 92 (excellent), the others good; one must move."""
    with_snv_head(world)
    add_staff(world, 2)
    period = open_period(world)
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")
    approved(evaluation_of(world, "lan"), general="30", tasks="62")  # 92
    approved(evaluation_of(world, "quan"), general="28", tasks="64")  # 92
    return period


def _state(period):  # type: ignore[no-untyped-def]
    return sorted(
        Evaluation.objects.filter(period=period).values_list(
            "pk", "status", "final_level", "version", "quota_demoted"
        )
    )


def _close(month, *extra):  # type: ignore[no-untyped-def]
    call_command("close_period", "--unit", "SNV", "--period", month.code, "--lang", "en", *extra)


def test_it_refuses_a_tie_by_score_naming_both(world, month, capsys):  # type: ignore[no-untyped-def]
    """Settled point 1: two at 92, one must move: refused, both named with the score."""
    before = _state(month)
    with pytest.raises(CommandError, match="head names who moves"):
        _close(month, "--resolve-quota", "by-score")
    err = capsys.readouterr().err
    assert "Nguyễn Thị Lan" in err and "Vũ Minh Quân" in err and "score 92" in err
    assert _state(month) == before


def test_it_closes_when_move_names_one_of_the_tie(world, month, capsys):  # type: ignore[no-untyped-def]
    """Settled point 1: `--move` names who moves; the trace says "named by the head"."""
    quan = world.staff["quan"].code
    _close(month, "--resolve-quota", "by-score", "--move", quan)
    assert "1 moved down by the quota" in capsys.readouterr().out
    moved = evaluation_of(world, "quan")
    assert moved.final_level == "good" and moved.reasons[-1]["rule"] == "quota.named_by_head"
    assert evaluation_of(world, "lan").final_level == "excellent"
    month.refresh_from_db()
    assert month.status == PeriodStatus.CLOSED


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["an"], "not at the top level"),  # an outsider: good, not excellent
        (["lan", "quan"], "only 1 must move down"),  # too many
        (["NOBODY"], "unknown staff code"),
    ],
)
def test_it_refuses_a_move_that_does_not_fit(world, month, capsys, names, message):  # type: ignore[no-untyped-def]
    """Settled point 1: each named person in the group, exactly as many as needed; the refusal
    names the person and the number needed; nothing changes."""
    codes = ",".join(world.staff[n].code if n in world.staff else n for n in names)
    before = _state(month)
    with pytest.raises(CommandError):
        _close(month, "--resolve-quota", "by-score", "--move", codes)
    assert message in capsys.readouterr().err
    assert _state(month) == before


def test_it_refuses_too_few_named(world, month, capsys):  # type: ignore[no-untyped-def]
    """Settled point 1: three at 92 where two must move: naming one is refused, one more
    needed (the two others named as the tie)."""
    approved(evaluation_of(world, "an"), general="28", tasks="64")  # 92 too
    before = _state(month)
    with pytest.raises(CommandError):
        _close(month, "--resolve-quota", "by-score", "--move", world.staff["an"].code)
    err = capsys.readouterr().err
    assert "1 of them must move" in err and "Nguyễn Thị Lan" in err and "Vũ Minh Quân" in err
    assert _state(month) == before


def test_it_resolves_a_tie_on_the_close_screen(client_for, world, month):  # type: ignore[no-untyped-def]
    """Settled point 1: the close screen shows the tie with the people to choose from; the
    head's choice closes it."""
    client = client_for("son", lang="en")
    data = {"unit": "SNV", "period": month.code, "action": "close", "resolve_by_score": "on"}
    refused = client.post(ACT, data)
    html = refused.content.decode()
    assert refused.status_code == 409 and 'data-reason="tie"' in html
    assert "Nguyễn Thị Lan" in html and "Vũ Minh Quân" in html
    lan = evaluation_of(world, "lan")
    chosen = {"unit": "SNV", "period": month.code, "action": "choose", "selected": [lan.pk]}
    assert client.post(ACT, chosen).status_code == 302
    assert confirmed_post(client, ACT, data).status_code == 302
    lan.refresh_from_db()
    assert lan.final_level == "good" and lan.reasons[-1]["rule"] == "quota.named_by_head"
    assert evaluation_of(world, "quan").final_level == "excellent"


# -- overrides (Settled point 14) -------------------------------------------------------------------
def test_it_uses_an_override_and_names_its_decision(world, month):  # type: ignore[no-untyped-def]
    """Settled point 14: 40% of the headcount by decision: both at 92 stay excellent; the quota
    use names the decision."""
    services.quota_override_record(
        agency=world.snv,
        period=month.code,
        ratio=Decimal(40),
        base="headcount",
        decision_number="12/QĐ-UBND",
        decided_on=dt.date(2026, 1, 3),
    )
    result = closing.close_period(unit=world.snv, period=month.code)
    assert result.moved_by_quota == 0
    (use,) = [u for u in result.quota_use if u["group"] == "non_leaders"]
    assert (use["decision"], use["decided_on"], use["base_label"]) == (
        "12/QĐ-UBND",
        "03/01/2026",
        "the headcount",
    )


def test_it_names_the_decision_in_the_trace_of_who_moves(world, month):  # type: ignore[no-untyped-def]
    """Settled point 14: a 10% override moves both at 92 down (no tie: both move); each trace
    line names the decision and its date."""
    services.quota_override_record(
        agency=world.snv,
        period=month.code,
        group="non_leaders",
        ratio=Decimal(10),
        decision_number="7/QĐ-UBND",
        decided_on=dt.date(2026, 1, 3),
    )
    closing.close_period(unit=world.snv, period=month.code, resolve_quota="by-score")
    step = evaluation_of(world, "quan").reasons[-1]
    assert step["rule"] == "quota.excellent_share_decision"
    assert (step["params"]["decision"], step["params"]["decided_on"]) == (
        "7/QĐ-UBND",
        "03/01/2026",
    )


def test_it_refuses_an_override_without_a_decision(world, month):  # type: ignore[no-untyped-def]
    """Settled point 14: no decision number, no record."""
    with pytest.raises(DomainError) as info:
        services.quota_override_record(
            agency=world.snv,
            period=month.code,
            ratio=Decimal(40),
            decision_number=" ",
            decided_on=dt.date(2026, 1, 3),
        )
    assert "decision_number" in info.value.field_errors
    assert not QuotaOverride.objects.exists()


def _file(rows):  # type: ignore[no-untyped-def]
    return json.dumps(
        {"format": "thenchot/1", "as_of": "2026-11-01", "quota_overrides": rows}
    ).encode()


def test_it_imports_quota_overrides_refusing_a_missing_decision(world):  # type: ignore[no-untyped-def]
    """Settled point 14: the `quota_overrides` section: a row without its decision refused at
    its row and column; a good file round-trips."""
    bad = [
        {"agency": "SNV", "period": "2026-03", "ratio": 40, "base": "headcount"},
        {
            "agency": "SNV",
            "period": "2026-04",
            "ratio": 140,
            "decision_number": "1/QĐ",
            "decided_on": "2026-01-03",
        },
    ]
    result = import_file(data=_file(bad), filename="sai.json")
    text = "\n".join(str(p) for p in result.problems)
    assert not result.ok and not QuotaOverride.objects.exists()
    assert "quota_overrides[0].decision_number" in text
    assert "quota_overrides[0].decided_on" in text
    assert "quota_overrides[1].ratio" in text
    good = [
        {
            "agency": "SNV",
            "period": "2026-03",
            "ratio": 40,
            "base": "headcount",
            "decision_number": "12/QĐ-UBND",
            "decided_on": "2026-01-03",
        },
        {
            "agency": "SNV",
            "period": "2026-03",
            "group": "leaders",
            "ratio": 30,
            "decision_number": "13/QĐ-UBND",
            "decided_on": "2026-01-04",
            "reason": "x",
        },
    ]
    assert import_file(data=_file(good), filename="dung.json").ok
    assert QuotaOverride.objects.count() == 2
    first = export_data(fmt="json", sections=["quota_overrides"])
    again = import_file(data=first, filename="export.json")
    assert again.ok and again.counts["quota_overrides"].unchanged == 2
    assert export_data(fmt="json", sections=["quota_overrides"]) == first
