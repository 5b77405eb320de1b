"""Sections with nested lists through the whole import and export: inspections with their
findings and recommendations round trip byte for byte (JSON) and cell for cell (XLSX), and an
item sheet's errors name the item sheet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from thenchot.audit.models import AuditEntry
from thenchot.directives.testing import DocumentFactory
from thenchot.exchange.services import export_data, import_file
from thenchot.exchange.tests.conftest import messages, sheet_values, xlsx_file
from thenchot.inspections.models import Finding, Inspection, Recommendation
from thenchot.inspections.testing import InspectionFactory, RecommendationFactory

AS_OF = dt.date(2023, 9, 30)
d = dt.date


def _inspections(world) -> None:  # type: ignore[no-untyped-def]
    order = DocumentFactory(code="TB-9", kind="notice", issuer=world.city)
    first = InspectionFactory(
        code="KT-A",
        conducted_by=world.snv_cc,
        target_unit=world.stc,
        started_on=d(2023, 3, 1),
        ended_on=d(2023, 3, 5),
        topics=["discipline", "petitions"],
    )
    Finding.objects.create(inspection=first, position=1, text="Đi muộn, về sớm", severity="minor")
    Finding.objects.create(inspection=first, position=2, text="Thiếu sổ theo dõi hồ sơ")
    RecommendationFactory(code="KN-2", inspection=first, due_on=d(2023, 6, 30))
    RecommendationFactory(
        code="KN-1", inspection=first, due_on=d(2023, 4, 30), done_on=d(2023, 4, 20)
    )
    InspectionFactory(
        code="KT-B",
        kind="verification",
        ordered_by=order,
        conducted_by=world.snv_cc,
        target_unit=world.ward,
        started_on=d(2023, 5, 1),
        topics=[],
    )


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_it_round_trips_inspections_with_their_nested_lists(world, fmt) -> None:  # type: ignore[no-untyped-def]
    _inspections(world)
    sections = ["documents", "inspections"]
    first = export_data(fmt=fmt, sections=sections, as_of=AS_OF)
    Recommendation.objects.all().delete()
    Finding.objects.all().delete()
    Inspection.objects.all().delete()
    result = import_file(data=first, filename=f"in.{fmt}")
    assert result.ok, messages(result)
    assert result.counts["inspections"].created == 2
    assert list(Finding.objects.order_by("position").values_list("position", "severity")) == [
        (1, "minor"),
        (2, ""),
    ]
    second = export_data(fmt=fmt, sections=sections, as_of=AS_OF)
    if fmt == "json":
        assert second == first
    else:
        sheets = sheet_values(second)
        assert sheets == sheet_values(first)
        assert list(sheets)[:4] == ["documents", "inspections", "findings", "recommendations"]
        assert [r[:2] for r in sheets["recommendations"]] == [
            ("inspection", "code"),
            ("KT-A", "KN-1"),
            ("KT-A", "KN-2"),
        ]
    audit = AuditEntry.objects.count()
    again = import_file(data=second, filename=f"again.{fmt}")
    assert again.counts["inspections"].unchanged == 2
    assert AuditEntry.objects.count() == audit


def test_it_names_the_item_sheet_in_errors(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_file(
        {
            "inspections": [
                ["code", "kind", "conducted_by", "target_unit", "started_on"],
                ["KT-1", "planned", "SNV-CC", "STC", d(2023, 3, 1)],
            ],
            "findings": [["inspection", "text", "severity"], ["KT-1", "Đi muộn", "huge"]],
            "recommendations": [
                ["inspection", "code", "text", "responsible_unit", "due_on"],
                ["KT-1", "KN-1", "Chấn chỉnh", "NOPE", d(2023, 2, 1)],
                ["KT-2", "KN-2", "Chấn chỉnh", "STC", d(2023, 5, 1)],
            ],
        }
    )
    with translation.override("en"):
        result = import_file(data=data, filename="bad.xlsx")
    assert messages(result) == [
        "sheet recommendations, row 3, column inspection: 'KT-2' is not a code of sheet"
        " 'inspections'",
        "sheet findings, row 2, column severity: 'huge' is not one of: minor, moderate, serious",
        "sheet recommendations, row 2, column responsible_unit: unknown unit code 'NOPE'",
        "sheet recommendations, row 2, column due_on: '2023-02-01' is before the inspection"
        " started (2023-03-01)",
    ]
    assert not Inspection.objects.exists()
