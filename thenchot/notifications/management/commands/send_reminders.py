"""`send_reminders [--on DATE]`: the reminder job, run by hand or from cron."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from thenchot.core.cli import LocalizedCommand, optional_date_option
from thenchot.core.context import acting


class Command(LocalizedCommand):
    help = "Create due-date reminders and escalations for a day, then send pending e-mails."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--on", help="the day to remind for, YYYY-MM-DD (default: today)")
        super().add_arguments(parser)

    def run(self, options: dict[str, Any]) -> None:
        from thenchot.notifications.jobs import send_reminders

        on = optional_date_option(options.get("on"), "--on")
        with acting(source="command", reason="send_reminders"):
            result = send_reminders(on=on)
        self.stdout.write(
            _(
                "%(on)s: %(items)s items from %(sources)s sources, %(created)s notifications "
                "created, %(emailed)s e-mails sent."
            )
            % result
        )
