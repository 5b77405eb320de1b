"""`thenchot decree90_step --staff CODE --year YYYY [--step STEP --on DATE [--number N]
[--note TEXT] [--as USERNAME]] [--lang en|vi]`.

The steps of a person's Decree 90 rating for a year (rules.md `decree-90-2020`, "Workflow"):
without `--step`, prints the steps recorded and the next one; with it, records that step
(self_assessment, meeting, party_opinion, personnel_proposal, decision, notice, publication) in
order, as the user `--as` names (default: the administrator). Exit 1 with the reason when
refused; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from thenchot.appraisal import services
from thenchot.core.cli import LocalizedCommand, acting_user, year_option
from thenchot.core.context import acting
from thenchot.core.errors import DomainError
from thenchot.people.models import Staff


class Command(LocalizedCommand):
    help = "Show or record the steps of a person's Decree 90 rating for a year."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--staff", required=True, help="the person's code")
        parser.add_argument("--year", required=True, help="YYYY")
        parser.add_argument("--step", help="the step to record")
        parser.add_argument("--on", help="the day it was done, YYYY-MM-DD")
        parser.add_argument("--number", default="", help="its document's number")
        parser.add_argument("--note", default="")
        parser.add_argument("--as", dest="username", help="who records it (default: admin)")
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        staff = Staff.objects.filter(code=options["staff"]).first()
        if staff is None:
            raise CommandError(_("unknown staff code '%(value)s'") % {"value": options["staff"]})
        year = year_option(options["year"])
        try:
            if options.get("step"):
                self._record(staff, year, options)
            self._show(staff, year)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None

    def _record(self, staff: Staff, year: int, options: dict[str, Any]) -> None:
        try:
            on = dt.date.fromisoformat(options.get("on") or "")
        except ValueError:
            raise CommandError(
                _("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": options.get("on") or ""}
            ) from None
        user = acting_user(options.get("username"))
        with acting(source="command", reason=f"decree90_step {staff.code} {year}"):
            services.decree90_step_record(
                staff=staff,
                year=year,
                step=options["step"],
                done_on=on,
                by=user,
                document_number=options.get("number") or "",
                note=options.get("note") or "",
            )

    def _show(self, staff: Staff, year: int) -> None:
        dossier = services.decree90_dossier(staff=staff, year=year)
        self.stdout.write(
            _("%(name)s (%(code)s), %(year)s, form %(form)s")
            % {
                "name": staff.full_name,
                "code": staff.code,
                "year": year,
                "form": dossier.form_number,
            }
        )
        for item in dossier.steps:
            if item.record is not None:
                self.stdout.write(
                    f"- {item.step.label}: {item.record.done_on.isoformat()}"
                    f" {item.record.document_number}".rstrip()
                )
            elif item.required:
                self.stdout.write(f"- {item.step.label}: -")
        nxt = dossier.next_step
        self.stdout.write(
            _("next: %(step)s") % {"step": nxt.label} if nxt else _("every step is recorded")
        )
