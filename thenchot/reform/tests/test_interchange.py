"""`reform_criteria` and `reform_scores`: import, refusals at their place (nothing written),
the published year frozen, and the round trip through an empty database (JSON and XLSX)."""

from __future__ import annotations

import json

import pytest

from thenchot.exchange.services import export_data
from thenchot.exchange.tests.conftest import AS_OF, json_file, messages, run_import, sheet_values
from thenchot.reform.choices import RoundStatus
from thenchot.reform.models import Content, Criterion, Framework, Score
from thenchot.reform.testing import round_for

pytestmark = pytest.mark.django_db

CRITERIA = [
    {
        "year": 2026,
        "code": "1.1",
        "content": "I. Chỉ đạo",
        "name": "Kế hoạch",
        "max_points": 3,
        "method": "self",
    },
    {
        "year": 2026,
        "code": "1.2",
        "content": "I. Chỉ đạo",
        "name": "Đúng hạn",
        "max_points": 6.5,
        "method": "computed",
        "source": "on_time_task_rate",
    },
    {
        "year": 2026,
        "code": "7.1",
        "content": "VII. Số hóa",
        "name": "Chuyển đổi số",
        "max_points": 8,
        "method": "appraised",
    },
    {
        "year": 2026,
        "code": "7.1.a",
        "content": "VII. Số hóa",
        "name": "Dịch vụ công",
        "max_points": 4,
        "method": "appraised",
        "parent": "7.1",
    },
    {
        "year": 2026,
        "code": "9.1",
        "content": "IX. Điểm trừ",
        "name": "Vi phạm",
        "max_points": -3,
        "method": "appraised",
    },
]
SCORES = [
    {
        "year": 2026,
        "unit": "SNV",
        "criterion": "1.1",
        "self_points": 2.5,
        "appraised_points": 2,
        "council_points": 2.25,
        "evidence": "Kế hoạch số 5",
        "appraiser_unit": "STC",
    },
    {"year": 2026, "unit": "SNV", "criterion": "9.1", "self_points": -1},
    {"year": 2026, "unit": "STC", "criterion": "7.1.a", "self_points": 4},
]


def test_it_imports_both_sections(world):
    result = run_import(json_file(reform_criteria=CRITERIA, reform_scores=SCORES))
    assert result.ok, messages(result)
    assert Criterion.objects.get(code="7.1.a").parent.code == "7.1"
    assert list(Content.objects.order_by("position").values_list("name", flat=True)) == [
        "I. Chỉ đạo",
        "VII. Số hóa",
        "IX. Điểm trừ",
    ]
    s = Score.objects.get(unit=world.snv, criterion__code="1.1")
    assert (str(s.council_points), s.appraiser_unit) == ("2.25", world.stc)
    again = run_import(json_file(reform_criteria=CRITERIA, reform_scores=SCORES))
    assert again.counts["reform_scores"].unchanged == 3
    assert again.counts["reform_criteria"].unchanged == 5


def test_bad_rows_are_named_and_nothing_is_written(world):
    bad_criteria = [
        *CRITERIA,
        {"year": 2026, "code": "X", "content": "I", "name": "x", "max_points": 0, "method": "self"},
        {
            "year": 2026,
            "code": "Y",
            "content": "I",
            "name": "y",
            "max_points": 2,
            "method": "computed",
            "source": "satisfaction_index",
        },
        {
            "year": 2026,
            "code": "Z",
            "content": "I",
            "name": "z",
            "max_points": 2,
            "method": "self",
            "parent": "NOPE",
        },
    ]
    bad_scores = [
        {"year": 2026, "unit": "SNV", "criterion": "1.1", "self_points": 3.5},
        {"year": 2026, "unit": "SNV", "criterion": "9.1", "self_points": 1},
        {"year": 2026, "unit": "SNV-X", "criterion": "1.1"},
        {"year": 2026, "unit": "SNV", "criterion": "8.8"},
    ]
    result = run_import(json_file(reform_criteria=bad_criteria, reform_scores=bad_scores))
    text = "\n".join(messages(result))
    assert not result.ok
    assert "reform_criteria[5].max_points" in text
    assert "reform_criteria[6].source" in text and "satisfaction_index" in text
    assert "reform_criteria[7].parent" in text and "NOPE" in text
    assert "reform_scores[0].self_points" in text and "3.5" in text
    assert "reform_scores[1].self_points" in text
    assert "reform_scores[2].unit" in text and "SNV-X" in text
    assert "reform_scores[3].criterion" in text and "8.8" in text
    assert not Framework.objects.exists() and not Score.objects.exists()


def test_a_published_year_cannot_change_by_import(world):
    assert run_import(json_file(reform_criteria=CRITERIA, reform_scores=SCORES)).ok
    round_for(2026, RoundStatus.PUBLISHED)
    changed = [{**SCORES[0], "self_points": 3}]
    result = run_import(json_file(reform_scores=changed))
    assert not result.ok and "published" in "\n".join(messages(result))
    assert Score.objects.get(unit=world.snv, criterion__code="1.1").self_points == 2.5
    assert run_import(json_file(reform_scores=SCORES)).ok  # unchanged rows pass


def test_a_person_without_the_council_rights_may_not_import(world):
    from thenchot.accounts.scoping import compute_scope

    result = run_import(
        json_file(reform_criteria=CRITERIA),
        scope=compute_scope(world.user("minh")),
        actor=world.user("minh"),
    )
    assert not result.ok
    assert not Criterion.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_the_round_trip_through_an_empty_database(world, fmt):
    assert run_import(json_file(reform_criteria=CRITERIA, reform_scores=SCORES)).ok
    sections = ["reform_criteria", "reform_scores"]
    first = export_data(fmt=fmt, as_of=AS_OF, sections=sections)
    Score.objects.all().delete()
    Criterion.objects.filter(parent__isnull=False).delete()
    Criterion.objects.all().delete()
    Framework.objects.all().delete()
    result = run_import(first, filename=f"export.{fmt}")
    assert result.ok, messages(result)
    second = export_data(fmt=fmt, as_of=AS_OF, sections=sections)
    if fmt == "json":
        assert second == first
        doc = json.loads(first)
        assert [r["code"] for r in doc["reform_criteria"]] == ["1.1", "1.2", "7.1", "7.1.a", "9.1"]
        assert doc["reform_scores"][0]["council_points"] == 2.25
    else:
        assert sheet_values(second) == sheet_values(first)
