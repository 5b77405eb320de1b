"""Rotation records and the due list for the API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from thenchot.core.api.serializers import StrictInputSerializer, VersionField
from thenchot.org.models import Unit
from thenchot.people.models import Staff
from thenchot.rotation.choices import PostponementReason, RotationKind
from thenchot.rotation.models import Rotation


class RotationSerializer(serializers.ModelSerializer):
    staff: serializers.SlugRelatedField[Staff] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    from_unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    to_unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Rotation
        fields = [
            "code",
            "staff",
            "kind",
            "from_unit",
            "to_unit",
            "effective_on",
            "decision_number",
        ]
        read_only_fields = fields


class RotationExecuteSerializer(StrictInputSerializer):
    staff = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Staff.objects.all(),
        error_messages={"does_not_exist": _("Unknown staff code '{value}'.")},
    )
    kind = serializers.ChoiceField(choices=RotationKind.choices)
    to_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown unit code '{value}'.")},
    )
    effective_on = serializers.DateField()
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    version = VersionField()


class DueReasonSerializer(serializers.Serializer):
    """One reason holding a rotation back, and the record it comes from."""

    reason = serializers.ChoiceField(choices=PostponementReason.choices)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # `from` is a Python keyword and `source` an attribute of every field: neither can be
        # declared as a class attribute.
        return {
            **super().get_fields(),
            "from": serializers.DateField(),
            "to": serializers.DateField(allow_null=True),
            "source": serializers.CharField(),
        }


class DueLineSerializer(serializers.Serializer):
    staff = serializers.CharField(source="code")
    full_name = serializers.CharField()
    unit = serializers.CharField(source="unit_code")
    job_position = serializers.CharField(source="job_code")
    in_position_since = serializers.DateField()
    due_on = serializers.DateField()
    status = serializers.CharField()
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(DueReasonSerializer(many=True))
    def get_reasons(self, line: object) -> list[dict[str, object]]:
        return [
            {
                "reason": r["reason"],
                "from": r["from"].isoformat(),
                "to": r["to"].isoformat() if r["to"] else None,
                "source": r["source"],
            }
            for r in line.reasons  # type: ignore[attr-defined]
        ]
