"""Commendations for the API: read with codes for the person and the unit; written through the
services from a strict input (an unknown field is refused)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from thenchot.commendations.choices import CommendationKind
from thenchot.commendations.models import Commendation
from thenchot.commendations.services import EDITABLE
from thenchot.core.api import serializers as api
from thenchot.org.models import Unit
from thenchot.people.models import Staff


# The form is described by a pattern, not an enum: every enum becomes a component named after its
# field, and "kind" would collide with the other apps' (settings' ENUM_NAME_OVERRIDES names
# theirs; adding "CommendationKindEnum" there would allow a plain enum here).
@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(" + "|".join(CommendationKind.values) + ")$",
        "description": "certificate (Giấy khen), merit_certificate (Bằng khen), emulation_fighter "
        "(Chiến sĩ thi đua), emulation_flag (Cờ thi đua), medal (Huân chương), other",
    }
)
class KindField(serializers.ChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(choices=CommendationKind.choices, **kwargs)  # type: ignore[arg-type]


class CommendationSerializer(serializers.ModelSerializer):
    kind = KindField(read_only=True)
    staff = api.shown_by(allow_null=True)
    unit = api.shown_by(allow_null=True)

    class Meta:
        model = Commendation
        fields = ["code", *EDITABLE, "version"]
        read_only_fields = fields


def _subject(
    queryset: QuerySet[Any], unknown: Any, help_text: Any
) -> serializers.SlugRelatedField[Any]:
    """The person or the unit commended, by code: optional, as one of the two is given."""
    return api.by_code(queryset, unknown, required=False, allow_null=True, help_text=help_text)


class _Values(api.StrictInputSerializer):
    staff = _subject(
        Staff.objects.all(),
        api.UNKNOWN_STAFF,
        _("Code of the staff member commended (or give a unit, not both)."),
    )
    unit = _subject(
        Unit.objects.all(),
        api.UNKNOWN_UNIT,
        _("Code of the unit commended (or give a staff member, not both)."),
    )
    kind = KindField()
    decided_on = serializers.DateField()
    decision_number = serializers.CharField(max_length=120, required=False, allow_blank=True)
    issued_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    innovation = serializers.BooleanField(required=False, default=False)


class CommendationCreateSerializer(_Values):
    code = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text=_("Leave empty for the next number of the year, or give the official number."),
    )


class CommendationUpdateSerializer(_Values):
    version = api.VersionField()


class GrantQuotaSerializer(api.StrictInputSerializer):
    period = serializers.CharField(max_length=7, help_text=_("YYYY-MM, YYYY-Qn or YYYY"))
    ratio = serializers.DecimalField(max_digits=5, decimal_places=2)
    base = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    group = serializers.CharField(max_length=20, required=False, default="all")


class QuotaOverrideSerializer(serializers.Serializer):
    agency = serializers.CharField()
    period = serializers.CharField()
    group = serializers.CharField()
    ratio = serializers.DecimalField(max_digits=5, decimal_places=2)
    base = serializers.CharField(allow_blank=True)
    decision_number = serializers.CharField()
    decided_on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)
    commendation = serializers.CharField(allow_null=True)
