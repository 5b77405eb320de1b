"""Generated staff: unique codes, search text, assignment history and heads across 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from thenchot.audit.models import AuditEntry
from thenchot.people.models import Assignment, HeadAssignment, JobPosition, Staff
from thenchot.people.selectors import heads_of

pytestmark = pytest.mark.django_db


def test_it_creates_the_asked_number_of_staff_with_unique_codes(demo):
    assert Staff.objects.count() == demo.staff
    assert Staff.objects.values("code").distinct().count() == demo.staff


def test_it_fills_search_text_for_diacritic_free_search(demo):
    staff = Staff.objects.get(code="CB000006")
    assert staff.full_name == "Nguyễn Văn An"
    assert staff.search_text.startswith("nguyen van an")
    assert not Staff.objects.filter(search_text="").exists()


def test_it_gives_staff_of_an_old_commune_two_assignments(demo):
    moved = Assignment.objects.filter(
        unit__kind__in=["commune", "ward"], valid_to=dt.date(2025, 6, 30)
    ).values_list("staff_id", flat=True)
    assert moved
    for staff in Staff.objects.filter(pk__in=list(moved)).select_related("unit"):
        history = list(staff.assignments.order_by("valid_from"))
        assert len(history) == 2, staff.code
        assert history[1].valid_from == dt.date(2025, 7, 1)
        assert history[1].valid_to is None
        assert staff.unit_id == history[1].unit_id  # the denormalised current unit


def test_it_leaves_nobody_in_an_ended_unit(demo):
    assert not Staff.objects.filter(unit__valid_to__isnull=False).exists()
    open_counts = (
        Assignment.objects.filter(valid_to__isnull=True)
        .values("staff_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not open_counts.exists()


def test_it_records_dated_heads_old_and_new(demo):
    stc = Staff.objects.get(code="CB000004").unit_id
    head = heads_of(stc, dt.date(2026, 1, 1)).filter(role="head").first()
    assert head is not None and head.staff.code == "CB000004"  # the giamdoc persona
    assert HeadAssignment.objects.filter(valid_to__isnull=False).exists()
    assert HeadAssignment.objects.filter(valid_from__gte=dt.date(2025, 3, 1)).exists()
    assert Staff.objects.filter(is_leader=True).count() < demo.staff / 2


def test_it_creates_job_positions_some_subject_to_rotation(demo):
    assert JobPosition.objects.count() >= 30
    rotating = JobPosition.objects.filter(rotation_subject=True)
    assert rotating.exists()
    assert all(24 <= j.rotation_period_months <= 60 for j in rotating)
    assert not JobPosition.objects.filter(
        rotation_subject=False, rotation_period_months__isnull=False
    ).exists()


def test_it_audits_units_staff_and_assignments_as_a_command(demo):
    entries = AuditEntry.objects.filter(source="command", reason="demo data", action="create")
    assert entries.filter(model_label="org.unit").count() == 1836
    assert entries.filter(model_label="people.staff").count() == demo.staff
    assert entries.filter(model_label="people.assignment").count() == Assignment.objects.count()
    one = entries.get(
        model_label="people.staff", object_id=str(Staff.objects.get(code="CB000006").pk)
    )
    assert one.after["code"] == "CB000006"
    assert one.batch
