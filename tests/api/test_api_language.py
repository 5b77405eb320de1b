"""The API answers in the caller's language (Accept-Language; Vietnamese by default) and its
refusals name no class of the server."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_answers_in_english_when_asked(api_for, world) -> None:
    response = api_for("lan").post("/api/v1/units/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["code"] == ["This field is required."]
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]


def test_it_answers_in_vietnamese_by_default(api_for, world) -> None:
    response = api_for("lan").post("/api/v1/units/", {}, format="json")
    assert response.json()["error"]["fields"]["code"] == ["Trường này là bắt buộc."]
    assert response["Content-Language"] == "vi"
    assert "Accept-Language" in response["Vary"]  # caches keep the languages apart


def test_it_answers_in_vietnamese_for_a_language_it_does_not_speak(api_for, world) -> None:
    response = api_for("lan").get("/api/v1/units/NOPE/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.json()["error"]["message"] == "Không tìm thấy."


def test_it_says_not_found_in_the_callers_language(api_for, world) -> None:
    api = api_for("lan")
    english = api.get("/api/v1/units/NOPE/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").json()
    vietnamese = api.get("/api/v1/units/NOPE/", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert english["error"] == {"code": "not_found", "message": "Not found.", "fields": {}}
    assert vietnamese["error"]["message"] == "Không tìm thấy."


def test_it_names_no_model_when_a_record_is_missing(api_for, world) -> None:
    response = api_for("quan").get(
        "/api/v1/discipline/decisions/KL-NONE/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Not found."


def test_it_refuses_without_credentials_in_the_callers_language(client, world) -> None:
    response = client.get("/api/v1/units/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"
    assert error["message"] == "Authentication credentials were not provided."
    assert response["Content-Language"] == "en"
    assert response["WWW-Authenticate"] == "Token"
