"""The "Add an app" checklist (docs/architecture.md) is enough: an app that only has its folder
and one line in INSTALLED_APPS gets its pages, API routes, menu entry, report block and
interchange section, with nobody editing the root URLs, the API root or the base template."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[3]

SCRIPT = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
from thenchot.core.menu import menu_entries
from thenchot.core.registry import interchange_sections, report_blocks
setup_test_environment()
print("page", reverse("plugin_app:index"), Client().get("/plugin-app/").content.decode())
print("api", Client().get("/api/v1/plugin-records/").json())
print("menu", menu_entries.get("plugin_app").url_name)
print("block", report_blocks.get("plugin_app").compute())
print("section", interchange_sections.get("plugin_records").key)
print("tasks", reverse("directives:mine"))
"""


def _run(settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "THENCHOT_TESTING": "1"}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=CHECKOUT, env=env, capture_output=True, text=True
    )


def test_it_plugs_in_an_app_by_the_checklist_alone() -> None:
    done = _run("thenchot.core.tests.plugin_app.settings")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "page /plugin-app/ plugin page" in lines
    assert "api {'results': []}" in lines
    assert "menu plugin_app:index" in lines
    assert "block {'count': 1}" in lines
    assert "section plugin_records" in lines
    assert "tasks /directives/" in lines  # the other apps' routes are still there


def test_it_has_none_of_it_without_the_settings_line() -> None:
    done = _run("thenchot.settings")
    assert done.returncode != 0
    assert "plugin_app" in done.stderr
