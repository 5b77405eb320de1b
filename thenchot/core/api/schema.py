"""The OpenAPI generator of the API: the schema says what the endpoints really send and take.

drf-spectacular reads a field's declaration; a read-only field declared on a model serializer
(`assignee = SlugRelatedField(slug_field="code", read_only=True)`) does not say that the model
field behind it may be empty, yet DRF sends `null` (or `""` for an optional choice) when it is.
`AutoSchema` takes both from the model field, so no serializer can forget them; and an input
that refuses unknown fields (`StrictInputSerializer`) is documented as closed.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from thenchot.core.api.serializers import StrictInputSerializer


def model_field_of(field: serializers.Field[Any, Any, Any, Any]) -> models.Field[Any, Any] | None:
    """The model field a serializer field reads directly (`source` of one step), if any."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", "")
    if model is None or not source or "." in source or source == "*":
        return None
    try:
        found = model._meta.get_field(source)
    except FieldDoesNotExist:
        return None
    # Reverse relations (a list of related records) are never null.
    return found if isinstance(found, models.Field) else None


def as_sent(field: Any) -> Any:
    """A read-only field as DRF sends it: empty (null, or "") where its model field may be."""
    model_field = model_field_of(field) if getattr(field, "read_only", False) else None
    if model_field is None:
        return field
    # A copy, so the serializer instance the generator holds is left as it was.
    field = copy.copy(field)
    if model_field.null:
        field.allow_null = True
    if model_field.blank and isinstance(field, serializers.CharField | serializers.ChoiceField):
        field.allow_blank = True
    return field


# The one error body (core.api.errors), documented once and referred to by every operation.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "Stable, for programs."},
                "message": {"type": "string", "description": "In the caller's language."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Each bad field (`parent.child`, `items[2].name`): its messages.",
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}

# What any operation may answer besides its success (docs/api.md, "Errors"): a bad parameter or
# body, no or bad credentials, a role that may not, a record not in the caller's scope.
ERRORS = {
    "400": "Invalid input (`invalid`) or a malformed body (`parse_error`).",
    "401": "No or bad credentials.",
    "403": "Not permitted (`permission_denied`, `out_of_scope`).",
    "404": "No such record in your scope, or a page past the end.",
}
# ... and a write: the record changed since the `version` sent was read.
WRITE_ERRORS = {"409": "The record changed since you read it (`concurrent_update`)."}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> Any:
        responses = super()._get_response_bodies(direction)
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, schema=ERROR_SCHEMA, object="Error"
        )
        self.registry.register_on_missing(component)
        errors = dict(ERRORS)
        if self.method not in {"GET", "HEAD", "OPTIONS"}:
            errors.update(WRITE_ERRORS)
        for code, description in errors.items():
            responses.setdefault(
                code,
                {
                    "description": description,
                    "content": {"application/json": {"schema": component.ref}},
                },
            )
        return responses

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> Any:
        return super()._map_serializer_field(as_sent(field), direction, bypass_extensions)

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        # Where an optional e-mail (a formatted string) also admits "".
        super()._insert_field_validators(as_sent(field), schema)

    def _map_basic_serializer(self, serializer: Any, direction: str) -> Any:
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, StrictInputSerializer):
            schema["additionalProperties"] = False
        return schema
