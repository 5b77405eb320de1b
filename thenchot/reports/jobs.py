"""Background work of the reports: a report asked for on the page, the monthly reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from thenchot.core.jobs import enqueue, job
from thenchot.reports import monthly, services

MONTHLY_JOB = "reports.monthly"


@job(services.BUILD_JOB)
def build_run(*, run_id: int) -> dict[str, Any]:
    return {"run": run_id, "status": services.build_run(run_id=run_id)}


@job(MONTHLY_JOB, every_seconds=3600)
def send_monthly(
    month: str | None = None, today: str | None = None, chain: bool = True
) -> dict[str, Any]:
    """Hourly: the previous month's reports not sent yet, a batch at a time (the next batch
    enqueued while some remain). Sending twice is impossible: see `reports.monthly`."""
    done = monthly.send_monthly_reports(
        month=dt.date.fromisoformat(month) if month else None,
        today=dt.date.fromisoformat(today) if today else None,
    )
    if done.sent and done.remaining and chain:
        enqueue(MONTHLY_JOB, month=done.month.isoformat())
    return {
        "month": done.month.isoformat(),
        "units": done.units,
        "sent": done.sent,
        "remaining": done.remaining,
    }
