"""`staff_ids`: the ids the sections after `staff` write with, from the catalogue and the ids
the staff section wrote, without reading the codes back; the staff rows and plans released."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from thenchot.appraisal.models import Evaluation
from thenchot.core.interchange import ImportContext, Problems
from thenchot.discipline.interchange import staff_ids
from thenchot.exchange.services import import_file
from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db


def test_it_answers_from_the_catalogue_and_the_written_ids(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    ctx = ImportContext(as_of=dt.date(2026, 3, 1), scope=None, problems=Problems())
    ctx.shared["staff.catalogue"] = {
        "OLD": (7, "cadre"),  # known, not in the file's staff rows
        "BOTH": (8, "cadre"),  # known and in them
        "NEW": (None, "cadre"),  # created by them
    }
    ctx.shared["staff.written"] = {"BOTH": 8, "NEW": 12, "ROW-ONLY": 13}
    with django_assert_num_queries(0):
        ids = staff_ids(ctx)
    assert ids == {"OLD": 7, "BOTH": 8, "NEW": 12, "ROW-ONLY": 13}
    assert staff_ids(ctx) is ids


def test_later_sections_write_with_the_ids_of_new_and_known_staff(world) -> None:  # type: ignore[no-untyped-def]
    known = Staff.objects.select_related("unit").get(pk=world.staff["an"].pk)
    unit = known.unit.code
    document = {
        "format": "thenchot/1",
        "as_of": "2026-03-01",
        "staff": [
            {"code": "MOI-1", "full_name": "Lê Văn Mới", "category": "cadre", "unit": unit},
            {
                "code": known.code,
                "full_name": known.full_name,
                "category": known.category,
                "unit": unit,
                "position_title": "Chuyên viên chính",
            },
        ],
        "evaluations": [
            {"staff": code, "period": "2025-06", "general_points": 15, "task_points": 50}
            for code in ("MOI-1", known.code, world.staff["lan"].code)
        ],
    }
    result = import_file(data=json.dumps(document).encode(), filename="moi.json")
    assert result.ok, [str(p) for p in result.problems]
    for code in ("MOI-1", known.code, world.staff["lan"].code):
        staff = Staff.objects.get(code=code)
        assert Evaluation.objects.get(period_code="2025-06", staff=staff).staff_id == staff.pk
