"""The `inspections` block of `thenchot report`, on a small hand-made data set."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from thenchot.inspections.testing import InspectionFactory, RecommendationFactory
from thenchot.org.models import UnitLink
from thenchot.org.testing import UnitFactory
from thenchot.org.tree import invalidate

pytestmark = pytest.mark.django_db
d = dt.date


def _report(tmp_path, unit, date_from="2023-01-01", date_to="2023-09-30", as_of=None):
    out = tmp_path / "r.json"
    args = ["report", "--unit", unit, "--from", date_from, "--to", date_to, "--output", str(out)]
    if as_of:
        args += ["--as-of", as_of]
    call_command(*args)
    return json.loads(out.read_text())


@pytest.fixture
def data(world):
    team = world.snv_cc  # the City's reform inspection team sits under SNV
    InspectionFactory(code="A", conducted_by=team, target_unit=world.stc, started_on=d(2023, 3, 1))
    InspectionFactory(
        code="B",
        kind="surprise",
        conducted_by=team,
        target_unit=world.ward,
        started_on=d(2023, 5, 2),
    )
    InspectionFactory(
        code="C",
        kind="verification",
        conducted_by=team,
        target_unit=world.stc_ns,
        started_on=d(2023, 9, 30),
    )
    InspectionFactory(
        code="D", conducted_by=world.stc, target_unit=world.stc_ns, started_on=d(2023, 6, 1)
    )
    InspectionFactory(
        code="OUT", conducted_by=world.stc, target_unit=world.stc_ns, started_on=d(2023, 10, 1)
    )  # after the range
    a = InspectionFactory(code="A")
    RecommendationFactory(code="R1", inspection=a, due_on=d(2023, 6, 30), done_on=d(2023, 6, 1))
    RecommendationFactory(code="R2", inspection=a, due_on=d(2023, 6, 30))  # overdue on 30/9
    RecommendationFactory(code="R3", inspection=a, due_on=d(2023, 12, 31))  # open
    RecommendationFactory(code="R4", inspection=a, due_on=d(2023, 6, 30), done_on=d(2023, 10, 5))
    return world


def test_it_counts_the_city(data, tmp_path):
    block = _report(tmp_path, "HN")["inspections"]
    assert block == {
        "total": 4,
        "by_kind": {"planned": 2, "surprise": 1, "verification": 1},
        "by_conductor": [
            {
                "unit": "SNV-CC",
                "total": 3,
                "by_kind": {"planned": 1, "surprise": 1, "verification": 1},
            },
            {
                "unit": "STC",
                "total": 1,
                "by_kind": {"planned": 1, "surprise": 0, "verification": 0},
            },
        ],
        "recommendations": {"total": 4, "done": 1, "overdue": 2},
    }


def test_it_scopes_by_the_target_unit_and_as_of(data, tmp_path):
    block = _report(tmp_path, "STC", as_of="2023-10-31")["inspections"]
    assert block["total"] == 3  # A, C, D: targets under STC
    assert block["recommendations"] == {"total": 4, "done": 2, "overdue": 1}
    assert _report(tmp_path, "SNV")["inspections"]["total"] == 0


def test_it_uses_the_tree_on_the_record_date(world, tmp_path):
    # A division that moved from STC to SNV on 2023-07-01: its spring inspection counts for STC.
    moved = UnitFactory(code="MOVED", kind="division", parent=world.stc)
    UnitLink.objects.filter(unit=moved).update(valid_to=d(2023, 6, 30))
    UnitLink.objects.create(unit=moved, parent=world.snv, valid_from=d(2023, 7, 1))
    invalidate()
    InspectionFactory(code="S", conducted_by=world.stc, target_unit=moved, started_on=d(2023, 4, 1))
    InspectionFactory(code="F", conducted_by=world.snv, target_unit=moved, started_on=d(2023, 8, 1))
    assert _report(tmp_path, "STC")["inspections"]["total"] == 1
    assert _report(tmp_path, "SNV")["inspections"]["total"] == 1


def test_it_is_omitted_without_inspections(world, tmp_path):
    assert "inspections" not in _report(tmp_path, "HN")


def test_it_writes_a_narrative(data):
    from thenchot.inspections.statistics import compute_block, narrative

    text = narrative(
        compute_block(
            unit=data.city, date_from=d(2023, 1, 1), date_to=d(2023, 9, 30), as_of=d(2023, 9, 30)
        )
    )
    assert "4" in text
