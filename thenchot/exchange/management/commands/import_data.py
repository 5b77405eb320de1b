"""`thenchot import_data PATH [--dry-run] [--lang en|vi]`: a `thenchot/1` JSON or XLSX file."""

from __future__ import annotations

import os
from typing import Any, NoReturn

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thenchot.core.cli import LocalizedCommand
from thenchot.core.interchange import Problem, Problems
from thenchot.exchange.limits import Guard, import_limits
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
        limits = import_limits()
        try:
            with open(path, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                # A file over the limit is refused without being read into memory.
                data = fh.read(limits.file_bytes + 1) if size <= limits.file_bytes else b""
        except OSError as exc:
            raise CommandError(
                _("cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        if size > limits.file_bytes:
            problems = Problems()
            Guard(limits, problems).file_size(size)
            self._fail(list(problems), 0)
        result = import_file(data=data, filename=os.path.basename(path), dry_run=options["dry_run"])
        if not result.ok:
            self._fail(result.problems, result.omitted)
        for key, counts in result.counts.items():
            self.stdout.write(
                _("%(section)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {"section": key, **counts.as_dict()}
            )
        if result.dry_run:
            self.stdout.write(_("Check only: nothing was written."))

    def _fail(self, problems: list[Problem], omitted: int) -> NoReturn:
        for problem in problems:
            self.stderr.write(str(problem))
        if omitted:
            self.stderr.write(
                ngettext("… and %(count)d more error.", "… and %(count)d more errors.", omitted)
                % {"count": omitted}
            )
        raise CommandError(
            _("%(count)d error(s); nothing was written.") % {"count": len(problems) + omitted}
        )
