"""Administrators edit reminder policies in Django admin; each change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thenchot.audit.models import AuditEntry
from thenchot.notifications.models import ReminderPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_quan(world, client_for):  # type: ignore[no-untyped-def]
    quan = world.user("quan")
    quan.is_staff = quan.is_superuser = True
    quan.save(update_fields=["is_staff", "is_superuser"])
    return client_for("quan")


def form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "key": "directives.task",
        "days_before": "10, 5, 1",
        "on_due_day": "on",
        "overdue_every_days": "3",
        "escalate_after_days": "2",
    }
    data.update(overrides)
    return data


def test_it_creates_and_changes_a_policy_with_an_audit_trail(admin_client_quan):
    add = reverse("admin:notifications_reminderpolicy_add")
    assert admin_client_quan.post(add, form()).status_code == 302
    policy = ReminderPolicy.objects.get(key="directives.task")
    assert policy.days_before == [10, 5, 1]
    change = reverse("admin:notifications_reminderpolicy_change", args=[policy.pk])
    assert admin_client_quan.post(change, form(days_before="1, 7")).status_code == 302
    policy.refresh_from_db()
    assert policy.as_policy().days_before == (7, 1)
    entries = AuditEntry.objects.filter(model_label="notifications.reminderpolicy").order_by("id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before["days_before"] == [10, 5, 1]
    assert entries[1].actor.username == "quan"


def test_it_refuses_bad_days_and_changes_nothing(admin_client_quan):
    response = admin_client_quan.post(
        reverse("admin:notifications_reminderpolicy_add"), form(days_before="7, ba")
    )
    assert response.status_code == 200
    assert "days_before" in response.context["adminform"].form.errors
    assert not ReminderPolicy.objects.exists()
    assert not AuditEntry.objects.filter(model_label="notifications.reminderpolicy").exists()


def test_it_refuses_escalation_on_the_due_day(admin_client_quan):
    response = admin_client_quan.post(
        reverse("admin:notifications_reminderpolicy_add"), form(escalate_after_days="0")
    )
    assert response.status_code == 200
    assert not ReminderPolicy.objects.exists()


def test_it_audits_a_deletion(admin_client_quan):
    policy = ReminderPolicy.objects.create(key="inspections.recommendation")
    url = reverse("admin:notifications_reminderpolicy_delete", args=[policy.pk])
    assert admin_client_quan.post(url, {"post": "yes"}).status_code == 302
    assert not ReminderPolicy.objects.exists()
    assert AuditEntry.objects.filter(
        model_label="notifications.reminderpolicy", action="delete"
    ).exists()


def test_it_keeps_non_staff_out_of_the_policy_admin(client_for):
    response = client_for("lan").get(reverse("admin:notifications_reminderpolicy_changelist"))
    assert response.status_code == 302
