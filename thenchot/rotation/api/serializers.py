"""Rotation records and the due list for the API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from thenchot.core.api import serializers as api
from thenchot.org.models import Unit
from thenchot.people.models import Staff
from thenchot.rotation.choices import PostponementReason, RotationKind
from thenchot.rotation.models import Rotation


class RotationSerializer(serializers.ModelSerializer):
    staff = api.shown_by()
    from_unit = api.shown_by()
    to_unit = api.shown_by()

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


class RotationExecuteSerializer(api.StrictInputSerializer):
    staff = api.by_code(Staff.objects.all(), api.UNKNOWN_STAFF)
    kind = serializers.ChoiceField(choices=RotationKind.choices)
    to_unit = api.by_code(Unit.objects.all(), api.UNKNOWN_UNIT, required=False, allow_null=True)
    effective_on = serializers.DateField()
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    version = api.VersionField()


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
