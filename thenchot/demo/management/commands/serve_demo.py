"""`thenchot serve_demo`: the in-process scheduler and the development server, one process."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from thenchot.core.cli import cli_language
from thenchot.core.jobs import InProcessScheduler


class Command(BaseCommand):
    help = "Serve the demo on 127.0.0.1:PORT with the background scheduler in the same process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            default=os.environ.get("PORT") or "8000",
            help="port to listen on (default: $PORT or 8000)",
        )
        parser.add_argument("--addr", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--lang", choices=["vi", "en"], help="language of the messages")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(cli_language(options.get("lang"))):
            port = str(options["port"] or "8000")
            if not port.isdigit() or not 0 < int(port) < 65536:
                raise CommandError(_("The port must be a number from 1 to 65535."))
            if not settings.DEBUG:
                self.stderr.write(_("DEBUG is off: static files are not served. Use `make demo`."))
            # The reloader would run the server in a child process and leave the scheduler
            # thread behind in the parent, so it is off: jobs run beside the pages they serve.
            scheduler = InProcessScheduler()
            scheduler.start()
            addr = options["addr"]
            self.stdout.write(
                _("Then Chốt demo: http://%(addr)s:%(port)s/ (Ctrl+C to stop)")
                % {"addr": addr, "port": port}
            )
        try:
            call_command("runserver", f"{addr}:{port}", use_reloader=False)
        finally:
            scheduler.stop()
