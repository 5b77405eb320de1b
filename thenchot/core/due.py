"""The contract between records with a due date and the reminder machinery (notifications).

An app with due dates (tasks, inspection recommendations, evaluation steps, discipline deadlines)
registers a `DueSource` in `core.registry.due_sources` from its `AppConfig.ready()`. The
notifications job asks every source, once a day, for the open items whose due date falls on one
of the reminder days or has passed, and sends what has not been sent yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class DueItem:
    """One open record with a due date, and who hears about it."""

    model_label: str  # "directives.task"
    object_id: int
    title: str  # shown in the inbox and the e-mail subject
    due_on: dt.date  # the effective due date (after approved extensions)
    url: str  # absolute path of the record's page
    recipients: tuple[int, ...]  # user ids reminded (assignee, head of the lead unit, ...)
    escalate_to: tuple[int, ...] = field(default=())  # user ids told when it stays overdue


def user_ids(values: Iterable[int | None]) -> tuple[int, ...]:
    """The distinct user ids among `values`, in order (a missing account left out)."""
    return tuple(sorted({v for v in values if v is not None}))


def item_title(code: str, text: str) -> str:
    """An item's title: the record's code and what it is about, cut to the inbox's length."""
    return f"{code} — {text}"[:300]


class DueSource(Protocol):
    #: key of the reminder policy (notifications.ReminderPolicy.key), e.g. "directives.task"
    policy_key: str

    def items(self, *, on: dt.date, due_dates: set[dt.date], overdue: bool) -> Iterable[DueItem]:
        """Open items whose due date is in `due_dates`, plus (if `overdue`) those due before
        `on`. Must be set-based: a fixed number of queries whatever the number of items."""
        ...
