"""The demo reproduces the published nine-month figures of 2023 from the records, and today's
due list shows people postponed, each for a reason taken from a record."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from thenchot.demo.generator import generate
from thenchot.discipline.demo import load_demo_discipline
from thenchot.discipline.models import DisciplineDecision
from thenchot.rotation.demo import load_demo_rotation, load_demo_rotation_history
from thenchot.rotation.models import Rotation
from thenchot.rotation.selectors import due_list

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def test_it_matches_the_2023_figures_and_postpones_people_today(tmp_path) -> None:  # type: ignore[no-untyped-def]
    generate(staff=1500, seed=7)
    load_demo_rotation_history(seed=7, today=TODAY)
    load_demo_discipline(seed=7, today=TODAY)
    load_demo_rotation(seed=7, today=TODAY)
    out = tmp_path / "r.json"
    call_command(
        "report", "--unit", "HN", "--from", "2023-01-01", "--to", "2023-09-30", "--output", str(out)
    )
    report = json.loads(out.read_text())
    assert report["discipline"]["people"] > 270
    assert report["discipline"]["decisions"] > report["discipline"]["people"]
    assert report["rotations"]["by_kind"] == {
        "between_divisions_same_specialty": 38,
        "between_fields_within_division": 11,
        "between_agencies": 0,
    }
    reasons = {
        r["reason"]
        for line in due_list(scope=None, unit_id=None, on=TODAY)
        if line.status == "postponed"
        for r in line.reasons
    }
    assert {"disciplinary_review", "long_study", "secondment", "serious_illness"} <= reasons
    counts = (DisciplineDecision.objects.count(), Rotation.objects.count())
    load_demo_discipline(seed=7, today=TODAY)
    load_demo_rotation(seed=7, today=TODAY)
    assert (DisciplineDecision.objects.count(), Rotation.objects.count()) == counts
