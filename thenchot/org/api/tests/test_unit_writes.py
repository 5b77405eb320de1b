"""Creating and changing units through the API: scope re-checked, versioned, audited."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from thenchot.audit.models import AuditEntry
from thenchot.org.models import Unit

pytestmark = pytest.mark.django_db

LIST = "/api/v1/units/"


def new_unit(parent: str, code: str = "SNV-TT") -> dict[str, object]:
    return {
        "code": code,
        "name": "Phòng Thanh tra",
        "kind": "division",
        "parent": parent,
        "valid_from": "2026-01-01",
    }


def test_it_creates_a_unit_under_a_parent_in_scope(api_for, world) -> None:
    response = api_for("lan").post(LIST, new_unit("SNV"), format="json", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "SNV-TT" and body["parent"] == "SNV" and body["version"] == 1
    entry = AuditEntry.objects.get(model_label="org.unit", action="create")
    assert entry.actor == world.user("lan")
    assert entry.source == "api"
    assert entry.request_id == "req-42"


def test_it_refuses_a_unit_under_a_sibling_parent_with_403_and_writes_nothing(
    api_for, world
) -> None:
    response = api_for("lan").post(LIST, new_unit("STC", "STC-TT"), format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "out_of_scope"
    assert not Unit.objects.filter(code="STC-TT").exists()
    assert not AuditEntry.objects.exists()


def test_it_refuses_a_write_by_a_unit_head_without_the_personnel_role(api_for, world) -> None:
    response = api_for("minh").post(LIST, new_unit("STC", "STC-TT"), format="json")
    assert response.status_code == 403
    assert not Unit.objects.filter(code="STC-TT").exists()


def test_it_refuses_an_anonymous_write_with_401(world) -> None:
    response = APIClient().post(LIST, new_unit("SNV"), format="json")
    assert response.status_code == 401
    assert not Unit.objects.filter(code="SNV-TT").exists()


def test_it_reports_every_bad_field_at_once(api_for, world) -> None:
    response = api_for("lan").post(
        LIST, {"code": "X", "kind": "galaxy", "parent": "NOPE", "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"name", "kind", "parent", "colour"}
    assert "NOPE" in error["fields"]["parent"][0]
    assert "parent" in error["message"]


def test_it_refuses_valid_to_before_valid_from(api_for, world) -> None:
    data = {**new_unit("SNV"), "valid_to": "2025-01-01"}
    response = api_for("lan").post(LIST, data, format="json")
    assert response.status_code == 400
    assert "valid_to" in response.json()["error"]["fields"]
    assert not Unit.objects.filter(code="SNV-TT").exists()


def test_it_refuses_a_duplicate_code(api_for, world) -> None:
    response = api_for("lan").post(LIST, new_unit("SNV", "SNV-CC"), format="json")
    assert response.status_code == 400
    assert "code" in response.json()["error"]["fields"]


def test_it_renames_a_unit_with_the_version_it_read(api_for, world) -> None:
    client = api_for("lan")
    version = client.get(f"{LIST}SNV-CC/").json()["version"]
    response = client.patch(
        f"{LIST}SNV-CC/", {"name": "Phòng Công chức, viên chức", "version": version}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == version + 1
    world.snv_cc.refresh_from_db()
    assert world.snv_cc.name == "Phòng Công chức, viên chức"
    assert AuditEntry.objects.filter(model_label="org.unit", action="update").count() == 1


def test_it_refuses_a_stale_version_with_409(api_for, world) -> None:
    client = api_for("lan")
    client.patch(f"{LIST}SNV-CC/", {"name": "Lần một", "version": 1}, format="json")
    response = client.patch(f"{LIST}SNV-CC/", {"name": "Lần hai", "version": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "concurrent_update"
    world.snv_cc.refresh_from_db()
    assert world.snv_cc.name == "Lần một"


def test_it_requires_the_version_on_update(api_for, world) -> None:
    response = api_for("lan").patch(f"{LIST}SNV-CC/", {"name": "X"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["version"]


def test_it_refuses_moving_a_unit_by_patch(api_for, world) -> None:
    response = api_for("lan").patch(
        f"{LIST}SNV-CC/", {"parent": "STC", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()["error"]["fields"]


def test_it_hides_a_sibling_unit_from_update_with_404(api_for, world) -> None:
    response = api_for("lan").patch(f"{LIST}STC/", {"name": "X", "version": 1}, format="json")
    assert response.status_code == 404
    world.stc.refresh_from_db()
    assert world.stc.name == "Sở Tài chính"


def test_it_refuses_an_update_by_a_reader_without_write_rights_with_403(api_for, world) -> None:
    response = api_for("hoa").patch(f"{LIST}SNV-TC/", {"name": "X", "version": 1}, format="json")
    assert response.status_code == 403
    world.snv_tc.refresh_from_db()
    assert world.snv_tc.name == "Phòng Tổ chức"


def test_it_does_not_allow_put_or_delete(api_for, world) -> None:
    client = api_for("quan")
    assert client.put(f"{LIST}SNV/", {}, format="json").status_code == 405
    assert client.delete(f"{LIST}SNV/").status_code == 405
    assert Unit.objects.filter(code="SNV").exists()
