"""The base of `thenchot backup` and `thenchot restore`: one archive, its figures printed once
the work is done, a refusal (`backup.BackupError`) as the command's error."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from thenchot.core.backup import BackupError, Manifest
from thenchot.core.cli import LocalizedCommand


class ArchiveCommand(LocalizedCommand):
    def work(self, path: Path, options: dict[str, Any]) -> Manifest:
        raise NotImplementedError

    def done(self) -> str:
        """The message printed, formatted with `Manifest.figures` and the seconds taken."""
        raise NotImplementedError

    def run(self, options: dict[str, Any]) -> None:
        path = Path(options["path"]).absolute()
        started = time.monotonic()
        try:
            manifest = self.work(path, options)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.done() % {**manifest.figures(path), "seconds": time.monotonic() - started}
        )
