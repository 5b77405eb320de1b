"""`thenchot report --unit CODE --from DATE --to DATE [--as-of DATE] --format json|xlsx|pdf`."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from thenchot.core.cli import LocalizedCommand, date_option
from thenchot.org.models import Unit
from thenchot.reports.blocks import ReportRequest, build_report


class Command(LocalizedCommand):
    help = "Statistical report for a unit's subtree and a date range (shared/spec/report.md)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--from", dest="date_from", required=True)
        parser.add_argument("--to", dest="date_to", required=True)
        parser.add_argument("--as-of", dest="as_of")
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output for JSON)")
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:

        date_from = date_option(options["date_from"], "--from")
        date_to = date_option(options["date_to"], "--to")
        as_of = date_option(options["as_of"], "--as-of") if options.get("as_of") else date_to
        if date_to < date_from:
            raise CommandError(_("--to cannot be before --from"))
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(_("unknown unit code '%(code)s'") % {"code": options["unit"]})
        data = build_report(
            ReportRequest(
                unit_code=unit.code,
                unit_id=unit.pk,
                date_from=date_from,
                date_to=date_to,
                as_of=as_of,
            )
        )
        fmt = options["format"]
        output = options.get("output")
        if fmt == "json":
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
            if output:
                with open(output, "w", encoding="utf-8") as fh:
                    fh.write(text)
            else:
                sys.stdout.write(text)
            return
        if not output:
            raise CommandError(_("--output is required for %(format)s") % {"format": fmt})
        if fmt == "xlsx":
            from thenchot.reports.rendering import render_xlsx

            payload = render_xlsx(data)
        else:
            from thenchot.reports.rendering import PdfUnavailable, render_pdf

            try:
                payload = render_pdf(data)
            except PdfUnavailable as exc:
                raise CommandError(str(exc)) from exc
        with open(output, "wb") as fh:
            fh.write(payload)
        self.stdout.write(_("Report written to %(path)s") % {"path": output})
