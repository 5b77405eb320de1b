"""Token and session authentication; session writes keep Django's CSRF protection."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from thenchot.org.models import Unit

pytestmark = pytest.mark.django_db

LIST = "/api/v1/units/"
CSRF_SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"  # 32 characters: a valid unmasked secret
NEW = {"code": "SNV-TT", "name": "Phòng Thanh tra", "kind": "division", "parent": "SNV"}


def session_client(world, username: str) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.user(username))
    return client


def test_it_reads_with_a_token(api_for, world) -> None:
    response = api_for("lan").get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_it_reads_with_a_session(world) -> None:
    response = session_client(world, "lan").get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_it_refuses_a_session_write_without_the_csrf_token(world) -> None:
    response = session_client(world, "lan").post(LIST, NEW, format="json")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "permission_denied"
    assert "CSRF" in error["message"]
    assert not Unit.objects.filter(code="SNV-TT").exists()


def test_it_accepts_a_session_write_with_the_csrf_token(world) -> None:
    client = session_client(world, "lan")
    client.cookies["csrftoken"] = CSRF_SECRET
    response = client.post(LIST, NEW, format="json", HTTP_X_CSRFTOKEN=CSRF_SECRET)
    assert response.status_code == 201, response.content
    assert Unit.objects.filter(code="SNV-TT").exists()


def test_it_does_not_ask_a_token_client_for_csrf(api_for, world) -> None:
    client = api_for("lan")
    client.handler.enforce_csrf_checks = True
    response = client.post(LIST, NEW, format="json")
    assert response.status_code == 201


def test_it_refuses_a_session_write_by_a_sibling_user_even_with_csrf(world) -> None:
    client = session_client(world, "minh")
    client.cookies["csrftoken"] = CSRF_SECRET
    response = client.post(LIST, NEW, format="json", HTTP_X_CSRFTOKEN=CSRF_SECRET)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "out_of_scope"
    assert not Unit.objects.filter(code="SNV-TT").exists()
