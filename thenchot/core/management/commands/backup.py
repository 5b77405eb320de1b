"""`thenchot backup PATH [--no-media]`: the database and the uploaded files in one archive,
taken while the application runs (core.backup)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from thenchot.core.backup import BackupError, backup
from thenchot.core.cli import LocalizedCommand


class Command(LocalizedCommand):
    help = "Back up the database and the uploaded files into one compressed archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="the archive to write (a new .zip file)")
        parser.add_argument(
            "--no-media", action="store_true", help="the database only, not MEDIA_ROOT"
        )
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        path = Path(options["path"]).absolute()
        started = time.monotonic()
        try:
            manifest = backup(path, with_media=not options["no_media"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(t.rows for t in manifest.tables)
        self.stdout.write(
            _(
                "Backed up %(rows)s rows of %(tables)s tables and %(files)s files to %(path)s "
                "in %(seconds).1f s."
            )
            % {
                "rows": rows,
                "tables": len(manifest.tables),
                "files": len(manifest.media),
                "path": path,
                "seconds": time.monotonic() - started,
            }
        )
