"""`thenchot reopen_period --unit CODE --period P --decision REF [--decided-on YYYY-MM-DD]
--reason TEXT`: reopen a closed period of an agency by a recorded decision (audited). The
decision's date defaults to today; a future date, or one before the period's close, is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.appraisal import reopening
from thenchot.appraisal.models import EvaluationPeriod
from thenchot.core.cli import LocalizedCommand
from thenchot.core.context import acting
from thenchot.core.errors import DomainError


class Command(LocalizedCommand):
    help = "Reopen a closed evaluation period of an agency by a recorded decision."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="agency code")
        parser.add_argument("--period", required=True)
        parser.add_argument("--decision", required=True, help="the decision's number")
        parser.add_argument("--decided-on", help="the decision's date, YYYY-MM-DD (default: today)")
        parser.add_argument("--reason", required=True)
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        decided_on = _decided_on(options.get("decided_on"))
        period = EvaluationPeriod.objects.filter(
            agency__code=options["unit"], code=options["period"]
        ).first()
        if period is None:
            raise CommandError(
                _("No %(period)s period for %(unit)s.")
                % {"period": options["period"], "unit": options["unit"]}
            )
        try:
            with acting(source="command", reason=options["reason"]):
                reopening.reopen_period(
                    period=period,
                    decision=options["decision"],
                    decided_on=decided_on,
                    reason=options["reason"],
                )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(_("Reopened: %(period)s.") % {"period": period.code})


def _decided_on(value: str | None) -> dt.date:
    """The `--decided-on` date; today when not given. The service refuses a future date."""
    if not value:
        return timezone.localdate()
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(_("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": value}) from None
