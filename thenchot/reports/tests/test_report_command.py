"""`thenchot report`: the blocks come from the registry; unknown blocks are omitted, not zeroed."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from thenchot.core.registry import report_blocks
from thenchot.core.reporting import ReportBlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample_block():
    calls = []

    def compute(*, unit, date_from, date_to, as_of):
        calls.append((unit.code, date_from, date_to, as_of))
        return {"total": 3}

    block = ReportBlock(
        key="zz_sample",
        title="Sample",
        compute=compute,
        has_data=lambda: True,
        narrative=lambda d: f"{d['total']} items",
    )
    report_blocks.register("zz_sample", block, order=999)
    yield calls
    report_blocks.unregister("zz_sample")


def test_it_prints_the_header_and_registered_blocks(world, sample_block, capsys):
    call_command(
        "report", "--unit", "SNV", "--from", "2023-01-01", "--to", "2023-09-30", "--format", "json"
    )
    data = json.loads(capsys.readouterr().out)
    assert data["unit"] == "SNV"
    assert (data["from"], data["to"], data["as_of"]) == ("2023-01-01", "2023-09-30", "2023-09-30")
    assert data["zz_sample"] == {"total": 3}
    assert sample_block[0][0] == "SNV"


def test_it_omits_blocks_without_records(world, capsys):
    block = ReportBlock(
        key="zz_empty", title="Empty", compute=lambda **kw: {"total": 0}, has_data=lambda: False
    )
    report_blocks.register("zz_empty", block)
    try:
        call_command("report", "--unit", "HN", "--from", "2023-01-01", "--to", "2023-12-31")
        assert "zz_empty" not in json.loads(capsys.readouterr().out)
    finally:
        report_blocks.unregister("zz_empty")


def test_it_refuses_an_unknown_unit_and_bad_dates(world):
    with pytest.raises(CommandError, match="NOPE"):
        call_command(
            "report", "--unit", "NOPE", "--from", "2023-01-01", "--to", "2023-12-31", "--lang", "en"
        )
    with pytest.raises(CommandError, match="2023-13-01"):
        call_command(
            "report", "--unit", "HN", "--from", "2023-13-01", "--to", "2023-12-31", "--lang", "en"
        )


def test_it_writes_xlsx(world, sample_block, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    call_command(
        "report",
        "--unit",
        "HN",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
        "--format",
        "xlsx",
        "--output",
        str(out),
    )
    wb = load_workbook(out)
    # A block the reports do not know: its own title, its figure named readably, not raw.
    assert "Sample" in wb.sheetnames
    values = [
        tuple(v for v in row if v is not None) for row in wb["Sample"].iter_rows(values_only=True)
    ]
    assert any(row[-1:] == (3,) and row[0] not in ("total", "zz_sample") for row in values)
    assert wb["Sample"].freeze_panes == "A3"


def test_it_writes_a_pdf_when_weasyprint_is_available(world, sample_block, tmp_path):
    pytest.importorskip("weasyprint", reason="WeasyPrint/Pango not installed")
    out = tmp_path / "r.pdf"
    call_command(
        "report",
        "--unit",
        "HN",
        "--from",
        "2023-01-01",
        "--to",
        "2023-12-31",
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    assert out.read_bytes().startswith(b"%PDF")
