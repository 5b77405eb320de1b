"""Creating, changing and transferring staff through the API: scope, versions, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from thenchot.audit.models import AuditEntry
from thenchot.people.models import Assignment, JobPosition, Staff

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/"


def new_staff(unit: str, code: str = "CB900") -> dict[str, object]:
    return {
        "code": code,
        "full_name": "Đặng Thu Hà",
        "category": "civil_servant",
        "unit": unit,
        "joined_on": "2026-02-01",
        "email": "ha.dt@hanoi.gov.vn",
    }


# -- create -------------------------------------------------------------------------------------
def test_it_creates_a_staff_member_in_scope_and_audits_it(api_for, world) -> None:
    JobPosition.objects.create(code="VTVL-01", name="Chuyên viên tổ chức")
    data = {**new_staff("SNV-TC"), "job_position": "VTVL-01"}
    response = api_for("lan").post(LIST, data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == "SNV-TC" and body["job_position"] == "VTVL-01"
    assert body["is_head"] is False and body["version"] == 1
    staff = Staff.objects.get(code="CB900")
    assert Assignment.objects.get(staff=staff).valid_from == dt.date(2026, 2, 1)
    entry = AuditEntry.objects.get(model_label="people.staff", action="create")
    assert entry.actor == world.user("lan") and entry.source == "api"


def test_it_refuses_a_staff_member_in_a_sibling_unit_with_403(api_for, world) -> None:
    response = api_for("lan").post(LIST, new_staff("STC-NS"), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "out_of_scope"
    assert not Staff.objects.filter(code="CB900").exists()
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_create_by_plain_staff_with_403(api_for, world) -> None:
    assert api_for("an").post(LIST, new_staff("SNV-TC"), format="json").status_code == 403
    assert not Staff.objects.filter(code="CB900").exists()


def test_it_refuses_an_anonymous_create_with_401(world) -> None:
    assert APIClient().post(LIST, new_staff("SNV-TC"), format="json").status_code == 401


def test_it_names_each_bad_field(api_for, world) -> None:
    data = {
        **new_staff("SNV-X9"),
        "category": "astronaut",
        "email": "not-mail",
        "job_position": "?",
    }
    response = api_for("lan").post(LIST, data, format="json")
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"unit", "category", "email", "job_position"}
    assert "SNV-X9" in fields["unit"][0]


def test_it_refuses_a_unit_that_did_not_exist_on_the_start_date(api_for, world) -> None:
    response = api_for("lan").post(
        LIST, {**new_staff("SNV-TC"), "joined_on": "2019-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()["error"]["fields"]
    assert not Staff.objects.filter(code="CB900").exists()


# -- update -------------------------------------------------------------------------------------
def test_it_updates_a_staff_member_with_the_version_it_read(api_for, world) -> None:
    client = api_for("lan")
    body = client.get(f"{LIST}P005/").json()
    response = client.patch(
        f"{LIST}P005/",
        {"position_title": "Chuyên viên chính", "version": body["version"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["position_title"] == "Chuyên viên chính"
    assert response.json()["version"] == body["version"] + 1
    entry = AuditEntry.objects.get(model_label="people.staff", action="update")
    assert entry.changed_fields == ["position_title"] and entry.actor == world.user("lan")


def test_it_refuses_a_stale_version_with_409_and_keeps_the_first_change(api_for, world) -> None:
    client = api_for("lan")
    client.patch(f"{LIST}P005/", {"position_title": "Một", "version": 1}, format="json")
    response = client.patch(f"{LIST}P005/", {"position_title": "Hai", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "concurrent_update"
    world.staff["an"].refresh_from_db()
    assert world.staff["an"].position_title == "Một"


def test_it_refuses_a_unit_change_by_patch(api_for, world) -> None:
    response = api_for("lan").patch(f"{LIST}P005/", {"unit": "SNV-CC", "version": 1}, format="json")
    assert response.status_code == 400
    assert "unit" in response.json()["error"]["fields"]
    world.staff["an"].refresh_from_db()
    assert world.staff["an"].unit_id == world.snv_tc.pk


def test_it_refuses_plain_staff_editing_their_own_record_with_403(api_for, world) -> None:
    response = api_for("an").patch(f"{LIST}P005/", {"email": "x@y.vn", "version": 1}, format="json")
    assert response.status_code == 403
    world.staff["an"].refresh_from_db()
    assert world.staff["an"].email == ""


def test_it_hides_a_sibling_staff_member_from_update_with_404(api_for, world) -> None:
    response = api_for("lan").patch(
        f"{LIST}P003/", {"email": "x@y.vn", "version": 1}, format="json"
    )
    assert response.status_code == 404


# -- transfer -----------------------------------------------------------------------------------
def test_it_transfers_within_the_scope_from_a_date(api_for, world) -> None:
    response = api_for("lan").post(
        f"{LIST}P005/transfer/", {"unit": "SNV-CC", "on": "2026-03-01", "version": 1}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["unit"] == "SNV-CC" and response.json()["version"] == 2
    history = list(
        Assignment.objects.filter(staff=world.staff["an"])
        .order_by("valid_from")
        .values_list("unit__code", "valid_to")
    )
    assert history == [("SNV-TC", dt.date(2026, 2, 28)), ("SNV-CC", None)]


def test_it_refuses_a_transfer_out_of_the_scope_with_403_and_changes_nothing(
    api_for, world
) -> None:
    response = api_for("lan").post(
        f"{LIST}P005/transfer/", {"unit": "STC-NS", "on": "2026-03-01", "version": 1}, format="json"
    )
    assert response.status_code == 403
    world.staff["an"].refresh_from_db()
    assert world.staff["an"].unit_id == world.snv_tc.pk and world.staff["an"].version == 1
    assert Assignment.objects.filter(staff=world.staff["an"]).count() == 1
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_transfer_with_a_stale_version_with_409(api_for, world) -> None:
    response = api_for("lan").post(
        f"{LIST}P005/transfer/", {"unit": "SNV-CC", "on": "2026-03-01", "version": 7}, format="json"
    )
    assert response.status_code == 409
    assert Assignment.objects.filter(staff=world.staff["an"]).count() == 1


def test_it_refuses_a_transfer_by_a_sibling_user_with_404(api_for, world) -> None:
    response = api_for("minh").post(
        f"{LIST}P005/transfer/", {"unit": "STC", "on": "2026-03-01", "version": 1}, format="json"
    )
    assert response.status_code == 404


def test_it_requires_unit_date_and_version_for_a_transfer(api_for, world) -> None:
    response = api_for("lan").post(f"{LIST}P005/transfer/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"unit", "on", "version"}
