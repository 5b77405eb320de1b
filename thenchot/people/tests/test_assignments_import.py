"""The `assignments` section: a person's dated history imported as given, checked by the rules
of `people.rules`, every error at its row and column, nothing written on any error; and
`left_on`, the end of employment, through the services and the import alike."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.exchange.services import import_file
from thenchot.people import services
from thenchot.people.models import Assignment, Staff

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 1)
EPOCH = "2020-01-01"  # the world's joining day


def _run(**sections: Any) -> Any:
    data = {"format": "thenchot/1", "as_of": AS_OF.isoformat(), **sections}
    return import_file(data=json.dumps(data).encode(), filename="history.json")


def _history(code: str) -> list[tuple[str, dt.date | None, dt.date | None, str]]:
    return [
        (a.unit.code, a.valid_from, a.valid_to, a.reason)
        for a in Assignment.objects.filter(staff__code=code)
        .select_related("unit")
        .order_by("valid_from")
    ]


def test_it_imports_a_person_whose_unit_began_after_they_joined(world: Any) -> None:
    result = _run(
        units=[
            {
                "code": "Q-OLD",
                "name": "Quận cũ",
                "kind": "district",
                "parent": "HN",
                "valid_to": "2025-06-30",
                "successors": ["P-NEW"],
            },
            {
                "code": "P-NEW",
                "name": "Phường mới",
                "kind": "ward",
                "parent": "HN",
                "valid_from": "2025-07-01",
            },
        ],
        staff=[
            {
                "code": "CB-1",
                "full_name": "Lê Văn Cường",
                "category": "civil_servant",
                "unit": "P-NEW",
                "joined_on": "2016-08-01",
            }
        ],
        assignments=[
            {
                "staff": "CB-1",
                "from": "2016-08-01",
                "unit": "Q-OLD",
                "to": "2025-06-30",
                "reason": "appointment",
            },
            {"staff": "CB-1", "from": "2025-07-01", "unit": "P-NEW", "reason": "reorganisation"},
        ],
    )
    assert result.ok, [str(p) for p in result.problems]
    assert _history("CB-1") == [
        ("Q-OLD", dt.date(2016, 8, 1), dt.date(2025, 6, 30), "appointment"),
        ("P-NEW", dt.date(2025, 7, 1), None, "reorganisation"),
    ]


def test_it_reports_every_broken_history_at_its_row_and_writes_nothing(world: Any) -> None:
    before = list(Assignment.objects.values_list("id", "unit_id", "valid_from", "valid_to"))
    result = _run(
        assignments=[
            # P005 (an, SNV-TC): a gap
            {"staff": "P005", "from": EPOCH, "unit": "SNV-CC", "to": "2022-12-31"},
            {"staff": "P005", "from": "2023-01-05", "unit": "SNV-TC"},
            # P006 (binh, STC): an overlap, and the last unit is not staff.unit
            {"staff": "P006", "from": EPOCH, "unit": "STC", "to": "2024-06-30"},
            {"staff": "P006", "from": "2024-06-01", "unit": "STC-NS"},
            # unknown person and unit, a duplicate key
            {"staff": "NOBODY", "from": EPOCH, "unit": "STC"},
            {"staff": "P003", "from": EPOCH, "unit": "NOWHERE"},
            {"staff": "P003", "from": EPOCH, "unit": "STC"},
        ]
    )
    problems = [str(p) for p in result.problems]
    assert problems == [
        "assignments[4].staff: unknown staff code 'NOBODY'",
        "assignments[5].unit: unknown unit code 'NOWHERE'",
        "assignments[6].from: duplicate assignment of 'P003' from 2020-01-01"
        " (first at assignments[5])",
        "assignments[1].from: leaves a gap after the assignment ending on 2022-12-31",
        "assignments[3].from: overlaps the assignment from 2020-01-01",
        "assignments[3].unit: 'STC-NS' is not the person's unit on 2026-03-01 ('STC', staff.unit)",
    ]
    after = list(Assignment.objects.values_list("id", "unit_id", "valid_from", "valid_to"))
    assert after == before


def test_it_replaces_the_stored_history_and_changes_nothing_the_second_time(
    world: Any,
) -> None:
    rows = [
        {
            "staff": "P005",
            "from": EPOCH,
            "unit": "SNV-CC",
            "to": "2023-12-31",
            "reason": "appointment",
        },
        {"staff": "P005", "from": "2024-01-01", "unit": "SNV-TC", "reason": "transfer"},
    ]
    first = _run(assignments=rows)
    assert first.ok, [str(p) for p in first.problems]
    assert _history("P005") == [
        ("SNV-CC", dt.date(2020, 1, 1), dt.date(2023, 12, 31), "appointment"),
        ("SNV-TC", dt.date(2024, 1, 1), None, "transfer"),
    ]
    counts = first.counts["assignments"]
    assert (counts.created, counts.updated) == (1, 1)
    second = _run(assignments=rows)
    counts = second.counts["assignments"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 2)


def test_it_ends_the_last_assignment_on_left_on_on_a_page_and_in_a_file(world: Any) -> None:
    an = Staff.objects.get(code="P005")
    services.staff_update(
        scope=compute_scope(world.user("quan")),
        staff=an,
        expected_version=an.version,
        data={"left_on": dt.date(2025, 12, 31)},
    )
    assert _history("P005") == [("SNV-TC", dt.date(2020, 1, 1), dt.date(2025, 12, 31), "")]
    result = _run(
        staff=[
            {
                "code": "P006",
                "full_name": "Đỗ Thanh Bình",
                "category": "civil_servant",
                "unit": "STC",
                "left_on": "2025-12-31",
            }
        ]
    )
    assert result.ok, [str(p) for p in result.problems]
    assert _history("P006")[-1][2] == dt.date(2025, 12, 31)
    assert Staff.objects.get(code="P006").left_on == dt.date(2025, 12, 31)


def test_it_refuses_leaving_before_joining(world: Any) -> None:
    result = _run(
        staff=[
            {
                "code": "P006",
                "full_name": "Đỗ Thanh Bình",
                "category": "civil_servant",
                "unit": "STC",
                "left_on": "2019-12-31",
            }
        ]
    )
    assert [str(p) for p in result.problems] == [
        "staff[0].left_on: '2019-12-31' is before the joining day 2020-01-01"
    ]
