"""The `discipline` section applies the rule of the pages: the form must fit the category and the
post on `decided_on` (a dated headship — the database's or one the file's `staff` rows open —
else the `is_leader` flag), nothing for a contract worker; the refusal is the service's, at
the row and column, and the whole file is refused.

Personas as in `test_forms_by_post`: An (P005) civil servant, not a leader; Hoa (P004) head of
SNV-TC; Mai (VC01) public employee, not a manager; Phó (PP01) deputy head of SNV-CC in 2024
only, flag off; Tú (LD01) contract worker."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thenchot.core.errors import DomainError
from thenchot.discipline import services
from thenchot.discipline.models import DisciplineDecision
from thenchot.discipline.tests.conftest import decision

pytestmark = pytest.mark.django_db


def row(code: str, staff: str, form: str, on: str, violation: str = "") -> dict[str, Any]:
    return {
        "code": code,
        "staff": staff,
        "form": form,
        "violation": violation or code,
        "decided_on": on,
        "effective_on": on,
    }


def run(tmp_path, capsys, rows: list[dict[str, Any]], **sections: Any) -> str | None:  # type: ignore[no-untyped-def]
    """Import `rows` (and other sections); the error output when refused, None when accepted."""
    path = tmp_path / "in.json"
    body = {"format": "thenchot/1", "as_of": "2026-03-01", **sections, "discipline": rows}
    path.write_text(json.dumps(body))
    capsys.readouterr()
    try:
        call_command("import_data", str(path), "--lang", "en")
    except CommandError:
        return capsys.readouterr().err
    return None


def test_it_refuses_the_issues_rows_at_their_row_and_column_and_writes_nothing(  # type: ignore[no-untyped-def]
    people, tmp_path, capsys
) -> None:
    """rules.md "Discipline" table (leader and non-leader rows), Settled points 12 and 13."""
    rows = [
        row("K0", "P005", "demotion", "2024-08-01"),
        row("K1", "P005", "removal_from_post", "2024-08-01"),
        row("K2", "VC01", "removal_from_post", "2024-08-01"),
        row("K3", "P004", "salary_step_down", "2024-08-01"),
        row("K4", "LD01", "reprimand", "2025-08-01"),
        row("K5", "P005", "warning", "2024-08-01"),  # lawful, refused with the file
    ]
    err = run(tmp_path, capsys, rows) or ""
    assert (
        "discipline[0].form: Demotion (giáng chức) cannot be imposed on Nguyễn Văn An (P005)" in err
    )
    assert "discipline[1].form: Removal from post (cách chức) cannot be imposed on" in err
    assert (
        "discipline[2].form: Removal from post (cách chức) cannot be imposed on Trần Thị Mai" in err
    )
    assert (
        "discipline[3].form: Salary step-down (hạ bậc lương) cannot be imposed on Phạm Thị" in err
    )
    assert "discipline[4].form: Hoàng Văn Tú (LD01) is a contract worker" in err
    assert "discipline[5]" not in err
    assert not DisciplineDecision.objects.exists()


def test_it_gives_the_services_refusal_word_for_word(people, tmp_path, capsys, scope_of) -> None:  # type: ignore[no-untyped-def]
    """One rule path: the import and the pages/API refuse with the same message (rules.md
    "Discipline" table, Settled point 13)."""
    with pytest.raises(DomainError) as exc:
        services.decision_record(
            scope=scope_of("lan"),
            staff=people["pho"],
            form="salary_step_down",
            decided_on=dt.date(2024, 8, 1),
            effective_on=dt.date(2024, 8, 1),
        )
    err = run(tmp_path, capsys, [row("K0", "PP01", "salary_step_down", "2024-08-01")]) or ""
    assert f"discipline[0].form: {exc.value.message}" in err


def test_it_takes_the_post_from_the_dated_deputy_headship(people, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """Settled point 13: leader while the deputy headship runs, the flag (off) outside it."""
    assert run(tmp_path, capsys, [row("K0", "PP01", "demotion", "2024-08-01")]) is None
    err = run(tmp_path, capsys, [row("K1", "PP01", "demotion", "2023-08-01")]) or ""
    assert "discipline[0].form" in err and "not a leader or manager" in err


def test_it_takes_the_post_from_a_headship_the_files_staff_row_opens(  # type: ignore[no-untyped-def]
    world, tmp_path, capsys
) -> None:
    """Settled point 13 for a person the same file creates as head since 2024-01-01."""
    staff = [
        {
            "code": "TP01",
            "full_name": "Lý Văn Trưởng",
            "category": "civil_servant",
            "unit": "SNV-CC",
            "is_head": True,
            "in_position_since": "2024-01-01",
        }
    ]
    err = run(tmp_path, capsys, [row("K0", "TP01", "demotion", "2023-08-01")], staff=staff) or ""
    assert "discipline[0].form" in err and "Lý Văn Trưởng (TP01)" in err
    assert run(tmp_path, capsys, [row("K1", "TP01", "demotion", "2024-08-01")], staff=staff) is None


def test_it_raises_the_minimum_in_the_row_of_the_post_on_the_date(people, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    """rules.md "Discipline", Procedure: one level heavier than a running warning is demotion
    for a deputy (not the non-leader row's salary step-down)."""
    decision(people["pho"], "W1", "warning", violation="V1", decided_on=dt.date(2024, 2, 1))
    err = run(tmp_path, capsys, [row("K0", "PP01", "reprimand", "2024-08-01", "V2")]) or ""
    assert "discipline[0].form" in err and "'demotion' or heavier" in err
