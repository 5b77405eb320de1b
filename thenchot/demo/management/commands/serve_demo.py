"""`thenchot serve_demo`: the in-process scheduler and the development server, one process.

Start-up ends with the logins, printed once the port is bound, so they are the last thing on
screen. The demo's e-mails go to files under the data directory (`--mail console` prints them
instead); nothing is ever sent. Ctrl+C and SIGTERM stop it cleanly, with exit status 0.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.commands.runserver import Command as RunserverCommand
from django.utils import translation
from django.utils.translation import gettext as _

from thenchot.core.cli import cli_language
from thenchot.core.jobs import InProcessScheduler
from thenchot.demo.generator import demo_logins
from thenchot.demo.management.commands.load_demo import print_logins

MAIL_DIR = "demo-mail"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"


def _interrupt(signum: int, frame: FrameType | None) -> None:
    # `kill`, a service manager or a container stop send SIGTERM: ending the way Ctrl+C does
    # stops the server and the scheduler in order and exits 0, where dying of the signal
    # would make `make demo` report "Error 143".
    raise KeyboardInterrupt


@contextmanager
def _settings(values: dict[str, str]) -> Iterator[None]:
    """`values` in the settings while the demo runs, the previous ones back afterwards.

    Not django.test's override_settings: it hides SETTINGS_MODULE, which runserver prints."""
    missing = object()
    previous: dict[str, object] = {name: getattr(settings, name, missing) for name in values}
    for name, value in values.items():
        setattr(settings, name, value)
    try:
        yield
    finally:
        for name, old in previous.items():
            if old is missing:
                delattr(settings, name)
            else:
                setattr(settings, name, old)


class DemoRunserver(RunserverCommand):
    """runserver that calls `after_bind(port)` once it listens, after its own banner."""

    def __init__(self, *, after_bind: Callable[[int], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.after_bind = after_bind

    def on_bind(self, server_port: int) -> None:
        super().on_bind(server_port)
        self.after_bind(server_port)


class Command(BaseCommand):
    help = "Serve the demo on 127.0.0.1:PORT with the background scheduler in the same process."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            default=os.environ.get("PORT") or "8000",
            help="port to listen on (default: $PORT or 8000)",
        )
        parser.add_argument("--addr", default="127.0.0.1", help="address to listen on")
        parser.add_argument(
            "--mail",
            choices=["file", "console"],
            default="file",
            help=f"where e-mails go: files in <data dir>/{MAIL_DIR}/ (default) or this terminal",
        )
        parser.add_argument("--lang", choices=["vi", "en"], help="language of the messages")

    def handle(self, *args: Any, **options: Any) -> None:
        language = cli_language(options.get("lang"))
        with translation.override(language):
            port = str(options["port"] or "8000")
            if not port.isdigit() or not 0 < int(port) < 65536:
                raise CommandError(_("The port must be a number from 1 to 65535."))
            if not settings.DEBUG:
                self.stderr.write(_("DEBUG is off: static files are not served. Use `make demo`."))
        addr, mail = options["addr"], options["mail"]
        mail_dir = Path(settings.THENCHOT_DATA_DIR) / MAIL_DIR
        # Demo addresses are made up: their e-mails must never reach a real server, and printed
        # on the console they would push the logins off the screen. The command owns its
        # process, so overriding the e-mail settings for its lifetime is safe.
        mail_settings = (
            {"EMAIL_BACKEND": CONSOLE_BACKEND}
            if mail == "console"
            else {"EMAIL_BACKEND": FILE_BACKEND, "EMAIL_FILE_PATH": str(mail_dir)}
        )

        def ready(bound_port: int) -> None:
            with translation.override(language):
                print_logins(self.stdout, demo_logins(), url=None)
                if mail == "console":
                    self.stdout.write(_("E-mails are printed here, not sent."))
                else:
                    self.stdout.write(
                        _("E-mails are saved as files in %(path)s, not sent.") % {"path": mail_dir}
                    )
                self.stdout.write(
                    _("Then Chốt demo: http://%(addr)s:%(port)s/ (Ctrl+C to stop)")
                    % {"addr": addr, "port": bound_port}
                )

        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            with _settings(mail_settings):
                self._serve(addr, port, ready)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
        with translation.override(language):
            self.stdout.write(_("Demo stopped."))

    def _serve(self, addr: str, port: str, ready: Callable[[int], None]) -> None:
        scheduler = InProcessScheduler()
        # The first run (today's reminders and their e-mails) happens before the server starts,
        # so whatever it prints comes before the logins rather than over them.
        scheduler.run_pending()
        scheduler.start()
        try:
            # The reloader would run the server in a child process and leave the scheduler
            # thread behind in the parent, so it is off: jobs run beside the pages they serve.
            call_command(
                DemoRunserver(after_bind=ready),
                f"{addr}:{port}",
                use_reloader=False,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        except SystemExit as stop:
            # runserver ends a Ctrl+C with sys.exit(0): a normal end of the demo, not an error.
            if stop.code not in (0, None):
                raise
        finally:
            scheduler.stop()
