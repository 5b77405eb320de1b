"""`thenchot import_data PATH [--dry-run] [--lang en|vi]`: a `thenchot/1` JSON or XLSX file."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from thenchot.core.cli import LocalizedCommand
from thenchot.exchange.services import import_file


class Command(LocalizedCommand):
    help = "Import a thenchot/1 file (JSON or XLSX): all of it or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report, write nothing"
        )
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        path = options["path"]
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise CommandError(
                _("cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        result = import_file(data=data, filename=os.path.basename(path), dry_run=options["dry_run"])
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(count)d error(s); nothing was written.") % {"count": len(result.problems)}
            )
        for key, counts in result.counts.items():
            self.stdout.write(
                _("%(section)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {"section": key, **counts.as_dict()}
            )
        if result.dry_run:
            self.stdout.write(_("Check only: nothing was written."))
