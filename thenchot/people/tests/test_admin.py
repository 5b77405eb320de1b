"""Staff edited in the Django admin: through `people.services`, versioned and audited, so the
pages and the API see the change and refuse a write based on what they read before it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.people.models import Assignment, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


def change_data(staff: Staff, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": staff.full_name,
        "category": staff.category,
        "position_title": staff.position_title,
        "job_position": staff.job_position_id or "",
        "in_position_since": "",
        "joined_on": staff.joined_on.isoformat() if staff.joined_on else "",
        "date_of_birth": "",
        "retirement_on": "",
        "email": staff.email,
        "expected_version": staff.version,
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }
    if staff.is_leader:
        data["is_leader"] = "on"
    data.update(changes)
    return data


def url(staff: Staff, view: str = "change") -> str:
    return f"/admin/people/staff/{staff.pk}/{view}/"


def test_it_bumps_the_version_and_audits_a_staff_member_edited_in_the_admin(admin_client, world):
    an = world.staff["an"]
    assert 'name="expected_version"' in admin_client.get(url(an)).content.decode()
    response = admin_client.post(url(an), change_data(an, full_name="Nguyễn Văn Ân"))
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Staff.objects.get(pk=an.pk)
    assert stored.full_name == "Nguyễn Văn Ân"
    assert stored.version == an.version + 1
    assert stored.search_text.startswith("nguyen van an")
    entry = AuditEntry.objects.get(model_label="people.staff", object_id=str(an.pk))
    assert entry.actor.username == "quantri"
    assert entry.reason == "admin"
    assert entry.before["full_name"] == "Nguyễn Văn An"
    assert entry.after["full_name"] == "Nguyễn Văn Ân"


def test_it_refuses_an_api_patch_sent_with_the_version_read_before_an_admin_edit(
    admin_client, api_for, world
):
    an = world.staff["an"]
    read = an.version
    admin_client.post(url(an), change_data(an, full_name="Nguyễn Văn Ân"))
    response = api_for("lan").patch(
        f"/api/v1/staff/{an.code}/", {"version": read, "full_name": "Tên cũ"}, format="json"
    )
    assert response.status_code == 409
    assert Staff.objects.get(pk=an.pk).full_name == "Nguyễn Văn Ân"


def test_it_refuses_an_admin_edit_opened_before_a_change_made_elsewhere(admin_client, world):
    an = world.staff["an"]
    stale = change_data(an, full_name="Nguyễn Văn Ân")
    Staff.objects.filter(pk=an.pk).update(position_title="Chuyên viên", version=an.version + 1)
    response = admin_client.post(url(an), stale)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    with translation.override("vi"):  # the admin speaks the page's language
        assert str(ConcurrentUpdate.default_message) in errors
    stored = Staff.objects.get(pk=an.pk)
    assert (stored.full_name, stored.version) == ("Nguyễn Văn An", an.version + 1)
    assert not AuditEntry.objects.filter(model_label="people.staff").exists()


def test_it_never_moves_staff_to_another_unit_by_editing_the_form(admin_client, world):
    an = world.staff["an"]
    response = admin_client.post(url(an), change_data(an, unit=world.stc.pk))
    assert response.status_code == 302
    assert Staff.objects.get(pk=an.pk).unit_id == world.snv_tc.pk


def test_it_creates_staff_in_the_admin_through_the_service(admin_client, world):
    data = change_data(
        Staff(full_name="Hoàng Thu Trang", category="civil_servant", joined_on=None),
        code="CB900",
        unit=world.snv_cc.pk,
        expected_version="",
    )
    response = admin_client.post("/admin/people/staff/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    trang = Staff.objects.get(code="CB900")
    # The service opens the first assignment; a plain admin save would not.
    assert Assignment.objects.filter(staff=trang, unit=world.snv_cc).exists()
    assert AuditEntry.objects.filter(
        model_label="people.staff", object_id=str(trang.pk), action="create"
    ).exists()


def test_it_refuses_deleting_staff_in_the_admin(admin_client, world):
    an = world.staff["an"]
    assert admin_client.get(url(an, "delete")).status_code == 403
    assert admin_client.post(url(an, "delete"), {"post": "yes"}).status_code == 403
    response = admin_client.post(
        "/admin/people/staff/", {"action": "delete_selected", "_selected_action": [an.pk]}
    )
    assert response.status_code in (200, 302)
    assert Staff.objects.filter(pk=an.pk).exists()


def test_it_shows_assignments_read_only_in_the_admin(admin_client, world):
    assignment = Assignment.objects.get(staff=world.staff["an"])
    assert admin_client.get("/admin/people/assignment/add/").status_code == 403
    response = admin_client.post(
        f"/admin/people/assignment/{assignment.pk}/change/", {"unit": world.stc.pk}
    )
    assert response.status_code == 403
    assert Assignment.objects.get(pk=assignment.pk).unit_id == world.snv_tc.pk
