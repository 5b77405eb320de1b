"""A JSON body that names a key twice is refused with a 400 naming the key."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_refuses_a_key_given_twice(api_for, world) -> None:
    body = '{"name": "Phòng Tổ chức 2", "version": 9, "version": 1}'
    response = api_for("lan").patch(
        "/api/v1/units/SNV-TC/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert error["message"] == 'The key "version" appears more than once.'
    world.snv_tc.refresh_from_db()
    assert world.snv_tc.name == "Phòng Tổ chức"
    # The same record with each key once is read as usual.
    response = api_for("lan").patch(
        "/api/v1/units/SNV-TC/",
        '{"name": "Phòng Tổ chức 2", "version": 1}',
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "Phòng Tổ chức 2"


def test_it_refuses_a_key_given_twice_in_a_nested_object(api_for, world) -> None:
    body = '{"code": "X1", "name": "X", "kind": "division", "extra": {"a": 1, "a": 2}}'
    response = api_for("lan").post(
        "/api/v1/units/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == 'The key "a" appears more than once.'


def test_it_refuses_duplicate_keys_on_endpoints_that_also_take_forms(api_for, world) -> None:
    # The task endpoints choose their own parsers (JSON beside multipart uploads).
    response = api_for("quan").post(
        "/api/v1/tasks/",
        '{"title": "A", "title": "B"}',
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == 'The key "title" appears more than once.'
