"""The editable table of holidays (core.calendar_table): Quân (administrator) changes it,
audited and versioned; Lan (personnel officer) and Hùng (city leadership) cannot; the calendar
every app reads follows it; the apps that count due dates hear which dates changed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.core import calendar_table
from thenchot.core.calendar_table import calendar, holiday_delete, holiday_save
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import OutOfScope
from thenchot.core.models import Holiday
from thenchot.core.registry import calendar_changed
from thenchot.exchange.services import export_data, import_file

SATURDAY = dt.date(2026, 3, 14)
MONDAY = dt.date(2026, 3, 16)


@pytest.fixture(autouse=True)
def _fresh_calendar() -> None:
    # Rolled-back tests can repeat the counter's value with another table behind it.
    calendar_table._cache = None


@pytest.fixture
def heard():  # type: ignore[no-untyped-def]
    """The dates `calendar_changed` receivers are told of, one set per call."""
    calls: list[frozenset[dt.date]] = []
    with calendar_changed.overridden({"test": calls.append}):
        yield calls


def _audit(holiday: Holiday) -> list[tuple[str, dict | None]]:
    from thenchot.core.auditing import history

    return [(e.action, e.after) for e in history(holiday)]  # type: ignore[attr-defined]


def test_it_lets_the_administrator_set_a_working_saturday(
    world, heard, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """(rules.md: working-days.table)"""
    assert not calendar().is_working_day(SATURDAY)
    with django_capture_on_commit_callbacks(execute=True):
        row = holiday_save(
            scope=compute_scope(world.user("quan")), day=SATURDAY, name="Làm bù", working=True
        )
    assert calendar().is_working_day(SATURDAY)
    assert calendar().add_working_days(dt.date(2026, 3, 13), 1) == SATURDAY
    assert heard == [frozenset({SATURDAY})]
    assert [action for action, _after in _audit(row)] == ["create"]


def test_it_versions_and_audits_a_change(world, heard, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    """(rules.md: working-days.table)"""
    quan = compute_scope(world.user("quan"))
    row = holiday_save(scope=quan, day=MONDAY, name="Nghỉ bù", working=False)
    with django_capture_on_commit_callbacks(execute=True):
        row = holiday_save(
            scope=quan, day=MONDAY, name="Làm việc", working=True, expected_version=1
        )
    assert row.version == 2
    assert calendar().is_working_day(MONDAY)
    assert heard == [frozenset({MONDAY})]
    assert [action for action, _after in _audit(row)] == ["update", "create"]
    with pytest.raises(ConcurrentUpdate):
        holiday_save(scope=quan, day=MONDAY, name="Cũ", working=False, expected_version=1)


def test_it_tells_nobody_when_only_the_name_changes(
    world, heard, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    quan = compute_scope(world.user("quan"))
    holiday_save(scope=quan, day=MONDAY, name="Nghỉ bù", working=False)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(scope=quan, day=MONDAY, name="Nghỉ bù Quốc khánh", working=False)
    assert heard == []
    assert calendar().explain(MONDAY).name == "Nghỉ bù Quốc khánh"


def test_it_gives_a_deleted_date_back_to_the_computed_calendar(
    world, heard, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """(rules.md: working-days.table)"""
    quan = compute_scope(world.user("quan"))
    row = holiday_save(scope=quan, day=SATURDAY, name="Làm bù", working=True)
    with django_capture_on_commit_callbacks(execute=True):
        holiday_delete(scope=quan, holiday=row, expected_version=1)
    assert not Holiday.objects.exists()
    assert not calendar().is_working_day(SATURDAY)
    assert heard == [frozenset({SATURDAY})]


@pytest.mark.parametrize("persona", ["lan", "hung"])
def test_it_refuses_anyone_but_a_city_wide_administrator(world, persona: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OutOfScope):
        holiday_save(
            scope=compute_scope(world.user(persona)), day=SATURDAY, name="Làm bù", working=True
        )
    assert not Holiday.objects.exists()


def test_it_keeps_other_receivers_when_one_fails(world, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    calls: list[frozenset[dt.date]] = []

    def broken(days: frozenset[dt.date]) -> None:
        raise RuntimeError("down")

    receivers = {"a": broken, "b": calls.append}
    with calendar_changed.overridden(receivers), django_capture_on_commit_callbacks(execute=True):
        holiday_save(scope=None, day=SATURDAY, name="Làm bù", working=True)
    assert calls == [frozenset({SATURDAY})]


def test_it_tells_nothing_of_a_rolled_back_change(world, heard) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        holiday_save(scope=None, day=SATURDAY, name="Làm bù", working=True)
        raise RuntimeError("rolled back")
    assert heard == []


# -- the `holidays` interchange section -------------------------------------------------------
def _file(rows: list[dict]) -> bytes:
    return json.dumps({"format": "thenchot/1", "as_of": "2026-01-01", "holidays": rows}).encode()


ROWS = [
    {"date": "2026-03-14", "name": "Làm bù", "working": True},
    {"date": "2026-03-16", "name": "Nghỉ bù"},
]


def test_it_imports_and_exports_the_table(world, heard, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    """Upsert by date, round trip, the calendar follows (rules.md: working-days.table)."""
    with django_capture_on_commit_callbacks(execute=True):
        result = import_file(data=_file(ROWS), filename="lich-2026.json")
    assert result.ok, result.problems
    assert result.counts["holidays"].as_dict() == {"created": 2, "updated": 0, "unchanged": 0}
    assert heard == [frozenset({SATURDAY, MONDAY})]
    cal = calendar()
    assert cal.is_working_day(SATURDAY) and not cal.is_working_day(MONDAY)
    exported = json.loads(export_data(fmt="json", sections=["holidays"]))["holidays"]
    assert exported == [
        {"date": "2026-03-14", "name": "Làm bù", "working": True},
        {"date": "2026-03-16", "name": "Nghỉ bù", "working": False},
    ]
    again = import_file(data=_file(exported), filename="lich-2026.json")
    assert again.counts["holidays"].as_dict() == {"created": 0, "updated": 0, "unchanged": 2}


def test_it_refuses_a_bad_file_whole(world, heard) -> None:  # type: ignore[no-untyped-def]
    """All or nothing, each error at its row and column (rules.md: working-days.table)."""
    rows = [
        *ROWS,
        {"date": "2026-03-14", "name": "Lại"},
        {"date": "14/03/2026", "name": "Sai"},
        {"date": "2026-03-21", "working": "yes"},
        {"date": "1990-01-02", "name": "Xưa"},
        {"date": "2026-03-28", "name": "X", "day_off": True},
    ]
    result = import_file(data=_file(rows), filename="sai.json")
    assert not result.ok
    assert sorted(str(p) for p in result.problems) == sorted(
        [
            "holidays[2].date: duplicate code '2026-03-14' (first at holidays[0])",
            "holidays[3].date: '14/03/2026' is not a date (YYYY-MM-DD)",
            "holidays[4].working: 'yes' is not a boolean (true or false)",
            "holidays[4].name: required field is missing",
            "holidays[5].date: '1990-01-02' is outside the calendar's years 1995–2200",
            "holidays[6].day_off: unknown field 'day_off'",
        ]
    )
    assert not Holiday.objects.exists()
    assert heard == []


def test_it_refuses_an_import_by_someone_not_administrator(world) -> None:  # type: ignore[no-untyped-def]
    result = import_file(
        data=_file(ROWS[:1]), filename="lich.json", scope=compute_scope(world.user("lan"))
    )
    assert [str(p) for p in result.problems] == [
        "holidays[0].date: only a city-wide administrator can change the table of holidays"
    ]
    assert not Holiday.objects.exists()
