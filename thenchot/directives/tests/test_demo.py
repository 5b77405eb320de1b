"""The demo tasks: a year of realistic direction tracking with the agreed mix of statuses,
extensions (some requested late), tasks for every persona, consistent with the import rules
and the same for the same seed."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import F

from thenchot.accounts.models import User
from thenchot.demo.generator import generate
from thenchot.directives.demo import load_demo_directives
from thenchot.directives.models import (
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
    TaskComment,
)
from thenchot.directives.selectors import my_tasks, staff_in_subtree_on, tasks_assigned_by
from thenchot.directives.status import annotate_status
from thenchot.exchange.services import export_data, import_file

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def demo():  # type: ignore[no-untyped-def]
    generate(staff=400, seed=7)
    load_demo_directives(seed=7, today=TODAY)


def _fingerprint() -> list[tuple[object, ...]]:
    return list(
        Task.objects.order_by("code").values_list(
            "code",
            "title",
            "lead_unit__code",
            "assignee__code",
            "assigned_on",
            "deadline",
            "completed_on",
            "quality",
            "weight",
        )
    ) + list(
        ExtensionRequest.objects.order_by("task__code", "requested_on").values_list(
            "task__code", "requested_on", "new_deadline", "status"
        )
    )


def test_it_builds_a_year_with_the_agreed_mix(demo) -> None:  # type: ignore[no-untyped-def]
    tasks = Task.objects.all()
    total = tasks.count()
    assert total > 500
    assert tasks.filter(assigned_on__lt=TODAY - dt.timedelta(days=300)).exists()
    assert not tasks.filter(assigned_on__gt=TODAY).exists()
    mix = Counter(annotate_status(tasks, TODAY).values_list("status", flat=True))
    shares = {status: count / total for status, count in mix.items()}
    assert 0.60 <= shares["completed_on_time"] <= 0.78, shares
    assert 0.07 <= shares["completed_late"] <= 0.17, shares
    assert 0.05 <= shares["overdue"] <= 0.13, shares
    assert 0.06 <= shares["in_progress"] <= 0.17, shares
    extended = tasks.filter(extensions__isnull=False).distinct().count()
    assert 0.06 <= extended / total <= 0.14
    statuses = Counter(ExtensionRequest.objects.values_list("status", flat=True))
    assert statuses["approved"] > statuses["rejected"] + statuses["pending"]
    late = [e for e in ExtensionRequest.objects.all() if e.requested_on > e.previous_deadline]
    assert late and len(late) < statuses.total() / 2
    assert ProgressReport.objects.exists() and TaskComment.objects.exists()
    kinds = set(SourceDocument.objects.values_list("kind", flat=True))
    assert {"conclusion", "plan"} <= kinds
    issuers = set(SourceDocument.objects.values_list("issuer__kind", flat=True))
    assert issuers == {"city", "department"}
    leads = set(tasks.values_list("lead_unit__kind", flat=True))
    assert {"department", "commune", "ward"} <= leads
    assert not tasks.filter(search_text="").exists()
    assert tasks.filter(coordinating_units__isnull=False).exists()


def test_it_gives_every_persona_tasks(demo) -> None:  # type: ignore[no-untyped-def]
    for username in ("canbo", "noivu", "thanhtra", "noivu.phuong", "truongphong", "giamdoc"):
        user = User.objects.get(username=username)
        assert my_tasks(user, TODAY).exists(), username
    lanhdao = User.objects.get(username="lanhdao")
    assert my_tasks(lanhdao, TODAY).exists()
    giamdoc = User.objects.get(username="giamdoc")
    assigned = tasks_assigned_by(giamdoc, TODAY)
    assert assigned.filter(lead_unit__kind__in=["commune", "ward"]).count() >= 4
    assert ExtensionRequest.objects.filter(task__in=assigned, status="pending").exists()
    statuses = set(
        my_tasks(User.objects.get(username="canbo"), TODAY).values_list("status", flat=True)
    )
    assert {"in_progress", "overdue"} <= statuses


def test_it_keeps_to_the_rules_an_import_checks(demo) -> None:  # type: ignore[no-untyped-def]
    for task in Task.objects.filter(assignee__isnull=False):
        assert staff_in_subtree_on(task.assignee_id, task.lead_unit_id, task.assigned_on), task.code
    assert not Task.objects.filter(document__issued_on__gt=F("assigned_on")).exists()
    # The demo's own export imports cleanly and changes nothing.
    data = export_data(fmt="json", sections=["documents", "tasks"], as_of=TODAY)
    result = import_file(data=data, filename="demo.json")
    assert result.ok, [str(p) for p in result.problems][:5]
    assert result.counts["tasks"].updated == result.counts["tasks"].created == 0


def test_it_is_the_same_for_the_same_seed_and_adds_nothing_twice(demo) -> None:  # type: ignore[no-untyped-def]
    first = _fingerprint()
    load_demo_directives(seed=7, today=TODAY)
    assert _fingerprint() == first
    Task.objects.all().delete()
    SourceDocument.objects.all().delete()
    load_demo_directives(seed=7, today=TODAY)
    assert _fingerprint() == first
    Task.objects.all().delete()
    SourceDocument.objects.all().delete()
    load_demo_directives(seed=8, today=TODAY)
    assert _fingerprint() != first
