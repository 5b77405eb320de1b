"""What every module of the package shares: the refusal for a closed period, the day the
workflow runs on, and the shape of a refusal tied to a form field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from thenchot.core.errors import DomainError


class PeriodClosed(DomainError):
    default_message = gettext_lazy("The period is closed: its evaluations can no longer change.")
    code = "period_closed"
    status = 409


def today() -> dt.date:
    return timezone.localdate()


def _today() -> dt.date:
    """`services.today()` looked up when called, not bound at import: tests freeze the day by
    replacing the package's `today`, and every module of the package must see the same day."""
    from thenchot.appraisal import services

    return services.today()


def _refuse(message: Any, field_name: str | None = None) -> DomainError:
    if field_name:
        return DomainError(message, field_errors={field_name: [message]})
    return DomainError(message)
