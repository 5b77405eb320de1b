"""What awaits the personnel office in discipline (the home page's to-do list): the cases still
under review in their units, which run against the legal time limits (rules.md, discipline)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thenchot.core.awaiting import Awaiting, awaiting_sources
from thenchot.discipline.choices import CaseStatus
from thenchot.discipline.selectors import cases_queryset, discipline_access


def awaiting(*, scope: Any, user: Any, on: dt.date) -> Iterator[Awaiting]:
    access = discipline_access(scope)
    if not access.everything and not access.units:
        return  # a person reads their own case; deciding it is not their task
    yield Awaiting(
        key="discipline.open_cases",
        label=_("Discipline cases under review"),
        count=cases_queryset(scope)
        .filter(status=CaseStatus.OPEN)
        .exclude(staff_id=access.own_staff_id or 0)
        .count(),
        url=reverse("discipline:list"),
    )


awaiting_sources.register("discipline", awaiting, order=60)
