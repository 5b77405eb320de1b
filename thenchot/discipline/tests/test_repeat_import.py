"""The `discipline` section and a decision running: a row lighter than a running decision on
another act (in the file or the database) is refused with its row and column, the whole file
is refused, and rows left as they are in the database are not re-judged."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thenchot.discipline.models import DisciplineDecision
from thenchot.discipline.tests.conftest import decision

pytestmark = pytest.mark.django_db

# P005 (An) is a civil servant: one level above a warning is a salary step-down before 2025-07.
WARNING = {
    "code": "KL-W",
    "staff": "P005",
    "form": "warning",
    "violation": "V1",
    "decided_on": "2023-03-01",
    "effective_on": "2023-03-05",  # window to 2024-03-04
}


def row(code: str, form: str, on: str, violation: str = "V2") -> dict[str, Any]:
    return {
        "code": code,
        "staff": "P005",
        "form": form,
        "violation": violation,
        "decided_on": on,
        "effective_on": on,
    }


def run(tmp_path, capsys, rows: list[dict[str, Any]]) -> str | None:  # type: ignore[no-untyped-def]
    """Import `rows`; the error output when refused, None when accepted."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "thenchot/1", "as_of": "2026-03-01", "discipline": rows}))
    capsys.readouterr()
    try:
        call_command("import_data", str(path), "--lang", "en")
    except CommandError:
        return capsys.readouterr().err
    return None


def test_it_refuses_the_whole_file_on_the_last_day_of_the_window(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    rows = [
        WARNING,
        row("KL-OK", "reprimand", "2022-06-01", "V0"),
        row("KL-2", "reprimand", "2024-03-04"),
    ]
    err = run(tmp_path, capsys, rows)
    assert err is not None and "discipline[2].form" in err
    assert "'KL-W'" in err and "2024-03-04" in err and "'salary_step_down' or heavier" in err
    assert "discipline[0]" not in err and "discipline[1]" not in err
    assert not DisciplineDecision.objects.exists()


def test_it_accepts_the_first_day_outside_the_window(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(tmp_path, capsys, [WARNING, row("KL-2", "reprimand", "2024-03-05")]) is None
    assert DisciplineDecision.objects.count() == 2


def test_it_does_not_count_the_same_act_as_new(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # A Party reprimand on the act of the running warning is no new violation.
    party = {**row("KL-P", "reprimand", "2023-06-01", violation="V1"), "track": "party"}
    assert run(tmp_path, capsys, [WARNING, party]) is None
    # It runs a window of its own, though, over a later act (to 2024-05-31).
    err = run(tmp_path, capsys, [WARNING, party, row("KL-2", "reprimand", "2024-05-31")])
    assert err is not None and "discipline[2].form" in err and "'KL-P'" in err
    assert DisciplineDecision.objects.count() == 2


def test_it_judges_a_row_against_a_decision_in_the_database(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    decision(
        world.staff["an"],
        "KL-DB",
        "warning",
        violation="V1",
        decided_on=dt.date(2023, 3, 1),
        effective_on=dt.date(2023, 3, 5),
    )
    err = run(tmp_path, capsys, [row("KL-2", "warning", "2023-09-01")])
    assert err is not None and "discipline[0].form" in err and "'KL-DB'" in err
    assert run(tmp_path, capsys, [row("KL-2", "salary_step_down", "2023-09-01")]) is None


def test_it_refuses_a_row_that_runs_over_a_later_decision(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    decision(
        world.staff["an"],
        "KL-LATER",
        "reprimand",
        violation="V2",
        decided_on=dt.date(2023, 6, 1),
        effective_on=dt.date(2023, 6, 1),
    )
    err = run(tmp_path, capsys, [WARNING])
    assert err is not None and "discipline[0].effective_on" in err and "'KL-LATER'" in err
    assert DisciplineDecision.objects.count() == 1


def test_it_judges_by_the_category_on_the_decision_date_table(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # After 2025-07-01 a civil servant has no salary step-down: above a warning comes dismissal.
    rows = [
        {**WARNING, "decided_on": "2025-07-01", "effective_on": "2025-07-01"},
        row("KL-2", "salary_step_down", "2025-09-01"),
    ]
    err = run(tmp_path, capsys, rows)
    assert err is not None and "discipline[1].form" in err
    rows[1] = row("KL-2", "forced_dismissal", "2025-09-01")
    assert run(tmp_path, capsys, rows) is None


def test_it_does_not_re_judge_rows_left_as_they_are(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    # History written before the rule was enforced: a reprimand inside a warning's window.
    decision(
        world.staff["an"],
        "KL-W",
        "warning",
        violation="V1",
        decided_on=dt.date(2023, 3, 1),
        effective_on=dt.date(2023, 3, 5),
    )
    decision(world.staff["an"], "KL-2", "reprimand", violation="V2", decided_on=dt.date(2023, 6, 1))
    same = [WARNING, row("KL-2", "reprimand", "2023-06-01")]
    assert run(tmp_path, capsys, same) is None
    # Changing a fact the rule depends on brings the row under it again.
    moved = [WARNING, row("KL-2", "reprimand", "2023-06-02")]
    err = run(tmp_path, capsys, moved)
    assert err is not None and "discipline[1].form" in err
    assert DisciplineDecision.objects.get(code="KL-2").decided_on == dt.date(2023, 6, 1)
