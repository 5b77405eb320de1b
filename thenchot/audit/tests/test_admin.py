"""The admin: the audit log is view-only; edits of other records made there are audited."""

from __future__ import annotations

import pytest
from django.test import Client

from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.org.models import Unit
from thenchot.org.tree import tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world):  # type: ignore[no-untyped-def]
    user = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_it_lists_audit_entries_but_offers_no_change(admin_client, world):
    world.snv.name = "x"
    from thenchot.core import auditing

    auditing.record(world.snv, action=auditing.UPDATE, before={"name": "Sở Nội vụ"})
    entry = AuditEntry.objects.get()
    assert admin_client.get("/admin/audit/auditentry/").status_code == 200
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin_client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    view = admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    response = admin_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"reason": "sửa"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).reason == ""


def test_it_refuses_the_admin_to_staff_without_admin_rights(client_for, world):
    response = client_for("lan").get("/admin/audit/auditentry/")
    assert response.status_code == 302


def test_it_audits_a_unit_changed_in_the_admin(admin_client, world):
    unit = world.stc_ns
    response = admin_client.post(
        f"/admin/org/unit/{unit.pk}/change/",
        {
            "code": unit.code,
            "name": "Phòng Ngân sách nhà nước",
            "kind": unit.kind,
            "valid_from": "2020-01-01",
            "valid_to": "",
            "parent_links-TOTAL_FORMS": "0",
            "parent_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(model_label="org.unit", object_id=str(unit.pk))
    assert entry.actor.username == "quantri"
    assert entry.after["name"] == "Phòng Ngân sách nhà nước"
    assert Unit.objects.get(pk=unit.pk).search_text.startswith("phong ngan sach nha nuoc")
    assert tree().units[unit.pk].name == "Phòng Ngân sách nhà nước"


@pytest.mark.parametrize(
    "page",
    [
        "discipline/disciplinecase",
        "discipline/disciplinedecision",
        "rotation/rotationplan",
        "rotation/rotation",
        "rotation/postponement",
        "people/headassignment",
        "appraisal/collectivedecision",
    ],
)
def test_it_offers_no_add_for_domain_records_with_a_service(admin_client, world, page):
    # Each has rules that only its service applies: a plain admin form would bypass them.
    assert admin_client.get(f"/admin/{page}/add/").status_code == 403


def test_it_bumps_the_version_of_reference_data_edited_in_the_admin(admin_client, world):
    from thenchot.people.models import JobPosition

    position = JobPosition.objects.create(code="KT", name="Kế toán")
    response = admin_client.post(
        f"/admin/people/jobposition/{position.pk}/change/",
        {
            "code": "KT",
            "name": "Kế toán viên",
            "rotation_period_months": "",
            "expected_version": position.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = JobPosition.objects.get(pk=position.pk)
    assert (stored.name, stored.version) == ("Kế toán viên", position.version + 1)
    entry = AuditEntry.objects.get(model_label="people.jobposition")
    assert (entry.before["name"], entry.after["name"]) == ("Kế toán", "Kế toán viên")
