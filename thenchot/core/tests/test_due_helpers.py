"""The shared pieces of a due-date source: which rows a reminder run takes (`due_window`), who
hears (`user_ids`) and the item's title (`item_title`)."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.core.due import item_title, user_ids
from thenchot.core.due_window import due_window
from thenchot.org.models import Unit
from thenchot.org.testing import UnitFactory

ON = dt.date(2026, 5, 10)


def test_user_ids_are_distinct_sorted_and_leave_out_missing_accounts():
    assert user_ids([7, None, 3, 7]) == (3, 7)
    assert user_ids([]) == ()


def test_the_title_joins_code_and_text_and_is_cut_to_the_inbox_length():
    assert item_title("NV-1", "Báo cáo") == "NV-1 — Báo cáo"
    assert len(item_title("NV-1", "x" * 400)) == 300


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due_dates", "overdue", "expected"),
    [
        ({dt.date(2026, 5, 17)}, False, {"D17"}),
        ({dt.date(2026, 5, 17)}, True, {"D17", "D01"}),
        (set(), True, {"D01"}),
        (set(), False, set()),
    ],
)
def test_the_window_takes_the_reminder_days_and_if_asked_the_overdue(due_dates, overdue, expected):
    for code, day in [
        ("D01", dt.date(2026, 5, 1)),
        ("D17", dt.date(2026, 5, 17)),
        ("D20", dt.date(2026, 5, 20)),
    ]:
        UnitFactory.create(code=code, valid_to=day)
    window = due_window("valid_to", on=ON, due_dates=due_dates, overdue=overdue)
    found = set(Unit.objects.filter(window).values_list("code", flat=True))
    assert found == expected
