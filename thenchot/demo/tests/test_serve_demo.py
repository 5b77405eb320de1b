"""`serve_demo`: the logins come last, after the server's banner; e-mails go to files; SIGTERM
stops it cleanly (exit 0, so `make demo` reports no error)."""

from __future__ import annotations

import io
import os
import signal
import time
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from thenchot.demo.management.commands import serve_demo

pytestmark = pytest.mark.django_db


class FakeScheduler:
    events: list[str] = []

    def run_pending(self) -> list[str]:
        self.events.append("scheduler first run")
        return []

    def start(self) -> None:
        self.events.append("scheduler started")

    def stop(self) -> None:
        self.events.append("scheduler stopped")


@pytest.fixture
def served(demo, settings, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """Runs `serve_demo` with a runserver that binds, then receives SIGTERM."""
    settings.DEBUG = True
    settings.THENCHOT_DATA_DIR = tmp_path
    events: list[Any] = []
    FakeScheduler.events = events
    monkeypatch.setattr(serve_demo, "InProcessScheduler", FakeScheduler)

    def fake_inner_run(self: Any, *args: Any, **options: Any) -> None:
        mail_dir = getattr(django_settings, "EMAIL_FILE_PATH", None)
        events.append(("mail", django_settings.EMAIL_BACKEND, mail_dir))
        self.on_bind(8765)
        events.append("bound")
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the signal interrupts this
        events.append("not interrupted")

    monkeypatch.setattr(serve_demo.DemoRunserver, "inner_run", fake_inner_run)
    # Without serve_demo's own handler, this one keeps SIGTERM from ending the test run.
    caught: list[int] = []

    def guard(signum: int, frame: object) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGTERM, guard)

    def run(*args: str) -> tuple[str, list[Any]]:
        out = io.StringIO()
        call_command("serve_demo", "--port", "8765", "--lang", "en", *args, stdout=out)
        assert signal.getsignal(signal.SIGTERM) is guard
        assert caught == []
        return out.getvalue(), events

    yield run
    signal.signal(signal.SIGTERM, previous)


def test_it_prints_the_logins_last_after_the_server_banner(served):  # type: ignore[no-untyped-def]
    output, events = served()
    order = [
        output.index("Starting development server"),
        output.index("Username"),
        output.index("quantri"),
        output.index("Ctrl+C to stop"),
        output.index("Demo stopped."),
    ]
    assert order == sorted(order)
    assert events.index("scheduler first run") < events.index("scheduler started")
    assert events.index("scheduler started") < events.index("bound")


def test_it_writes_the_emails_to_files_under_the_data_dir(served, tmp_path):  # type: ignore[no-untyped-def]
    output, events = served()
    mail_dir = str(tmp_path / "demo-mail")
    assert ("mail", "django.core.mail.backends.filebased.EmailBackend", mail_dir) in events
    assert f"E-mails are saved as files in {mail_dir}, not sent." in output


def test_it_prints_the_emails_only_when_asked(served):  # type: ignore[no-untyped-def]
    output, events = served("--mail", "console")
    assert ("mail", "django.core.mail.backends.console.EmailBackend", None) in events
    assert "E-mails are printed here, not sent." in output


def test_it_stops_cleanly_on_sigterm(served):  # type: ignore[no-untyped-def]
    output, events = served()
    assert "not interrupted" not in events
    assert events[-1] == "scheduler stopped"
    assert output.rstrip().endswith("Demo stopped.")
