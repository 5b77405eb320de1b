"""`thenchot load_demo`: fill an empty database with the Hanoi demo and print the logins."""

from __future__ import annotations

import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import translation
from django.utils.translation import gettext as _

from thenchot.accounts.choices import Role
from thenchot.core.cli import cli_language
from thenchot.demo.generator import (
    DEFAULT_SEED,
    DEFAULT_STAFF,
    DEMO_PASSWORD,
    Login,
    demo_logins,
    generate,
)
from thenchot.org.models import Unit


class Command(BaseCommand):
    help = "Load the Hanoi demo organisation, staff and persona logins into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--staff", type=int, default=DEFAULT_STAFF, help="number of staff (default 2000)"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (but print the logins) when the database already has units",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DEBUG off (demo passwords on a real database: think twice)",
        )
        parser.add_argument(
            "--no-logins",
            action="store_true",
            help="do not print the logins (`make demo` prints them once the server is up)",
        )
        parser.add_argument("--lang", choices=["vi", "en"], help="language of the messages")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(cli_language(options.get("lang"))):
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
        # The time printed is what the person waited for: the organisation, the staff and
        # every app's records, not the generator alone.
        started = time.monotonic()
        if not settings.DEBUG and not options["force"]:
            # Demo passwords must never land on a production database by accident.
            raise CommandError(
                _("Refusing to load demo data with DEBUG off; use --force if you mean it.")
            )
        if options["staff"] < 0:
            raise CommandError(_("--staff cannot be negative."))
        if Unit.objects.exists():
            if not options["if_empty"]:
                raise CommandError(
                    _("The database already has units; the demo needs an empty database.")
                )
            self.stdout.write(_("The database already has data: nothing loaded."))
            if not options["no_logins"]:
                self._print_logins(demo_logins())
            return
        result = generate(
            staff=options["staff"],
            seed=options["seed"],
            progress=lambda message: self.stdout.write(f"  {message}"),
        )
        self._load_app_demos(seed=options["seed"])
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo loaded in %(seconds).1f s: %(units)d units, %(staff)d staff.")
                % {
                    "seconds": time.monotonic() - started,
                    "units": result.counts["units"],
                    "staff": result.counts["staff"],
                }
            )
        )
        if not options["no_logins"]:
            self._print_logins(result.logins)

    def _load_app_demos(self, *, seed: int) -> None:
        """Each app's own demo records (tasks, inspections, ...), registered in its ready()."""
        from django.db import transaction
        from django.utils import timezone

        from thenchot.core.context import acting
        from thenchot.core.registry import demo_loaders

        today = timezone.localdate()
        for label, loader in demo_loaders.items():
            started = time.perf_counter()
            with transaction.atomic(), acting(source="command", reason="demo data"):
                loader(seed=seed, today=today)
            self.stdout.write(f"  {label}: {time.perf_counter() - started:.1f} s")

    def _print_logins(self, logins: list[Login]) -> None:
        port = os.environ.get("PORT", "8000")
        print_logins(self.stdout, logins, url=f"http://127.0.0.1:{port}/")


def print_logins(stdout: OutputWrapper, logins: list[Login], *, url: str | None) -> None:
    """The login table (`serve_demo` prints it too, last, where it stays on screen)."""
    if not logins:
        stdout.write(_("No demo logins in this database."))
        return
    header = (_("Username"), _("Password"), _("Role"), _("Unit"))
    rows = [
        (
            login.username,
            DEMO_PASSWORD,
            str(Role(login.role).label),
            f"{login.unit_name} ({login.unit_code})" if login.unit_code else _("whole city"),
        )
        for login in logins
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    line = "  ".join("-" * w for w in widths)
    stdout.write("")
    stdout.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    stdout.write(line)
    for row in rows:
        stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    stdout.write("")
    if url:
        stdout.write(_("Open %(url)s and log in.") % {"url": url})
