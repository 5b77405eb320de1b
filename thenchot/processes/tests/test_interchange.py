"""The `processes` and `cases` sections: two versions of one code in one file, the services'
refusals at their place, all-or-nothing, and the round trip through an empty database.

The calendar is the fixed one of conftest (Tết 2025 off: 27–31 January)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from thenchot.exchange.services import export_data
from thenchot.exchange.tests.conftest import (
    AS_OF,
    json_file,
    messages,
    run_import,
    sheet_values,
    xlsx_file,
)
from thenchot.processes.models import Case, CaseStep, Process, ProcessStep

STEPS_V1 = [
    {"name": "Tiếp nhận", "responsible_unit": "STC-NS", "days": 3},
    {"name": "Phê duyệt", "days": 2, "responsible_role": "unit_head"},
]
STEPS_V2 = [{"name": "Tiếp nhận và phê duyệt", "days": 4}]


def _processes() -> list[dict]:
    return [
        {
            "code": "QT-01",
            "name": "Cấp phép",
            "level": "department",
            "owner_unit": "STC",
            "approved_on": "2025-01-02",
            "retired_on": "2025-03-01",
            "steps": STEPS_V1,
        },
        {
            "code": "QT-01",
            "version": 2,
            "name": "Cấp phép (sửa đổi)",
            "level": "department",
            "owner_unit": "STC",
            "approved_on": "2025-03-01",
            "steps": STEPS_V2,
        },
    ]


def _cases() -> list[dict]:
    return [
        # received under version 1 (in force on 20/1): due after 5 working days, Tết skipped
        {
            "code": "HS-1",
            "process": "QT-01",
            "received_on": "2025-01-20",
            "completed_on": "2025-02-05",
            "step_completions": ["2025-01-23", "2025-02-05"],
        },
        # received under version 2, open with no step done
        {"code": "HS-2", "process": "QT-01", "received_on": "2025-03-03"},
    ]


def test_it_imports_two_versions_of_one_code_and_their_cases(world) -> None:
    result = run_import(json_file(processes=_processes(), cases=_cases()))
    assert result.ok, messages(result)
    v1, v2 = Process.objects.filter(code="QT-01").order_by("number")
    assert (v1.total_days, v2.total_days) == (5, 4)
    assert v1.retired_on == dt.date(2025, 3, 1)
    assert ProcessStep.objects.get(process=v1, position=1).responsible_unit == world.stc_ns
    one, two = Case.objects.get(code="HS-1"), Case.objects.get(code="HS-2")
    assert (one.process_id, two.process_id) == (v1.pk, v2.pk)
    # 20/1 + 5 working days, Tết (27–31/1) not counted: 21, 22, 23, 24, 3/2
    assert one.due_on == dt.date(2025, 2, 3)
    assert one.current_position == 0 and one.unit == world.stc
    steps = list(CaseStep.objects.filter(case=one).order_by("position"))
    assert [s.completed_on for s in steps] == [dt.date(2025, 1, 23), dt.date(2025, 2, 5)]
    assert steps[1].started_on == dt.date(2025, 1, 23)
    assert two.current_position == 1 and two.due_on == dt.date(2025, 3, 7)


def test_it_refuses_a_repeated_code_and_version(world) -> None:
    twice = [*_processes(), {**_processes()[1]}]
    result = run_import(json_file(processes=twice))
    assert not result.ok
    assert "processes[2].code: duplicate code 'QT-01, 2' (first at processes[1])" in messages(
        result
    )
    assert not Process.objects.exists()


def test_it_refuses_the_services_refusals_at_their_place_and_writes_nothing(world) -> None:
    processes = _processes()
    processes[0]["steps"] = [{"name": "Tiếp nhận", "days": 0}, *STEPS_V1[1:]]
    processes[1] = {**processes[1], "code": "QT-02", "version": 1, "approved_on": "2025-04-01"}
    cases = [
        {"code": "HS-3", "process": "QT-02", "process_version": 1, "received_on": "2025-03-03"},
        {"code": "HS-4", "process": "QT-09", "received_on": "2025-03-03"},
        {
            "code": "HS-5",
            "process": "QT-01",
            "received_on": "2025-01-20",
            "step_completions": ["2025-01-10"],
        },
    ]
    result = run_import(json_file(processes=processes, cases=cases))
    got = messages(result)
    assert not result.ok
    assert any(m.startswith("processes[0].steps[0].days: Step 1: '0' is not a valid") for m in got)
    assert any(
        m.startswith("cases[0].received_on: '03/03/2025' is before procedure QT-02") for m in got
    )
    assert "cases[1].process: unknown procedure code 'QT-09'" in got
    assert any(
        m.startswith("cases[2].step_completions: '2025-01-10' is before the step") for m in got
    )
    assert not Process.objects.exists() and not Case.objects.exists()


def test_it_refuses_two_versions_in_force_on_one_day(world) -> None:
    processes = _processes()
    processes[0]["retired_on"] = None
    result = run_import(json_file(processes=processes))
    assert any(
        m.startswith("processes[0].retired_on: Version 1 of QT-01 is still in force on 2025-03-01")
        for m in messages(result)
    )


def test_it_keeps_the_steps_of_a_version_with_cases(world) -> None:
    assert run_import(json_file(processes=_processes(), cases=_cases())).ok
    processes = _processes()
    processes[1]["steps"] = [{"name": "Một bước", "days": 9}]
    result = run_import(json_file(processes=processes))
    assert any(
        "processes[1].steps: Cases were started on version 2 of QT-01" in m
        for m in messages(result)
    )


def test_it_reads_the_steps_sheet_of_two_versions(world) -> None:
    data = xlsx_file(
        {
            "processes": [
                ["code", "version", "name", "level", "owner_unit", "approved_on", "retired_on"],
                ["QT-01", None, "Cấp phép", "department", "STC", "2025-01-02", "2025-03-01"],
                ["QT-01", 2, "Cấp phép 2", "department", "STC", "2025-03-01", None],
            ],
            "steps": [
                ["process", "process_version", "name", "days"],
                ["QT-01", None, "Tiếp nhận", 3],
                ["QT-01", 1, "Phê duyệt", 2],
                ["QT-01", 2, "Một bước", 4],
                ["QT-01", 3, "Thừa", 1],
            ],
        }
    )
    result = run_import(data, filename="processes.xlsx")
    assert messages(result) == [
        "sheet steps, row 5, column process: 'QT-01, 3' is not a code of sheet 'processes'"
    ]


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_it_round_trips_processes_and_cases_through_an_empty_database(world, fmt) -> None:
    assert run_import(json_file(processes=_processes(), cases=_cases())).ok
    first = export_data(fmt=fmt, as_of=AS_OF, sections=["processes", "cases"])
    CaseStep.objects.all().delete()
    Case.objects.all().delete()
    Process.objects.all().delete()
    result = run_import(first, filename=f"export.{fmt}")
    assert result.ok, messages(result)
    assert result.counts["cases"].created == 2
    second = export_data(fmt=fmt, as_of=AS_OF, sections=["processes", "cases"])
    if fmt == "json":
        assert second == first
        doc = json.loads(first)
        assert [(p["code"], p["version"]) for p in doc["processes"]] == [("QT-01", 1), ("QT-01", 2)]
        assert doc["cases"][0]["step_completions"] == ["2025-01-23", "2025-02-05"]
    else:
        assert sheet_values(second) == sheet_values(first)
        assert list(sheet_values(first)["steps"][0][:2]) == ["process", "process_version"]
    again = run_import(second, filename=f"again.{fmt}")
    assert again.ok
    assert (again.counts["processes"].unchanged, again.counts["cases"].unchanged) == (2, 2)
