"""The demo procedures and cases: the article's proportions of levels, the district level
retired with the districts, a year of cases with late ones, seen by the ward's officer."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import F

from thenchot.audit.models import AuditEntry
from thenchot.core.registry import demo_loaders
from thenchot.org.testing import UnitFactory
from thenchot.org.tree import invalidate
from thenchot.processes.demo import load_demo_processes
from thenchot.processes.models import Case, Process

TODAY = dt.date(2026, 3, 2)


def _with_a_district(world) -> None:
    UnitFactory.create(
        code="Q-BADINH", kind="district", parent=world.city, valid_to=dt.date(2025, 6, 30)
    )
    invalidate()


def test_it_registers_the_demo_loader() -> None:
    assert dict(demo_loaders.items())["processes"] is load_demo_processes


def test_it_keeps_the_article_proportions_and_retires_the_district_level(world) -> None:
    _with_a_district(world)
    load_demo_processes(seed=1, today=TODAY)
    first = Counter(Process.objects.filter(number=1).values_list("level", flat=True))
    assert first == {"department": 15, "district": 84, "commune": 188, "inter_level": 6}
    district = Process.objects.filter(level="district")
    assert set(district.values_list("retired_on", flat=True)) == {dt.date(2025, 7, 1)}
    assert Process.objects.filter(number=2).exists()


def test_it_writes_a_year_of_cases_some_late_some_overdue_audited(world) -> None:
    _with_a_district(world)
    load_demo_processes(seed=1, today=TODAY)
    cases = Case.objects.all()
    assert cases.count() > 1000
    assert cases.filter(received_on__lt=TODAY - dt.timedelta(days=300)).exists()
    late = cases.filter(completed_on__isnull=False, completed_on__gt=F("due_on"))
    assert late.exists() and not late.filter(apology_number="").exists()
    assert cases.filter(completed_on__isnull=True, due_on__lt=TODAY).exists()
    assert cases.filter(unit__code="P-BADINH").exists()
    assert AuditEntry.objects.filter(model_label="processes.case").count() == cases.count()
    load_demo_processes(seed=1, today=TODAY)
    assert Case.objects.count() == cases.count()
