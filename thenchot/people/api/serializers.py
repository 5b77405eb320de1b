"""Staff representations for the API: references by code, `is_head` derived on the date."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from thenchot.core.api import serializers as api
from thenchot.org.models import Unit
from thenchot.people.choices import StaffCategory
from thenchot.people.models import JobPosition, Staff


def unit_code_field(**kwargs: Any) -> serializers.SlugRelatedField[Unit]:
    return api.by_code(Unit.objects.all(), api.UNKNOWN_UNIT, help_text=_("Unit code"), **kwargs)


def job_position_code_field() -> serializers.SlugRelatedField[JobPosition]:
    return api.by_code(
        JobPosition.objects.all(),
        _("Unknown job position code '{value}'."),
        allow_null=True,
        required=False,
        help_text=_("Job position code"),
    )


class StaffSerializer(serializers.ModelSerializer):
    unit = api.shown_by(help_text=_("Code of the current unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    job_position = api.shown_by()
    is_head = serializers.BooleanField(
        read_only=True, help_text=_("Head of their unit on the date (from head assignments)")
    )

    class Meta:
        model = Staff
        fields = [
            "code",
            "full_name",
            "category",
            "unit",
            "unit_name",
            "position_title",
            "is_leader",
            "is_head",
            "job_position",
            "in_position_since",
            "joined_on",
            "left_on",
            "date_of_birth",
            "retirement_on",
            "email",
            "version",
        ]
        read_only_fields = fields


class _StaffFieldsSerializer(api.StrictInputSerializer):
    position_title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_leader = serializers.BooleanField(required=False)
    job_position = job_position_code_field()
    in_position_since = serializers.DateField(required=False, allow_null=True)
    joined_on = serializers.DateField(required=False, allow_null=True)
    left_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("End of employment")
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    retirement_on = serializers.DateField(required=False, allow_null=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class StaffCreateSerializer(_StaffFieldsSerializer):
    code = serializers.CharField(max_length=40)
    full_name = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=StaffCategory.choices)
    unit = unit_code_field()


class StaffUpdateSerializer(_StaffFieldsSerializer):
    refused_fields = {
        "code": _("A staff member's code cannot be changed."),
        "unit": _("A staff member changes unit through a transfer: POST …/transfer/."),
    }

    full_name = serializers.CharField(max_length=200, required=False)
    category = serializers.ChoiceField(choices=StaffCategory.choices, required=False)
    version = api.VersionField()


class StaffTransferSerializer(api.StrictInputSerializer):
    unit = unit_code_field()
    on = serializers.DateField(help_text=_("First day in the new unit"))
    version = api.VersionField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
