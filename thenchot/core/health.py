"""/health/: what a load balancer or a monitor asks each instance (django-health-check).

The database and the cache are the library's checks; the broker (only with the Celery backend)
and the scheduler's heartbeat are ours. The heartbeat is written by every tick of a scheduler
(`core.jobs.due`): under Celery the tick is sent by beat and run by a worker, so a fresh one
means beat, the broker and a worker all work. Answers 200 when every check passes, 500 with the
failing check named otherwise (`?format=json` for machines).
"""

from __future__ import annotations

import dataclasses
import datetime
import time
from typing import Any

from django.conf import settings
from health_check.base import HealthCheck
from health_check.checks import Cache, Database
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from thenchot.core import jobs


@dataclasses.dataclass
class Scheduler(HealthCheck):
    """The last tick of any scheduler is younger than THENCHOT_SCHEDULER_MAX_AGE seconds."""

    max_age: int | None = None

    def run(self) -> None:
        max_age = settings.THENCHOT_SCHEDULER_MAX_AGE if self.max_age is None else self.max_age
        last = jobs.last_heartbeat()
        if last is None:
            raise ServiceUnavailable("no scheduler has ticked (start Celery beat and a worker)")
        age = time.time() - last
        if age > max_age:
            raise ServiceUnavailable(f"the scheduler last ticked {age:.0f} s ago (> {max_age} s)")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection."""

    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=3), repr=False
    )

    def run(self) -> None:
        from kombu import Connection

        seconds = self.timeout.total_seconds()
        try:
            with Connection(settings.CELERY_BROKER_URL, connect_timeout=seconds) as conn:
                conn.ensure_connection(max_retries=1, timeout=seconds)
        except Exception as exc:  # kombu raises the transport's own errors
            raise ServiceUnavailable(f"broker unreachable ({type(exc).__name__})") from exc


def checks() -> list[Any]:
    found: list[Any] = [Database, Cache]
    if settings.THENCHOT_JOBS_BACKEND == "celery":
        found.append(Broker)
    found.append(Scheduler)
    return found


class ThenChotHealthView(HealthCheckView):
    """The checks are chosen per request, from the settings of the moment (tests change them)."""

    def get_checks(self) -> Any:
        for check in checks():
            yield check()
