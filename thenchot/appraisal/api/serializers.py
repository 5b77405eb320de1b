"""Serializers of the evaluation API: reads of evaluations and periods, and the inputs of the
workflow's writes (strict: an unknown field is an error)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from thenchot.appraisal.choices import Level
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.selectors import reasons_text
from thenchot.core.api.serializers import StrictInputSerializer, VersionField

RATED = [v for v in Level.values if v != "not_rated"]


class EvaluationSerializer(serializers.ModelSerializer):
    staff = serializers.CharField(source="staff.code", read_only=True)
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    agency = serializers.CharField(source="period.agency.code", read_only=True)
    period = serializers.CharField(source="period_code", read_only=True)
    period_status = serializers.CharField(source="period.status", read_only=True)
    reasons_text = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "staff",
            "staff_name",
            "unit",
            "agency",
            "period",
            "period_status",
            "category",
            "is_leader",
            "is_head",
            "rule_pack",
            "pack_version",
            "general_points",
            "task_points",
            "bonus_points",
            "task_calculation",
            "evidence",
            "achievements",
            "proposed_level",
            "submitted_late",
            "reviewed_general_points",
            "reviewed_task_points",
            "reviewed_bonus_points",
            "reviewed_level",
            "review_comment",
            "handled_by_manager",
            "status",
            "final_level",
            "score",
            "reasons",
            "reasons_text",
            "version",
        ]
        read_only_fields = fields

    def get_reasons_text(self, obj: Evaluation) -> list[str]:
        return reasons_text(obj.reasons)


class PeriodSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = EvaluationPeriod
        fields = [
            "id",
            "agency",
            "code",
            "kind",
            "starts_on",
            "ends_on",
            "self_due",
            "review_due",
            "approval_due",
            "status",
            "closed_at",
            "quota_use",
            "version",
        ]
        read_only_fields = fields


def _points(**kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=6, decimal_places=2, required=False, allow_null=True, **kwargs
    )


class SelfAssessSerializer(StrictInputSerializer):
    general_points = serializers.DecimalField(max_digits=6, decimal_places=2)
    task_points = _points(help_text=_("Empty: computed from your tasks of the period."))
    bonus_points = _points()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    achievements = serializers.CharField(required=False, allow_blank=True, default="")
    proposed_level = serializers.ChoiceField(
        choices=RATED, required=False, allow_blank=True, default=""
    )
    version = VersionField()


class ReviewSerializer(StrictInputSerializer):
    general_points = _points()
    task_points = _points()
    bonus_points = _points()
    level = serializers.ChoiceField(choices=RATED, required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    return_for_revision = serializers.BooleanField(required=False, default=False)
    version = VersionField()


class ApproveSerializer(StrictInputSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = VersionField()


class CloseSerializer(StrictInputSerializer):
    unit = serializers.CharField(help_text=_("Code of the agency (or of a unit above agencies)."))
    period = serializers.CharField(help_text=_("YYYY-MM or YYYY-Qn."))
    resolve_quota = serializers.ChoiceField(
        choices=["by-score"], required=False, allow_blank=True, default=""
    )
    dry_run = serializers.BooleanField(required=False, default=False)
