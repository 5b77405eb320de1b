from __future__ import annotations

import datetime as dt

import pytest

from thenchot.core.due import DueItem
from thenchot.notifications.testing import FakeDueSource, only_sources

DUE = dt.date(2026, 3, 20)


@pytest.fixture
def fake_source(world):  # type: ignore[no-untyped-def]
    """One open task due on DUE: An (assignee) and Hoa (head of SNV-TC) are reminded, Lan
    (who assigned it) hears about an escalation. Registered alone for the test."""
    source = FakeDueSource(
        open_items=[
            DueItem(
                model_label="tests.task",
                object_id=1,
                title="Báo cáo sơ kết 6 tháng",
                due_on=DUE,
                url="/directives/tasks/1/",
                recipients=(world.user("an").pk, world.user("hoa").pk),
                escalate_to=(world.user("lan").pk,),
            )
        ]
    )
    with only_sources(source):
        yield source


@pytest.fixture
def base_template(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Pages extend "base.html" (another app's); stand in a minimal one until it exists."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("base.html")
    except TemplateDoesNotExist:
        (tmp_path / "base.html").write_text(
            "<html><body>{% block content %}{% endblock %}</body></html>", encoding="utf-8"
        )
        templates = [dict(t) for t in settings.TEMPLATES]
        templates[0] = {**templates[0], "DIRS": [*templates[0]["DIRS"], tmp_path]}
        settings.TEMPLATES = templates
