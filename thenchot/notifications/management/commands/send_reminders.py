"""`send_reminders [--on DATE]`: the reminder job, run by hand or from cron."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from thenchot.core.cli import cli_language
from thenchot.core.context import acting


class Command(BaseCommand):
    help = "Create due-date reminders and escalations for a day, then send pending e-mails."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--on", help="the day to remind for, YYYY-MM-DD (default: today)")
        parser.add_argument("--lang", choices=["vi", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        from thenchot.notifications.jobs import send_reminders

        with translation.override(cli_language(options.get("lang"))):
            on = None
            if options.get("on"):
                try:
                    on = dt.date.fromisoformat(options["on"])
                except ValueError:
                    raise CommandError(
                        _("--on: '%(value)s' is not a date (YYYY-MM-DD)") % {"value": options["on"]}
                    ) from None
            with acting(source="command", reason="send_reminders"):
                result = send_reminders(on=on)
            self.stdout.write(
                _(
                    "%(on)s: %(items)s items from %(sources)s sources, %(created)s notifications "
                    "created, %(emailed)s e-mails sent."
                )
                % result
            )
