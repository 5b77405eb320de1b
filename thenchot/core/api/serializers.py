"""Serializer bases shared by the API apps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An input serializer that refuses unknown fields: a typo must not pass silently.

    `refused_fields` maps a field people often try to send to the message that tells them what
    to do instead (e.g. a staff member's unit is changed by a transfer, not a PATCH).
    """

    refused_fields: ClassVar[Mapping[str, Any]] = {}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            errors: dict[str, list[Any]] = {}
            for name in sorted(set(data) - set(self.fields)):
                errors[name] = [self.refused_fields.get(name, _("Unknown field."))]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class VersionField(serializers.IntegerField):
    """The `version` a client read; a write naming an older one is refused with 409."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            _("The version you read; the write is refused (409) if the record changed since."),
        )
        super().__init__(**kwargs)
