"""Helpers for the exchange tests: files in and out, and a stand-in base template."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

AS_OF = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _base_template(settings):  # type: ignore[no-untyped-def]
    # The UI engineer owns thenchot/templates/base.html; until it exists, pages render on a
    # stand-in so that these tests exercise the exchange views, not the layout.
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("base.html")
    except TemplateDoesNotExist:
        settings.TEMPLATES = [
            {
                **settings.TEMPLATES[0],
                "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"],
            }
        ]


def json_file(as_of: dt.date = AS_OF, **sections: Any) -> bytes:
    return json.dumps({"format": "thenchot/1", "as_of": as_of.isoformat(), **sections}).encode()


def run_import(data: bytes, filename: str = "test.json", **kwargs: Any) -> Any:
    from thenchot.exchange.services import import_file

    return import_file(data=data, filename=filename, **kwargs)


def messages(result: Any) -> list[str]:
    return [str(p) for p in result.problems]


def xlsx_file(sheets: dict[str, list[list[Any]]], as_of: dt.date | None = AS_OF) -> bytes:
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    wb = Workbook()
    wb.remove(wb.active)
    if as_of is not None:
        wb.custom_doc_props.append(StringProperty(name="as_of", value=as_of.isoformat()))
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet_values(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    out = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    return out
