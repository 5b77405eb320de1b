"""The staff record: 404 outside the reader's scope, versioned edit and transfer for personnel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from thenchot.audit.models import AuditEntry
from thenchot.people.models import Assignment, Staff

pytestmark = pytest.mark.django_db


def _detail(staff: Staff) -> str:
    return reverse("people:detail", args=[staff.code])


def _edit_data(staff: Staff, **changes):  # type: ignore[no-untyped-def]
    data = {
        "edit-full_name": staff.full_name,
        "edit-category": staff.category,
        "edit-position_title": staff.position_title,
        "edit-email": staff.email,
        "edit-joined_on": staff.joined_on.isoformat() if staff.joined_on else "",
        "edit-version": staff.version,
    }
    if staff.is_leader:
        data["edit-is_leader"] = "on"
    data.update({f"edit-{k}": v for k, v in changes.items()})
    return data


def _transfer_data(staff: Staff, unit: str, on: dt.date):  # type: ignore[no-untyped-def]
    return {
        "transfer-unit": unit,
        "transfer-on": on.isoformat(),
        "transfer-note": "QĐ 12/QĐ-SNV",
        "transfer-version": staff.version,
    }


def test_it_sends_anonymous_visitors_to_login(world):
    an = world.staff["an"]
    response = Client().get(_detail(an))
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={_detail(an)}"
    Client().post(reverse("people:edit", args=[an.code]), _edit_data(an, full_name="X"))
    assert Staff.objects.get(pk=an.pk).full_name == "Nguyễn Văn An"


def test_it_shows_the_record_to_the_personnel_officer(client_for, world):
    response = client_for("lan").get(_detail(world.staff["hoa"]))
    assert response.status_code == 200
    ctx = response.context
    assert [p["code"] for p in ctx["path"]] == ["HN", "SNV"]
    assert [h.unit.code for h in ctx["headships"]] == ["SNV-TC"]
    assert [a.unit.code for a in ctx["assignments"]] == ["SNV-TC"]
    assert ctx["edit_form"] is not None and ctx["transfer_form"] is not None
    html = response.content.decode()
    assert f'href="/audit/people.staff/{world.staff["hoa"].pk}/"' in html


def test_it_hides_records_outside_the_scope(client_for, world):
    assert client_for("minh").get(_detail(world.staff["an"])).status_code == 404
    assert client_for("an").get(_detail(world.staff["hoa"])).status_code == 404
    assert client_for("lan").get(_detail(world.staff["minh"])).status_code == 404
    assert client_for("lan").get("/staff/NOBODY/").status_code == 404


def test_it_lets_a_staff_member_read_but_not_edit_their_own_record(client_for, world):
    an = world.staff["an"]
    response = client_for("an").get(_detail(an))
    assert response.status_code == 200
    assert response.context["edit_form"] is None
    post = client_for("an").post(
        reverse("people:edit", args=[an.code]), _edit_data(an, full_name="An mới")
    )
    assert post.status_code == 403
    assert Staff.objects.get(pk=an.pk).full_name == "Nguyễn Văn An"


def test_it_saves_an_edit_and_audits_it(client_for, world):
    an = world.staff["an"]
    response = client_for("lan").post(
        reverse("people:edit", args=[an.code]),
        _edit_data(an, position_title="Chuyên viên chính", email="an.nv@hanoi.gov.vn"),
    )
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.position_title == "Chuyên viên chính"
    assert an.email == "an.nv@hanoi.gov.vn"
    entry = AuditEntry.objects.get(
        model_label="people.staff", object_id=str(an.pk), action="update"
    )
    assert entry.actor == world.user("lan")
    assert set(entry.changed_fields) == {"position_title", "email"}


def test_it_refuses_a_stale_edit(client_for, world):
    an = world.staff["an"]
    client = client_for("lan")
    client.post(reverse("people:edit", args=[an.code]), _edit_data(an, position_title="Một"))
    client.post(reverse("people:edit", args=[an.code]), _edit_data(an, position_title="Hai"))
    assert Staff.objects.get(pk=an.pk).position_title == "Một"


def test_it_refuses_an_edit_from_the_wrong_role_or_unit(client_for, world):
    an, minh = world.staff["an"], world.staff["minh"]
    assert (
        client_for("hoa")
        .post(reverse("people:edit", args=[an.code]), _edit_data(an, full_name="X"))
        .status_code
        == 403
    )
    assert (
        client_for("lan")
        .post(reverse("people:edit", args=[minh.code]), _edit_data(minh, full_name="X"))
        .status_code
        == 404
    )
    assert client_for("lan").get(reverse("people:edit", args=[an.code])).status_code == 405
    assert not AuditEntry.objects.filter(model_label="people.staff", action="update").exists()


def test_it_transfers_inside_the_writers_scope(client_for, world):
    an = world.staff["an"]
    on = timezone.localdate()
    response = client_for("lan").post(
        reverse("people:transfer", args=[an.code]), _transfer_data(an, "SNV-CC", on)
    )
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.unit.code == "SNV-CC"
    history = list(Assignment.objects.filter(staff=an).order_by("valid_from"))
    assert [a.unit.code for a in history] == ["SNV-TC", "SNV-CC"]
    assert history[0].valid_to == on - dt.timedelta(days=1)
    assert AuditEntry.objects.filter(model_label="people.assignment", action="create").exists()


def test_it_refuses_a_transfer_out_of_the_writers_scope(client_for, world):
    an = world.staff["an"]
    response = client_for("lan").post(
        reverse("people:transfer", args=[an.code]), _transfer_data(an, "STC", timezone.localdate())
    )
    assert response.status_code == 200
    assert response.context["transfer_form"].non_field_errors()
    an.refresh_from_db()
    assert an.unit.code == "SNV-TC"
    assert Assignment.objects.filter(staff=an).count() == 1


def test_it_names_an_unknown_unit_code(client_for, world):
    an = world.staff["an"]
    response = client_for("lan").post(
        reverse("people:transfer", args=[an.code]),
        _transfer_data(an, "SNV-P9", timezone.localdate()),
    )
    assert "unit" in response.context["transfer_form"].errors
    assert "SNV-P9" in response.context["transfer_form"].errors["unit"][0]
