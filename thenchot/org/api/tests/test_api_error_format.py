"""Every API error leaves in one shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions

from thenchot.core.api.errors import exception_handler
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError, OutOfScope


def handle(exc: Exception) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = exception_handler(exc, {})
    assert response is not None
    assert set(response.data) == {"error"}
    assert set(response.data["error"]) == {"code", "message", "fields"}
    return response.status_code, response.data["error"]


def test_it_renders_a_domain_error_with_its_fields() -> None:
    status, error = handle(DomainError("Bad unit.", field_errors={"unit": ["Unknown."]}))
    assert status == 400
    assert error == {"code": "invalid", "message": "Bad unit.", "fields": {"unit": ["Unknown."]}}


def test_it_renders_out_of_scope_as_403() -> None:
    status, error = handle(OutOfScope())
    assert status == 403 and error["code"] == "out_of_scope"


def test_it_renders_a_concurrent_update_as_409() -> None:
    status, error = handle(ConcurrentUpdate())
    assert status == 409 and error["code"] == "concurrent_update"


def test_it_renders_model_validation_as_400_with_fields() -> None:
    status, error = handle(DjangoValidationError({"email": ["Enter a valid e-mail."]}))
    assert status == 400
    assert error["fields"] == {"email": ["Enter a valid e-mail."]}
    assert "email" in error["message"]


def test_it_renders_a_non_field_model_error_in_the_message() -> None:
    status, error = handle(DjangoValidationError("Dates overlap."))
    assert status == 400 and error["fields"] == {} and error["message"] == "Dates overlap."


def test_it_flattens_nested_serializer_errors() -> None:
    exc = exceptions.ValidationError(
        {"steps": [{}, {"name": ["Required."]}], "owner": {"code": ["Unknown."]}}
    )
    status, error = handle(exc)
    assert status == 400
    assert error["fields"] == {"steps[1].name": ["Required."], "owner.code": ["Unknown."]}


def test_it_renders_a_missing_record_as_404() -> None:
    status, error = handle(Http404())
    assert status == 404 and error["code"] == "not_found"


def test_it_leaves_unexpected_exceptions_to_django() -> None:
    assert exception_handler(RuntimeError("boom"), {}) is None


@pytest.mark.django_db
def test_it_uses_the_format_for_an_unknown_page(api_for, world) -> None:
    response = api_for("lan").get("/api/v1/units/", {"page": 99})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
