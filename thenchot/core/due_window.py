"""The query half of the due-date contract (`core.due`, which stays free of Django): which rows
a `DueSource` returns for a reminder run."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q


def due_window(field: str, *, on: dt.date, due_dates: set[dt.date], overdue: bool) -> Q:
    """Rows whose date at `field` is one of the reminder days, plus (if `overdue`) those due
    before `on`."""
    when = Q(**{f"{field}__in": sorted(due_dates)}) if due_dates else Q(pk__in=[])
    if overdue:
        when |= Q(**{f"{field}__lt": on})
    return when
