"""`thenchot restore PATH`: a backup (`thenchot backup`) loaded into an empty, freshly migrated
database of either engine, and its files into MEDIA_ROOT (core.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from thenchot.core.archive_cli import ArchiveCommand
from thenchot.core.backup import Manifest, restore


class Command(ArchiveCommand):
    help = "Restore a backup into an empty, freshly migrated database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="the archive written by `thenchot backup`")
        super().add_arguments(parser)

    def work(self, path: Path, options: dict[str, Any]) -> Manifest:
        return restore(path)

    def done(self) -> str:
        return _(
            "Restored %(rows)s rows of %(tables)s tables and %(files)s files from %(path)s "
            "(backed up %(when)s) in %(seconds).1f s."
        )
