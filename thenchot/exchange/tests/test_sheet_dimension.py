"""A sheet is read by the rows it holds, not by the dimension it declares: a workbook whose
`<dimension ref="A1:D2"/>` lies about its seven rows has all seven read."""

from __future__ import annotations

import io
import re
import zipfile

from thenchot.exchange.tests.conftest import messages, run_import, xlsx_file
from thenchot.people.models import Staff

HEADER = ["code", "full_name", "category", "unit"]
GOOD = ["CB1", "Nguyễn Văn Mới", "civil_servant", "SNV"]


def _with_dimension(data: bytes, ref: str) -> bytes:
    """`data` with every worksheet's declared dimension replaced by `ref`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                content, found = re.subn(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content
                )
                assert found == 1
            target.writestr(info, content)
    return out.getvalue()


def test_it_reads_the_rows_beyond_a_lying_dimension(world) -> None:  # type: ignore[no-untyped-def]
    bad = [[f"CB{i}", "", "civil_servant", "SNV"] for i in range(2, 7)]
    data = _with_dimension(xlsx_file({"staff": [HEADER, GOOD, *bad]}), "A1:D2")
    result = run_import(data, filename="lying.xlsx")
    assert not result.ok
    assert messages(result) == [
        f"sheet staff, row {row}, column full_name: required field is missing"
        for row in range(3, 8)
    ]
    assert not Staff.objects.filter(code="CB1").exists()
    # The same rows under a true dimension: the same errors.
    data = _with_dimension(xlsx_file({"staff": [HEADER, GOOD, *bad]}), "A1:D7")
    assert len(messages(run_import(data, filename="true.xlsx"))) == 5


def test_it_reads_columns_beyond_a_lying_dimension(world) -> None:  # type: ignore[no-untyped-def]
    data = _with_dimension(xlsx_file({"staff": [HEADER, GOOD]}), "A1:B2")
    result = run_import(data, filename="narrow.xlsx")
    # category and unit lie in columns C and D, outside A1:B2: both are required.
    assert result.ok, messages(result)
    assert Staff.objects.get(code="CB1").category == "civil_servant"
