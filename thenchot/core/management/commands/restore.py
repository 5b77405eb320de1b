"""`thenchot restore PATH`: a backup (`thenchot backup`) loaded into an empty, freshly migrated
database of either engine, and its files into MEDIA_ROOT (core.backup)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from thenchot.core.backup import BackupError, restore
from thenchot.core.cli import LocalizedCommand


class Command(LocalizedCommand):
    help = "Restore a backup into an empty, freshly migrated database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="the archive written by `thenchot backup`")
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        path = Path(options["path"]).absolute()
        started = time.monotonic()
        try:
            manifest = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(t.rows for t in manifest.tables)
        self.stdout.write(
            _(
                "Restored %(rows)s rows of %(tables)s tables and %(files)s files from %(path)s "
                "(backed up %(when)s) in %(seconds).1f s."
            )
            % {
                "rows": rows,
                "tables": len(manifest.tables),
                "files": len(manifest.media),
                "path": path,
                "when": manifest.created_at,
                "seconds": time.monotonic() - started,
            }
        )
