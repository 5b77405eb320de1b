"""Nested lists in the engine: JSON lists of objects and XLSX item sheets whose first column
names the parent, parsed per item with their own places, written back in a stable order."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from thenchot.core.interchange import (
    DATE,
    DECIMAL,
    ENUM,
    NESTED,
    STR,
    ExportRequest,
    Field,
    Problems,
    Section,
    parse_section,
    parse_value,
)
from thenchot.core.registry import interchange_sections
from thenchot.exchange.readers import read_document
from thenchot.exchange.tests.conftest import AS_OF, sheet_values, xlsx_file
from thenchot.exchange.writers import dump_json, dump_xlsx, template_xlsx

STEPS = Field(
    "steps",
    NESTED,
    items=(
        Field("name", STR, required=True),
        Field("days", DECIMAL),
        Field("kind", ENUM, choices=("a", "b")),
        Field("due_on", DATE),
    ),
    parent_column="process",
)


class ProcessSection(Section):
    key = "processes"
    fields = (Field("code", STR, required=True), Field("name", STR), STEPS)

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        return []


@pytest.fixture(autouse=True)
def _only_processes():  # type: ignore[no-untyped-def]
    with (
        interchange_sections.overridden({"processes": ProcessSection()}),
        translation.override("en"),
    ):
        yield


def _parse(data: bytes, filename: str) -> tuple[list[Any], list[str]]:
    problems = Problems()
    document = read_document(data, filename, problems)
    rows: list[Any] = []
    if document is not None and "processes" in document.sections:
        rows = parse_section(
            ProcessSection(),
            document.sections["processes"],
            xlsx=document.kind == "xlsx",
            problems=problems,
        )
    return rows, [str(p) for p in problems]


def test_it_parses_json_items_with_their_places() -> None:
    records = [
        {"code": "QT-1", "steps": [{"name": "Tiếp nhận", "days": 1.5, "due_on": "2026-01-05"}]},
        {"code": "QT-2", "steps": "none"},
        {
            "code": "QT-3",
            "steps": [
                "x",
                {"name": "Thẩm định", "colour": "red", "days": "2", "kind": "c"},
                {"days": 1.125, "due_on": "05/01/2026"},
            ],
        },
        {"code": "QT-4", "steps": None},
        {"code": "QT-5"},
    ]
    data = json.dumps({"format": "thenchot/1", "processes": records}).encode()
    rows, errors = _parse(data, "p.json")
    assert errors == [
        "processes[1].steps: 'none' is not a list of records",
        "processes[2].steps[0]: a record must be an object",
        "processes[2].steps[1].colour: unknown field 'colour'",
        "processes[2].steps[1].days: '2' is not a number",
        "processes[2].steps[1].kind: 'c' is not one of: a, b",
        "processes[2].steps[2].days: '1.125' has more than 2 decimals",
        "processes[2].steps[2].due_on: '05/01/2026' is not a date (YYYY-MM-DD)",
        "processes[2].steps[2].name: required field is missing",
    ]
    step = rows[0].data["steps"][0]
    assert step.data == {
        "name": "Tiếp nhận",
        "days": Decimal("1.50"),
        "due_on": dt.date(2026, 1, 5),
    }
    assert step.at("days") == "processes[0].steps[0].days"
    assert rows[3].data["steps"] == [] and not rows[4].has("steps")


def test_it_attaches_the_rows_of_an_item_sheet_to_their_parents() -> None:
    data = xlsx_file(
        {
            "steps": [
                ["process", "name", "days"],
                ["QT-2", "Ký duyệt", 1],
                [None, None, None],
                ["QT-1", "Tiếp nhận", "0.5"],
                ["QT-2", "Trả kết quả", 2],
            ],
            "processes": [["code", "name"], ["QT-1", "Một"], ["QT-2", "Hai"], ["QT-3", "Ba"]],
        }
    )
    rows, errors = _parse(data, "p.xlsx")
    assert errors == []
    steps = {
        r.data["code"]: [(s.data["name"], s.data["days"]) for s in r.data["steps"]] for r in rows
    }
    assert steps == {
        "QT-1": [("Tiếp nhận", Decimal("0.50"))],
        "QT-2": [("Ký duyệt", Decimal("1.00")), ("Trả kết quả", Decimal("2.00"))],
        "QT-3": [],  # the sheet is there: QT-3's list is given, and empty
    }
    assert rows[1].data["steps"][1].at("name") == "sheet steps, row 5, column name"
    rows, errors = _parse(xlsx_file({"processes": [["code"], ["QT-1"]]}), "p.xlsx")
    assert errors == [] and not rows[0].has("steps")  # no sheet: the lists are left as they are


def test_it_reports_what_is_wrong_with_an_item_sheet() -> None:
    data = xlsx_file(
        {
            "processes": [["code", "steps"], ["QT-1", "x"]],
            "steps": [
                ["process", "name", "colour"],
                ["QT-1", "Một", "red"],
                ["QT-9", "Hai", None],
                [None, "Ba", None],
                ["QT-1", None, None],
            ],
        }
    )
    _rows, errors = _parse(data, "p.xlsx")
    assert errors == [
        "sheet processes, row 1, column steps: 'steps' is a list: its items go on the sheet"
        " 'steps'",
        "sheet steps, row 1, column colour: unknown field 'colour'",
        "sheet steps, row 4, column process: required field is missing",
        "sheet steps, row 3, column process: 'QT-9' is not a code of sheet 'processes'",
        "sheet steps, row 5, column name: required field is missing",
    ]
    _rows, errors = _parse(xlsx_file({"steps": [["code", "name"], ["QT-1", "x"]]}), "p.xlsx")
    assert errors == [
        "sheet steps, row 1, column code: the first column of sheet 'steps' must be 'process'"
    ]
    _rows, errors = _parse(xlsx_file({"steps": [["process", "name"], ["QT-1", "x"]]}), "p.xlsx")
    assert errors == [
        "sheet steps: the rows of sheet 'steps' belong to sheet 'processes', which is missing"
    ]


def test_it_writes_items_with_every_field_in_the_given_order() -> None:
    records = [
        {
            "code": "QT-1",
            "name": "Một",
            "steps": [{"name": "B", "days": 1.5, "due_on": "2026-01-05"}, {"name": "A"}],
        },
        {"code": "QT-2", "name": "Hai", "steps": []},
    ]
    section = ProcessSection()
    doc = json.loads(dump_json([(section, records)], as_of=AS_OF))
    assert doc["processes"][0]["steps"] == [
        {"days": 1.5, "due_on": "2026-01-05", "kind": None, "name": "B"},
        {"days": None, "due_on": None, "kind": None, "name": "A"},
    ]
    sheets = sheet_values(dump_xlsx([(section, records)], as_of=AS_OF))
    assert list(sheets) == ["processes", "steps", "_about"]
    assert sheets["processes"] == [("code", "name"), ("QT-1", "Một"), ("QT-2", "Hai")]
    assert [row + (None,) * (5 - len(row)) for row in sheets["steps"]] == [
        ("process", "name", "days", "kind", "due_on"),
        ("QT-1", "B", 1.5, None, dt.datetime(2026, 1, 5)),
        ("QT-1", "A", None, None, None),
    ]


def test_it_puts_item_sheets_in_the_template() -> None:
    sheets = sheet_values(template_xlsx([ProcessSection()]))
    assert sheets["processes"][0] == ("code", "name")
    assert sheets["steps"][0] == ("process", "name", "days", "kind", "due_on")
    assert ("steps", "process", "yes", "code") in [row[:4] for row in sheets["_help"]]


@pytest.mark.parametrize(
    ("value", "xlsx", "expected"),
    [
        (1, False, Decimal("1.00")),
        (0.25, False, Decimal("0.25")),
        (1.1, False, Decimal("1.10")),
        ("1.5", True, Decimal("1.50")),
        ("1.5", False, None),
        (True, False, None),
        (1.005, False, None),
        (float("nan"), False, None),
    ],
)
def test_it_reads_decimals_exactly(value, xlsx, expected) -> None:  # type: ignore[no-untyped-def]
    parsed, error = parse_value(Field("w", DECIMAL), value, xlsx=xlsx)
    assert parsed == expected
    assert (error is None) == (expected is not None)
