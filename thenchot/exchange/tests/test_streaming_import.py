"""Issue 18: a file is read a chunk at a time (a city's file is never held whole), with the
same outcome and the same problems, in the same order, as when it was read whole; the import
tells how far it has gone, and the command line prints it with `--progress`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from thenchot.core import json_stream
from thenchot.exchange.progress import CHECK, READ, WRITE, Step
from thenchot.exchange.services import import_file
from thenchot.exchange.tests.conftest import json_file, messages
from thenchot.people.models import Staff

ROW = {"code": "CB9", "full_name": "Hoàng Thị Mai", "category": "civil_servant", "unit": "SNV"}


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@pytest.fixture
def small_chunks(monkeypatch):  # type: ignore[no-untyped-def]
    """Chunks of a few bytes, so that every record straddles several of them."""
    monkeypatch.setattr(json_stream, "CHUNK", 7)
    original = json_stream.text_chunks

    def chunks(data, size=7):  # type: ignore[no-untyped-def]
        return original(data, 7)

    monkeypatch.setattr(json_stream, "text_chunks", chunks)


def test_it_imports_a_file_read_a_chunk_at_a_time(world, small_chunks) -> None:  # type: ignore[no-untyped-def]
    rows = [dict(ROW, code=f"CB{i}", full_name=f"Người số {i}") for i in range(30)]
    result = import_file(data=io.BytesIO(json_file(staff=rows)), filename="staff.json")
    assert result.ok, messages(result)
    assert result.counts["staff"].created == 30
    assert Staff.objects.get(code="CB29").full_name == "Người số 29"


def test_it_lists_the_problems_in_the_order_of_a_whole_reading(world, small_chunks) -> None:  # type: ignore[no-untyped-def]
    # The format comes last in this file, yet is named first; the reading problems of every
    # section (in the file's order) come before the typing problems (in the sections' order).
    text = (
        '{"staff": [{"code": "CB1", "full_name": "A", "category": "boss", "unit": "SNV",'
        ' "nickname": "x"}],'
        ' "units": [{"code": "U1", "name": "B", "kind": "galaxy", "parent": "SNV", "colour": 1}],'
        ' "teams": [], "as_of": "2026-03-01", "format": "thenchot/9"}'
    )
    result = import_file(data=io.BytesIO(text.encode()), filename="bad.json")
    assert messages(result)[:6] == [
        "format: the format must be 'thenchot/1', got 'thenchot/9'",
        "staff[0].nickname: unknown field 'nickname'",
        "units[0].colour: unknown field 'colour'",
        "teams: unknown section 'teams'",
        "units[0].kind: 'galaxy' is not one of: city, department, district, commune, ward,"
        " division, public_service_unit, party_body, mass_organisation, other",
        "staff[0].category: 'boss' is not one of: cadre, civil_servant, public_employee,"
        " contract_worker",
    ]
    assert not Staff.objects.filter(code="CB1").exists()


def test_it_reports_a_syntax_error_where_json_loads_does(world, small_chunks) -> None:  # type: ignore[no-untyped-def]
    text = json.dumps({"format": "thenchot/1", "staff": [ROW, ROW]}, indent=2)
    text = text.replace('"SNV"', '"SNV" x', 1)  # in the first record, on its sixth line
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    result = import_file(data=io.BytesIO(text.encode()), filename="bad.json")
    error = expected.value
    assert messages(result) == [
        f"line {error.lineno}, column {error.colno}: the file is not valid JSON: {error.msg}"
    ]


def test_it_keeps_the_last_of_a_repeated_section_as_json_loads_does(world) -> None:  # type: ignore[no-untyped-def]
    first = json.dumps([dict(ROW, code="CB1")])
    last = json.dumps([dict(ROW, code="CB2")])
    text = f'{{"format": "thenchot/1", "staff": {first}, "staff": {last}}}'
    result = import_file(data=text.encode(), filename="twice.json")
    assert result.ok, messages(result)
    assert list(Staff.objects.filter(code__in=["CB1", "CB2"]).values_list("code", flat=True)) == [
        "CB2"
    ]


def test_it_says_how_far_it_has_gone(world) -> None:  # type: ignore[no-untyped-def]
    steps: list[Step] = []
    units = [{"code": "U1", "name": "Phòng mới", "kind": "division", "parent": "SNV"}]
    rows = [dict(ROW, code=f"CB{i}", unit="U1") for i in range(5)]
    result = import_file(
        data=json_file(units=units, staff=rows), filename="staff.json", progress=steps.append
    )
    assert result.ok, messages(result)
    phases = [(s.phase, s.section) for s in steps]
    assert phases[0] == (READ, "")
    assert (CHECK, "units") in phases and (CHECK, "staff") in phases
    assert phases.index((CHECK, "staff")) < phases.index((WRITE, "units"))
    assert steps[-1] == Step(WRITE, "staff", 5, 5, 1, 2)
    fractions = [s.fraction for s in steps]
    assert fractions == sorted(fractions), "the bar never goes back"
    assert fractions[-1] == 1.0
    assert steps[-1].line() == "Writing staff: 5 of 5 records"


def test_it_says_nothing_of_writing_when_the_file_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    steps: list[Step] = []
    result = import_file(
        data=json_file(staff=[dict(ROW, unit="NOWHERE")]),
        filename="bad.json",
        progress=steps.append,
    )
    assert not result.ok
    assert WRITE not in {s.phase for s in steps}


def test_the_command_prints_progress_lines_on_stderr_when_asked(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "staff.json"
    path.write_bytes(json_file(staff=[ROW]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", str(path), "--progress", "--lang", "en", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == ["staff: 1 created, 0 updated, 0 unchanged"]
    lines = err.getvalue().splitlines()
    assert "Reading the file: 0\xa0bytes of 159\xa0bytes" in lines[0]
    assert any(line.endswith("Checking staff: 1 records") for line in lines)
    assert lines[-1].endswith("Writing staff: 1 of 1 records")
    assert Staff.objects.filter(code="CB9").exists()
