"""Serializer bases shared by the API apps."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):
    """An input serializer that refuses unknown fields: a typo must not pass silently.

    `refused_fields` maps a field people often try to send to the message that tells them what
    to do instead (e.g. a staff member's unit is changed by a transfer, not a PATCH).
    """

    refused_fields: ClassVar[Mapping[str, Any]] = {}

    def to_internal_value(self, data: Any) -> Any:
        unknown: dict[str, list[Any]] = {}
        if isinstance(data, Mapping):
            for name in sorted(set(data) - set(self.fields)):
                unknown[name] = [self.refused_fields.get(name, _("Unknown field."))]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Every error at once: the unknown fields beside the invalid ones.
            detail: dict[Any, Any] = (
                exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
            )
            raise serializers.ValidationError({**detail, **unknown}) from exc
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class FieldsOnceMixin:
    """A serializer whose fields are built once per class and copied for each instance.

    A model serializer builds its fields from the model on every instance (field mapping,
    validators, choices): for the evaluation that was most of the serializer's cost in each
    answer of a write (issue 18). The fields depend only on the class (`Meta`, the declared
    fields), so the built set is kept on the class and each instance gets its own copy (DRF's
    fields are bound to their serializer; a copy is a fresh, unbound field). A field without
    fields of its own is copied shallowly: binding sets attributes of the copy only, and the
    rest (its arguments, validators, choices) is only read. Deep copies, which DRF makes, cost
    a millisecond a serializer (issue 18); a nested serializer or a list's child is still
    copied deeply."""

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        built = cls.__dict__.get("_fields_built")
        if built is None:
            built = super().get_fields()  # type: ignore[misc]
            cls._fields_built = built  # type: ignore[attr-defined]
        return {name: _copy(field) for name, field in built.items()}


def _copy(field: Any) -> Any:
    if isinstance(field, serializers.BaseSerializer) or hasattr(field, "child"):
        return copy.deepcopy(field)
    return copy.copy(field)


class VersionField(serializers.IntegerField):
    """The `version` a client read; a write naming an older one is refused with 409."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            _("The version you read; the write is refused (409) if the record changed since."),
        )
        super().__init__(**kwargs)


# A related record is named by its code (a user by its username), read-only on the way out and
# looked up by code, with a message naming the value, on the way in.
UNKNOWN_STAFF = _("Unknown staff code '{value}'.")
UNKNOWN_UNIT = _("Unknown unit code '{value}'.")


def shown_by(
    slug: str = "code", *, many: bool = False, **kwargs: Any
) -> serializers.SlugRelatedField[Any]:
    """A related record (or, `many`, records) shown by its `slug` field, read-only."""
    if many:
        kwargs["many"] = True
    return serializers.SlugRelatedField(slug_field=slug, read_only=True, **kwargs)


def by_code(
    queryset: QuerySet[Any], unknown: Any, **kwargs: Any
) -> serializers.SlugRelatedField[Any]:
    """A record of `queryset` given by its code; an unknown code is refused with `unknown`
    (`UNKNOWN_STAFF`, `UNKNOWN_UNIT`: "... '{value}'.")."""
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=queryset,
        error_messages={"does_not_exist": unknown},
        **kwargs,
    )
