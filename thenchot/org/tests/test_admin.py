"""The unit tree in the Django admin: a unit's change goes through `org.services.unit_update`
(versioned, audited), a move through `unit_move` (no cycles), and recorded links are history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.org.models import Unit, UnitLink
from thenchot.org.tree import tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


def test_it_bumps_a_units_version_when_the_admin_renames_it(admin_client, world):
    unit = world.stc_ns
    response = admin_client.post(
        f"/admin/org/unit/{unit.pk}/change/",
        {
            "name": "Phòng Quản lý ngân sách",
            "kind": unit.kind,
            "valid_from": "2020-01-01",
            "valid_to": "",
            "expected_version": unit.version,
            "parent_links-TOTAL_FORMS": "0",
            "parent_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Unit.objects.get(pk=unit.pk).version == unit.version + 1


def test_it_refuses_a_move_in_the_admin_that_would_make_a_cycle(admin_client, world):
    links = UnitLink.objects.count()
    response = admin_client.post(
        "/admin/org/unitlink/add/",
        {"unit": world.snv.pk, "parent": world.snv_tc.pk, "valid_from": "2026-01-01"},
        follow=True,
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("SNV-TC" in m for m in shown), shown
    assert UnitLink.objects.count() == links
    assert not AuditEntry.objects.filter(model_label="org.unitlink").exists()


def test_it_moves_a_unit_in_the_admin_through_the_service(admin_client, world):
    response = admin_client.post(
        "/admin/org/unitlink/add/",
        {"unit": world.snv_cc.pk, "parent": world.stc.pk, "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The old link ends the day before: the service's rule, not a second open parent.
    assert tree().parent_on(world.snv_cc.pk, dt.date(2026, 1, 1)) == world.stc.pk
    old = UnitLink.objects.get(unit=world.snv_cc, parent=world.snv)
    assert old.valid_to == dt.date(2025, 12, 31)


def test_it_refuses_editing_or_deleting_a_recorded_link(admin_client, world):
    link = UnitLink.objects.get(unit=world.snv_cc)
    change = f"/admin/org/unitlink/{link.pk}/change/"
    assert admin_client.post(change, {"parent": world.stc.pk}).status_code == 403
    assert (
        admin_client.post(f"/admin/org/unitlink/{link.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert UnitLink.objects.get(pk=link.pk).parent_id == world.snv.pk
    assert (
        admin_client.post(f"/admin/org/unit/{world.ward.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
