"""The OpenAPI schema is the API: valid for a strict validator, generated without warnings,
and saying what the endpoints really send (empty values, arrays, required fields)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(raw, cls=DjangoJSONEncoder))


def _component(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return schema["components"]["schemas"][name]


def _body(schema: dict[str, Any], path: str, method: str, status: str) -> dict[str, Any]:
    content = schema["paths"][path][method]["responses"][status]["content"]
    return content["application/json"]["schema"]


def test_it_passes_a_strict_openapi_validator(schema) -> None:
    validate(schema)  # raises on the first violation of the OpenAPI 3 specification


def test_it_generates_the_schema_without_warnings() -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Task", "assignee"),
        ("Task", "document"),
        ("Inspection", "ordered_by"),
        ("Staff", "job_position"),
    ],
)
def test_it_marks_the_fields_that_may_be_empty_as_nullable(schema, component, field) -> None:
    assert _component(schema, component)["properties"][field].get("nullable") is True


def test_it_admits_the_blank_of_an_optional_choice(schema) -> None:
    severity = _component(schema, "Finding")["properties"]["severity"]
    blank_allowed = [ref["$ref"].rsplit("/", 1)[-1] for ref in severity.get("oneOf", [])]
    assert "BlankEnum" in blank_allowed
    default = _component(schema, "FindingInputRequest")["properties"]["severity"]["default"]
    assert default == ""


@pytest.mark.parametrize("part", ["comments", "extensions", "progress"])
def test_it_documents_a_tasks_own_lists_as_arrays(schema, part) -> None:
    path = f"/api/v1/tasks/{{code}}/{part}/"
    assert _body(schema, path, "get", "200")["type"] == "array"
    assert "201" in schema["paths"][path]["post"]["responses"]
    assert "200" not in schema["paths"][path]["post"]["responses"]
    names = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
    assert "page" not in names and "status" not in names


def test_it_documents_the_rotation_reasons_as_an_array_of_objects(schema) -> None:
    reasons = _component(schema, "DueLine")["properties"]["reasons"]
    assert reasons["type"] == "array"
    item = _component(schema, reasons["items"]["$ref"].rsplit("/", 1)[-1])
    assert {"reason", "from", "to", "source"} <= set(item["properties"])


@pytest.mark.parametrize(
    "path", ["/api/v1/units/{code}/", "/api/v1/staff/{code}/", "/api/v1/inspections/{code}/"]
)
def test_it_requires_the_version_on_patch(schema, path) -> None:
    body = schema["paths"][path]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    component = _component(schema, body["$ref"].rsplit("/", 1)[-1])
    assert "version" in component["required"]
    assert component["additionalProperties"] is False


def test_it_documents_the_error_body_on_every_operation(schema) -> None:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404"):
                body = operation["responses"][status]["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (method, path, status)
