"""The OpenAPI schema is generated without errors and the docs page uses local assets only."""

from __future__ import annotations

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

OURS = ("UnitViewSet", "StaffViewSet", "/api/v1/units", "/api/v1/staff")


def test_it_generates_a_valid_schema_without_errors() -> None:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert not GENERATOR_STATS._error_cache, dict(GENERATOR_STATS._error_cache)
    ours = [w for w in GENERATOR_STATS._warn_cache if any(name in w for name in OURS)]
    assert ours == []
    for path in ("/api/v1/units/", "/api/v1/units/{code}/", "/api/v1/staff/{code}/transfer/"):
        assert path in schema["paths"]


def test_it_documents_the_filters_of_the_unit_list() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    params = {p["name"]: p for p in schema["paths"]["/api/v1/units/"]["get"]["parameters"]}
    assert {"unit", "parent", "as_of", "kind", "q", "ordering", "page", "page_size"} <= set(params)
    assert params["as_of"]["schema"] == {"type": "string", "format": "date"}


def test_it_serves_the_schema(client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/staff/" in response.content.decode()


def test_it_serves_the_docs_from_local_assets_only(client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert re.findall(r"https?://", html) == []
