"""`load_demo`: prints the logins, refuses without DEBUG, does nothing twice with --if-empty."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from thenchot.demo.generator import DEMO_PASSWORD
from thenchot.org.models import Unit

pytestmark = pytest.mark.django_db


def test_it_prints_a_login_per_role_and_the_url(demo):
    for username in ("quantri", "lanhdao", "noivu", "giamdoc", "truongphong", "canbo"):
        assert username in demo.output
    assert DEMO_PASSWORD in demo.output
    assert "http://127.0.0.1:" in demo.output


def test_it_prints_the_time_of_the_whole_load(demo):
    per_app = [float(s) for s in re.findall(r"^  [\w.]+: (\d+\.\d) s$", demo.output, re.M)]
    total = re.search(r"Demo loaded in (\d+\.\d) s", demo.output)
    assert per_app
    assert total is not None
    # Each figure is rounded to a tenth: allow half a tenth per figure.
    assert float(total.group(1)) + 0.05 * len(per_app) >= sum(per_app)


def test_it_leaves_the_logins_to_serve_demo_when_asked(demo, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", if_empty=True, no_logins=True, lang="en", stdout=out)
    assert "nothing loaded" in out.getvalue()
    assert "quantri" not in out.getvalue()


def test_it_does_nothing_but_print_the_logins_when_not_empty(demo, settings):
    settings.DEBUG = True
    before = Unit.objects.count()
    out = io.StringIO()
    call_command("load_demo", if_empty=True, lang="en", stdout=out)
    assert Unit.objects.count() == before
    assert "nothing loaded" in out.getvalue()
    assert "noivu.phuong" in out.getvalue()


def test_it_refuses_a_non_empty_database_without_if_empty(demo, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError):
        call_command("load_demo", staff=10, lang="en", stdout=io.StringIO())


def test_it_refuses_to_run_with_debug_off_unless_forced(db, settings):
    settings.DEBUG = False
    before = Unit.objects.count()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", staff=10, lang="en", stdout=io.StringIO())
    assert Unit.objects.count() == before
