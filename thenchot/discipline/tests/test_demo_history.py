"""The demo discipline history obeys the rule of a decision running: it passes its own import
into an empty database (export, delete, import)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from thenchot.demo.generator import generate
from thenchot.discipline import rules
from thenchot.discipline.demo import load_demo_discipline
from thenchot.discipline.models import DisciplineDecision
from thenchot.discipline.selectors import past_decisions
from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def test_the_demo_history_has_no_shortfall_and_passes_its_own_import(tmp_path) -> None:  # type: ignore[no-untyped-def]
    generate(staff=1500, seed=7)
    load_demo_discipline(seed=7, today=TODAY)
    people = {s.pk: s for s in Staff.objects.filter(discipline_decisions__isnull=False)}
    histories = past_decisions(people)
    running = 0
    for staff_id, history in histories.items():
        staff = people[staff_id]

        def allowed_on(on: dt.date, staff: Staff = staff) -> tuple[str, ...]:
            return rules.allowed_forms(
                category=staff.category, is_leader=staff.is_leader, on=on
            ).forms

        assert rules.shortfalls(history=history, allowed_on=allowed_on) == []
        running += sum(
            rules.running_decision(history=history, act=d.act, on=d.decided_on) is not None
            for d in history
        )
    assert running > 0  # the demo does put new violations inside running windows
    out = tmp_path / "discipline.json"
    call_command("export_data", str(out), "--sections", "discipline", "--as-of", "2026-11-27")
    count = DisciplineDecision.objects.count()
    DisciplineDecision.objects.all().delete()
    call_command("import_data", str(out))
    assert DisciplineDecision.objects.count() == count
