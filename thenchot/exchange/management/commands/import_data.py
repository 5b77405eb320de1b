"""`thenchot import_data PATH [--dry-run] [--progress] [--lang en|vi]`: a `thenchot/1` JSON or
XLSX file, read a chunk at a time (a city's file is never held whole).

Progress lines (the section, records done of its records, or bytes read) go to stderr when it
is a terminal, or with `--progress`: a script reading the errors from stderr gets only them."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any, NoReturn

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from thenchot.core.cli import LocalizedCommand
from thenchot.core.interchange import Problem
from thenchot.exchange.progress import Step, Throttled
from thenchot.exchange.services import import_file


class Command(LocalizedCommand):
    help = "Import a thenchot/1 file (JSON or XLSX): all of it or nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report, write nothing"
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="print progress lines on stderr even when it is not a terminal",
        )
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        path = options["path"]
        try:
            fh = open(path, "rb")  # noqa: SIM115 - closed below, after the import
        except OSError as exc:
            raise CommandError(
                _("cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from None
        report = None
        if options["progress"] or _is_terminal(self.stderr):
            report = Throttled(self._progress(time.monotonic()))
        with fh:
            result = import_file(
                data=fh,
                filename=os.path.basename(path),
                dry_run=options["dry_run"],
                progress=report,
            )
        if not result.ok:
            self._fail(result.problems, result.omitted)
        for key, counts in result.counts.items():
            self.stdout.write(
                _("%(section)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
                % {"section": key, **counts.as_dict()}
            )
        if result.dry_run:
            self.stdout.write(_("Check only: nothing was written."))

    def _progress(self, started: float) -> Callable[[Step], None]:
        def report(step: Step) -> None:
            elapsed = time.monotonic() - started
            self.stderr.write(f"[{elapsed:6.1f} s] {step.line()}")
            self.stderr.flush()

        return report

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


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(getattr(stream, "_out", stream), "isatty", None)
    return bool(isatty and isatty())
