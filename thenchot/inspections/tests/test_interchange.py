"""The `inspections` interchange section: round trip, upsert, bad rows (all errors, nothing
written), and the nested findings and recommendations."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from thenchot.core.interchange import ImportContext, JsonPlace, Problems, Row
from thenchot.directives.testing import DocumentFactory
from thenchot.exchange.services import export_data, import_file
from thenchot.inspections.interchange import inspection_section
from thenchot.inspections.models import Finding, Inspection, Recommendation
from thenchot.inspections.testing import InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db
d = dt.date


def _file(records, as_of="2023-09-30"):
    return json.dumps({"format": "thenchot/1", "as_of": as_of, "inspections": records}).encode()


def _record(**kw):
    base = {
        "code": "KT-1",
        "kind": "planned",
        "conducted_by": "SNV-CC",
        "target_unit": "STC",
        "started_on": "2023-03-01",
    }
    return {**base, **kw}


def test_it_round_trips_byte_for_byte(world, tmp_path):
    order = DocumentFactory(code="TB-9", issuer=world.city)
    InspectionFactory(
        code="KT-A",
        conducted_by=world.snv_cc,
        target_unit=world.stc,
        started_on=d(2023, 3, 1),
        ended_on=d(2023, 3, 5),
        topics=["discipline", "petitions"],
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
    first = export_data(fmt="json", sections=["inspections"], as_of=d(2023, 9, 30))
    Inspection.objects.all().delete()
    result = import_file(data=first, filename="in.json")
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["inspections"].created == 2
    second = export_data(fmt="json", sections=["inspections"], as_of=d(2023, 9, 30))
    assert second == first
    again = import_file(data=second, filename="in.json")
    assert again.counts["inspections"].unchanged == 2


def test_it_imports_through_the_command_and_audits(world, tmp_path):
    path = tmp_path / "f.json"
    path.write_bytes(_file([_record(topics=["work_results"])]))
    call_command("import_data", str(path))
    inspection = Inspection.objects.get(code="KT-1")
    assert inspection.topics == ["work_results"]
    from thenchot.audit.models import AuditEntry

    assert AuditEntry.objects.filter(model_label="inspections.inspection", reason="f.json").exists()
    out = tmp_path / "out.json"
    call_command("export_data", str(out), "--sections", "inspections")
    assert json.loads(out.read_text())["inspections"][0]["code"] == "KT-1"


def test_it_accepts_a_historical_verification_without_its_order(world):
    result = import_file(data=_file([_record(kind="verification")]), filename="h.json")
    assert result.ok
    assert Inspection.objects.get().ordered_by is None


def test_it_reports_every_bad_row_and_writes_nothing(world, tmp_path):
    data = _file(
        [
            _record(code="KT-1", target_unit="NOPE"),
            _record(code="KT-2", ended_on="2023-02-01"),
            _record(code="KT-3", kind="weekly"),
            _record(code="KT-4", ordered_by="TB-404", kind="verification"),
            _record(code="KT-5", topics=["weather"]),
        ]
    )
    result = import_file(data=data, filename="bad.json")
    messages = [str(p) for p in result.problems]
    assert any(m.startswith("inspections[0].target_unit") and "NOPE" in m for m in messages)
    assert any(m.startswith("inspections[1].ended_on") for m in messages)
    assert any(m.startswith("inspections[2].kind") and "weekly" in m for m in messages)
    assert any(m.startswith("inspections[3].ordered_by") and "TB-404" in m for m in messages)
    assert any(m.startswith("inspections[4].topics") and "weather" in m for m in messages)
    assert not Inspection.objects.exists()
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        call_command("import_data", str(path))
    assert not Inspection.objects.exists()


def _plan(rows):
    ctx = ImportContext(as_of=d(2023, 9, 30), scope=None, problems=Problems())
    parsed = [Row(JsonPlace("inspections", i), dict(r), i) for i, r in enumerate(rows)]
    for row in parsed:
        row.data["started_on"] = dt.date.fromisoformat(row.data["started_on"])
    ctx.rows["inspections"] = parsed
    inspection_section.plan(ctx, parsed)
    return ctx


def test_it_plans_nested_findings_and_recommendations(world):
    ctx = _plan(
        [
            _record(
                findings=[{"text": "Đi muộn", "severity": "minor"}, {"text": "Thiếu sổ"}],
                recommendations=[
                    {
                        "code": "KN-1",
                        "text": "Chấn chỉnh",
                        "responsible_unit": "STC",
                        "due_on": "2023-06-30",
                        "done_on": "2023-06-01",
                    },
                ],
            )
        ]
    )
    assert not ctx.problems
    list(inspection_section.apply(ctx))
    assert list(Finding.objects.values_list("position", "text")) == [
        (1, "Đi muộn"),
        (2, "Thiếu sổ"),
    ]
    assert Recommendation.objects.get().done_on == d(2023, 6, 1)


def test_it_refuses_nested_errors_with_their_places(world):
    other = InspectionFactory(code="KT-OTHER", conducted_by=world.stc, target_unit=world.stc_ns)
    RecommendationFactory(code="KN-TAKEN", inspection=other)
    ctx = _plan(
        [
            _record(
                findings=[{"severity": "huge"}],
                recommendations=[
                    {
                        "code": "KN-1",
                        "text": "x",
                        "responsible_unit": "STC",
                        "due_on": "2023-02-01",
                    },
                    {
                        "code": "KN-1",
                        "text": "x",
                        "responsible_unit": "NOPE",
                        "due_on": "31/12/2023",
                    },
                    {
                        "code": "KN-TAKEN",
                        "text": "x",
                        "responsible_unit": "STC",
                        "due_on": "2023-06-01",
                    },
                ],
            )
        ]
    )
    messages = [str(p) for p in ctx.problems]
    for expected in (
        "inspections[0].findings[0].text",
        "inspections[0].findings[0].severity",
        "inspections[0].recommendations[0].due_on",
        "inspections[0].recommendations[1].code",
        "inspections[0].recommendations[1].responsible_unit",
        "inspections[0].recommendations[1].due_on",
        "inspections[0].recommendations[2].code",
    ):
        assert any(m.startswith(expected) for m in messages), (expected, messages)
