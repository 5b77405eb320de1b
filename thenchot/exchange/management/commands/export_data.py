"""`thenchot export_data PATH [--sections a,b] [--unit CODE] [--from DATE --to DATE]
[--as-of DATE]`: a `thenchot/1` file, JSON or XLSX by the extension of PATH."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from thenchot.core.cli import LocalizedCommand, optional_date_option
from thenchot.core.errors import DomainError
from thenchot.exchange.services import export_data


class Command(LocalizedCommand):
    help = "Export sections of the interchange format to a JSON or XLSX file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--sections", help="comma-separated, e.g. units,staff (default: all)")
        parser.add_argument("--unit", help="only this unit's subtree (on --as-of)")
        parser.add_argument("--from", dest="date_from")
        parser.add_argument("--to", dest="date_to")
        parser.add_argument("--as-of", dest="as_of", help="the date the file describes (today)")
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        path: str = options["path"]
        lower = path.lower()
        if lower.endswith(".json"):
            fmt = "json"
        elif lower.endswith(".xlsx"):
            fmt = "xlsx"
        else:
            raise CommandError(_("the file name must end in .json or .xlsx"))
        sections = [s.strip() for s in (options.get("sections") or "").split(",") if s.strip()]
        try:
            payload = export_data(
                fmt=fmt,
                sections=sections or None,
                as_of=optional_date_option(options.get("as_of"), "--as-of"),
                unit_code=options.get("unit"),
                date_from=optional_date_option(options.get("date_from"), "--from"),
                date_to=optional_date_option(options.get("date_to"), "--to"),
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        with open(path, "wb") as fh:
            fh.write(payload)
        self.stdout.write(_("Written %(path)s") % {"path": path})
