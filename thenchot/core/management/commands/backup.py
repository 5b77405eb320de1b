"""`thenchot backup PATH [--no-media]`: the database and the uploaded files in one archive,
taken while the application runs (core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from thenchot.core.archive_cli import ArchiveCommand
from thenchot.core.backup import Manifest, backup


class Command(ArchiveCommand):
    help = "Back up the database and the uploaded files into one compressed archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="the archive to write (a new .zip file)")
        parser.add_argument(
            "--no-media", action="store_true", help="the database only, not MEDIA_ROOT"
        )
        super().add_arguments(parser)

    def work(self, path: Path, options: dict[str, Any]) -> Manifest:
        return backup(path, with_media=not options["no_media"])

    def done(self) -> str:
        return _(
            "Backed up %(rows)s rows of %(tables)s tables and %(files)s files to %(path)s "
            "in %(seconds).1f s."
        )
