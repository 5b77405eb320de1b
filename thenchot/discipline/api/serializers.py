"""Discipline records for the API: references by code; writes through the services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from thenchot.core.api.serializers import UNKNOWN_STAFF, StrictInputSerializer, by_code, shown_by
from thenchot.discipline.choices import DisciplineForm, Track
from thenchot.discipline.models import DisciplineCase, DisciplineDecision
from thenchot.people.models import Staff


class DecisionSerializer(serializers.ModelSerializer):
    staff = shown_by()
    case = shown_by()

    class Meta:
        model = DisciplineDecision
        fields = [
            "code",
            "staff",
            "case",
            "form",
            "track",
            "violation",
            "decision_number",
            "decided_on",
            "effective_on",
            "version",
        ]
        read_only_fields = fields


class DecisionCreateSerializer(StrictInputSerializer):
    staff = by_code(Staff.objects.all(), UNKNOWN_STAFF)
    case = serializers.SlugRelatedField(
        slug_field="code", queryset=DisciplineCase.objects.all(), required=False, allow_null=True
    )
    form = serializers.ChoiceField(choices=DisciplineForm.choices)
    track = serializers.ChoiceField(choices=Track.choices, default=Track.ADMINISTRATIVE)
    violation = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default=""
    )
    decided_on = serializers.DateField()
    effective_on = serializers.DateField()


class CaseSerializer(serializers.ModelSerializer):
    staff = shown_by()
    due_on = serializers.DateField(read_only=True, help_text=_("Legal deadline to decide"))

    class Meta:
        model = DisciplineCase
        fields = [
            "code",
            "staff",
            "detected_on",
            "violation_on",
            "violation",
            "summary",
            "extended",
            "status",
            "closed_on",
            "due_on",
            "version",
        ]
        read_only_fields = fields
