"""`thenchot rate_agency --unit CODE --period YYYY --general N --results N [--as USERNAME]
[--lang en|vi]`.

An agency's own rating for a year under Decree 335/2025 (rules.md: "Agencies themselves are
rated"): prints the score, the level and the reasons; the tasks are counted from the records.
Exit 1 with the reason when refused (a division, points out of range, a year not begun).
Run as the administrator unless `--as` names the user who rates.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from thenchot.appraisal import selectors, services
from thenchot.appraisal.choices import Level
from thenchot.core.cli import LocalizedCommand, acting_user, year_option
from thenchot.core.context import acting
from thenchot.core.errors import DomainError
from thenchot.org.models import Unit


class Command(LocalizedCommand):
    help = "Rate an agency itself for a year (Decree 335/2025)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="the agency's code")
        parser.add_argument("--period", required=True, help="the year, YYYY")
        parser.add_argument("--general", required=True, help="general points, 0-30")
        parser.add_argument("--results", required=True, help="result points, 0-70")
        parser.add_argument("--as", dest="username", help="the user who rates (default: admin)")
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("unknown unit code '%(value)s'") % {"value": options["unit"]})
        period = str(year_option(options["period"]))
        user = acting_user(options.get("username"))
        try:
            with acting(source="command", reason=f"rate_agency {unit.code} {period}"):
                rating = services.agency_rate(
                    agency=unit,
                    year=int(period),
                    general_points=options["general"],
                    result_points=options["results"],
                    by=user,
                )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(
            _("%(unit)s %(period)s: score %(score)s → %(level)s")
            % {
                "unit": unit.code,
                "period": period,
                "score": rating.score,
                "level": Level(rating.level).label,
            }
        )
        for line in selectors.reasons_text(rating.reasons):
            self.stdout.write(f"- {line}")
