"""`thenchot verify_periods [--period P] [--unit CODE] [--lang vi|en]`: check the seal chain and
the results of the closed periods (all of them, or those of `--period` and/or the agencies of
`--unit`'s subtree) against their seals. One line per finding, naming the period, the agency,
the staff code and what changed; exit status 1 when anything is wrong (a period closed before
sealing began is noted, and is not a fault)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.appraisal import rules
from thenchot.appraisal.models import EvaluationPeriod
from thenchot.core.cli import LocalizedCommand
from thenchot.integrity.verifying import verify
from thenchot.org.models import Unit
from thenchot.org.tree import tree


class Command(LocalizedCommand):
    help = "Check the seals of closed evaluation periods; exit status 1 when something changed."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", help="a period code: YYYY-MM, YYYY-Qn or YYYY")
        parser.add_argument("--unit", help="a unit code: the agencies of its subtree")
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        periods = EvaluationPeriod.objects.select_related("agency").order_by("code", "agency__code")
        if options.get("period"):
            try:
                code = str(rules.Period.parse(options["period"]))
            except rules.RuleInputError as exc:
                raise CommandError(f"--period: {exc}") from None
            periods = periods.filter(code=code)
        if options.get("unit"):
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(
                    _("--unit: no unit has the code '%(code)s'") % {"code": options["unit"]}
                )
            subtree = tree().subtree_on(unit.pk, timezone.localdate())
            periods = periods.filter(agency_id__in=sorted(subtree))
        report = verify(list(periods))
        for finding in report.findings:
            self.stdout.write(finding.line())
        summary = _(
            "%(periods)s closed periods, %(rows)s evaluations checked; seal chain of "
            "%(length)s entries, head %(head)s."
        ) % {
            "periods": report.periods_checked,
            "rows": report.rows_checked,
            "length": report.chain_length,
            "head": report.head_digest[:16] or "-",
        }
        if report.ok:
            self.stdout.write(_("Intact: %(summary)s") % {"summary": summary})
            return
        raise CommandError(_("NOT intact: %(summary)s") % {"summary": summary}, returncode=1)
