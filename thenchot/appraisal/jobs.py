"""Scheduled job: open this month's evaluation period of every agency (hourly, idempotent)."""

from __future__ import annotations

import datetime as dt

from thenchot.core.jobs import job


@job("appraisal.open_periods", every_seconds=3600)
def open_periods(on: dt.date | str | None = None) -> dict[str, int]:
    """Open the month of `on` (default today) for every agency with people, creating the draft
    evaluations of newcomers; a second run the same month creates nothing."""
    from thenchot.appraisal.services import open_current_periods

    day = dt.date.fromisoformat(on) if isinstance(on, str) else on
    return {"created": open_current_periods(on=day)}
