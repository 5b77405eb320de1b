"""The working-days helper's endpoint: a deadline given in working days becomes a date on the
city's calendar (table included), the days off it skipped named; the deadline stays a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thenchot.core import calendar_table
from thenchot.core.calendar_table import holiday_save
from thenchot.core.calendar_widget import WorkingDaysDateInput

URL = "/api/v1/calendar/working-days/"


@pytest.fixture(autouse=True)
def _fresh_calendar() -> None:
    calendar_table._cache = None


def test_it_turns_working_days_into_a_date_over_tet(api_for) -> None:  # type: ignore[no-untyped-def]
    """An (a task assigned on Thursday 12/2/2026) is given 2 working days: Monday 23/2, after
    the nine days of Tết (rules.md: settled.8, working-days.count)."""
    assert reverse("calendar-working-days") == URL
    response = api_for("an").get(URL, {"from": "2026-02-12", "days": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2026-02-23"
    assert [day["date"] for day in body["skipped"]] == [
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
    ]
    assert body["skipped"][1]["name"] == "Tết Nguyên Đán"


def test_it_counts_the_tables_working_saturday(world, api_for) -> None:  # type: ignore[no-untyped-def]
    """(rules.md: working-days.table)"""
    holiday_save(scope=None, day=dt.date(2026, 3, 14), name="Làm bù", working=True)
    response = api_for("an").get(URL, {"from": "2026-03-13", "days": 1})
    assert response.json()["date"] == "2026-03-14"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "13/03/2026", "days": 1}, "from"),
        ({"from": "2026-03-13", "days": -1}, "days"),
        ({"days": 1}, "from"),
        ({"from": "1990-01-01", "days": 1}, "from"),
    ],
)
def test_it_refuses_a_bad_query(api_for, query: dict, field: str) -> None:  # type: ignore[no-untyped-def]
    response = api_for("an").get(URL, query)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_it_refuses_an_anonymous_caller(client, db) -> None:  # type: ignore[no-untyped-def]
    assert client.get(URL, {"from": "2026-03-13", "days": 1}).status_code in (401, 403)


def test_it_renders_the_helper_beside_a_date_input(db) -> None:  # type: ignore[no-untyped-def]
    """The deadline input stays a date input; the helper only fills it (rules.md: settled.8)."""
    html = WorkingDaysDateInput(from_field="assigned_on").render(
        "deadline", None, {"id": "id_deadline"}
    )
    assert 'type="date"' in html and 'name="deadline"' in html
    assert f'data-url="{URL}"' in html and 'data-from="id_assigned_on"' in html
    assert "data-working-days-count" in html
