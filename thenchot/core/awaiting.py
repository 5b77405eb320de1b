"""What awaits a person: each app registers a source that counts the things waiting for the
reader (a self-assessment to submit, rows to review, tasks falling due, reports to check), and
the home page lists every non-empty one as a link with its count.

A source must be cheap: a few counting queries whatever the number of records, since it runs on
every visit to the home page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.functional import Promise

from thenchot.core.registry import Registry


@dataclass(frozen=True)
class Awaiting:
    key: str  # "appraisal.review"
    label: str | Promise  # "Evaluations to review"
    count: int
    url: str  # the list of exactly these records
    urgent: bool = False  # overdue or due today: drawn in the warning colour


class AwaitingSource(Protocol):
    def __call__(self, *, scope: Any, user: Any, on: dt.date) -> Iterable[Awaiting]:
        """The reader's (`accounts.scoping.Scope`, `accounts.User`) waiting items on `on`."""
        ...


awaiting_sources: Registry[AwaitingSource] = Registry("awaiting sources")


def awaiting_for(*, scope: Any, user: Any, on: dt.date) -> list[Awaiting]:
    """Every non-empty waiting item of every registered source, in registry order."""
    return [
        item
        for _key, source in awaiting_sources.items()
        for item in source(scope=scope, user=user, on=on)
        if item.count > 0
    ]
