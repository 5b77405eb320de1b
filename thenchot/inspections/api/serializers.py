"""Inspection representations for the API: references by code, statuses derived on a date."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from thenchot.core.api import serializers as api
from thenchot.directives.models import SourceDocument
from thenchot.inspections.choices import InspectionKind, Severity, Topic
from thenchot.inspections.models import Finding, Inspection, Recommendation, TeamMember
from thenchot.org.models import Unit
from thenchot.people.models import Staff


def unit_code_field(**kwargs: Any) -> serializers.SlugRelatedField[Unit]:
    return api.by_code(Unit.objects.all(), api.UNKNOWN_UNIT, **kwargs)


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["position", "text", "severity"]
        read_only_fields = fields


class TeamMemberSerializer(serializers.ModelSerializer):
    staff = api.shown_by()
    full_name = serializers.CharField(source="staff.full_name", read_only=True)

    class Meta:
        model = TeamMember
        fields = ["staff", "full_name", "is_lead"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    inspection = api.shown_by()
    responsible_unit = api.shown_by()
    status = serializers.CharField(read_only=True, help_text=_("Status on `as_of` (default today)"))

    class Meta:
        model = Recommendation
        fields = [
            "code",
            "inspection",
            "text",
            "responsible_unit",
            "due_on",
            "done_on",
            "status",
            "version",
        ]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    ordered_by = api.shown_by()
    conducted_by = api.shown_by()
    target_unit = api.shown_by()
    other_targets = api.shown_by(many=True)
    team = TeamMemberSerializer(many=True, read_only=True)
    findings = FindingSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)
    conclusion = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "code",
            "kind",
            "title",
            "ordered_by",
            "conducted_by",
            "target_unit",
            "other_targets",
            "started_on",
            "ended_on",
            "topics",
            "team",
            "findings",
            "conclusion",
            "recommendations",
            "version",
        ]
        read_only_fields = fields

    def get_conclusion(self, obj: Inspection) -> dict[str, str | None] | None:
        if obj.conclusion_on is None:
            return None
        return {
            "number": obj.conclusion_number,
            "issued_on": obj.conclusion_on.isoformat(),
            "text": obj.conclusion_text,
        }


class TeamInputSerializer(api.StrictInputSerializer):
    staff = api.by_code(Staff.objects.all(), api.UNKNOWN_STAFF)
    is_lead = serializers.BooleanField(required=False, default=False)


class InspectionCreateSerializer(api.StrictInputSerializer):
    code = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=InspectionKind.choices)
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    ordered_by = api.by_code(
        SourceDocument.objects.all(),
        _("Unknown document code '{value}'."),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("For a verification: the code of the document that ordered it."),
    )
    conducted_by = unit_code_field()
    target_unit = unit_code_field()
    other_targets = unit_code_field(many=True, required=False)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices), required=False, default=list
    )
    team = TeamInputSerializer(many=True, required=False)


class InspectionUpdateSerializer(api.StrictInputSerializer):
    refused_fields = {
        "code": _("An inspection's code cannot be changed."),
        "kind": _("An inspection's kind cannot be changed."),
        "target_unit": _("An inspection's target cannot be changed; record a new inspection."),
    }
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    ended_on = serializers.DateField(required=False, allow_null=True)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices), required=False
    )
    version = api.VersionField()


class FindingInputSerializer(api.StrictInputSerializer):
    text = serializers.CharField()
    severity = serializers.ChoiceField(
        choices=Severity.choices, required=False, allow_blank=True, default=""
    )


class ConclusionInputSerializer(api.StrictInputSerializer):
    number = serializers.CharField(max_length=60)
    issued_on = serializers.DateField()
    text = serializers.CharField(required=False, allow_blank=True, default="")
    version = api.VersionField()


class RecommendationInputSerializer(api.StrictInputSerializer):
    code = serializers.CharField(max_length=60)
    text = serializers.CharField()
    responsible_unit = unit_code_field()
    due_on = serializers.DateField()


class RemediationInputSerializer(api.StrictInputSerializer):
    reported_on = serializers.DateField()
    text = serializers.CharField()


class DecisionInputSerializer(api.StrictInputSerializer):
    accept = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
