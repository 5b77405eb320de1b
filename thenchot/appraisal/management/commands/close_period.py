"""`thenchot close_period --unit CODE --period P [--resolve-quota by-score] [--move CODE,CODE]
[--lang en|vi]`.

Classifies every evaluation of the period in every agency of the unit's subtree under its rule
pack, applies overrides, ceilings and quotas, and locks the period (appraisal.closing). Exit 1,
with the conflicts listed and the people concerned named, while a quota conflict is unresolved;
exit 1 with the reason for any other refusal (a division alone, evaluations not approved...).
A quarter or a year that a pack rolls up from months is closed from each person's closed
months, refused while a month is still open (rules.md "Settled points" 3); a Decree 90 year is
classified from the records ("Settled points" 2).
`--move` names who moves down (the head's choice: each at the top level, exactly as many as the
group needs); a tie at the boundary under `--resolve-quota by-score` is refused naming the tied
people until `--move` names who of them moves (rules.md "Settled points" 1).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.appraisal import closing, services
from thenchot.core.cli import LocalizedCommand
from thenchot.core.context import acting
from thenchot.core.errors import DomainError
from thenchot.org.models import Unit


class Command(LocalizedCommand):
    help = "Close an evaluation period in every agency of a unit's subtree."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True, help="unit code (an agency or above)")
        parser.add_argument(
            "--period",
            required=True,
            help="YYYY-MM, YYYY-Qn or YYYY (a quarter or year a pack rolls up from its months "
            "is closed from the closed months)",
        )
        parser.add_argument("--resolve-quota", choices=["by-score"], dest="resolve_quota")
        parser.add_argument(
            "--move",
            default="",
            help="staff codes, comma-separated: who moves down one level (the head's choice)",
        )
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("unknown unit code '%(value)s'") % {"value": options["unit"]})
        started = timezone.now()
        try:
            with acting(source="command", reason=f"close_period {unit.code} {options['period']}"):
                result = closing.close_period(
                    unit=unit,
                    period=options["period"],
                    resolve_quota=options["resolve_quota"],
                    move=[c for c in (options.get("move") or "").split(",") if c.strip()],
                )
        except closing.QuotaConflicts as exc:
            for conflict in exc.conflicts:
                self.stderr.write(conflict.describe())
            raise CommandError(str(exc.message)) from None
        except DomainError as exc:
            for messages in exc.field_errors.values():
                for message in messages:
                    self.stderr.write(str(message))
            raise CommandError(str(exc.message)) from None
        if not result.periods_closed:
            self.stdout.write(
                _("%(period)s: already closed in %(count)d agencies; nothing changed.")
                % {"period": result.code, "count": result.already_closed}
            )
            return
        levels = ", ".join(f"{k}: {v}" for k, v in sorted(result.by_level.items()))
        self.stdout.write(
            _(
                "%(period)s closed in %(periods)d agencies: %(count)d evaluations (%(levels)s);"
                " %(moved)d moved down by the quota."
            )
            % {
                "period": result.code,
                "periods": result.periods_closed,
                "count": result.evaluations,
                "levels": levels or "-",
                "moved": result.moved_by_quota,
            }
        )
        for row, late in services.late_years(code=result.code, closed_since=started):
            self.stdout.write(
                _(
                    "%(agency)s: the year's rating was due by %(deadline)s; closed %(days)d days late."
                )
                % {
                    "agency": row.agency.code,
                    "deadline": row.approval_due.strftime("%d/%m/%Y"),
                    "days": late,
                }
            )
        if not result.discipline_checked:
            self.stdout.write(_("Discipline records are not installed: no discipline override."))
