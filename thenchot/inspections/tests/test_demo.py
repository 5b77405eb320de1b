"""The demo inspections reproduce the published nine-month figures of 2023 from the records."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from thenchot.demo.generator import generate
from thenchot.inspections.demo import AGENCY_INSPECTIONS, load_demo_inspections
from thenchot.inspections.models import Inspection, Recommendation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def test_it_matches_the_2023_figures(tmp_path):
    generate(staff=30, seed=7)
    load_demo_inspections(seed=7, today=TODAY)
    out = tmp_path / "r.json"
    call_command(
        "report", "--unit", "HN", "--from", "2023-01-01", "--to", "2023-09-30", "--output", str(out)
    )
    block = json.loads(out.read_text())["inspections"]
    team = next(row for row in block["by_conductor"] if row["unit"] == "SNV-CCHC")
    assert team["by_kind"] == {"planned": 9, "surprise": 28, "verification": 3}
    assert block["total"] - team["total"] == AGENCY_INSPECTIONS > 990
    assert block["total"] > 1000
    planned = Inspection.objects.filter(
        conducted_by__code="SNV-CCHC", kind="planned", started_on__year=2023
    )
    assert planned.values("target_unit").distinct().count() == 9
    assert all(i.plan_item_id for i in planned)
    assert not Inspection.objects.filter(kind="verification", ordered_by__isnull=True).exists()
    # this year: open and overdue recommendations exist
    this_year = Recommendation.objects.filter(inspection__started_on__year=TODAY.year)
    assert this_year.filter(done_on__isnull=True, due_on__lt=TODAY).exists()
    assert this_year.filter(done_on__isnull=True, due_on__gte=TODAY).exists()
    load_demo_inspections(seed=7, today=TODAY)  # a second run adds nothing
    assert (
        Inspection.objects.filter(started_on__year=2023, started_on__month__lte=9).count()
        == block["total"]
    )
