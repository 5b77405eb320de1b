"""Serializer bases shared by the API apps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

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
            detail = (
                exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
            )
            raise serializers.ValidationError({**detail, **unknown}) from exc
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class VersionField(serializers.IntegerField):
    """The `version` a client read; a write naming an older one is refused with 409."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            _("The version you read; the write is refused (409) if the record changed since."),
        )
        super().__init__(**kwargs)
