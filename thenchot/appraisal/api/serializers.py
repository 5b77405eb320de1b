"""Serializers of the evaluation API: reads of evaluations and periods, and the inputs of the
workflow's writes (strict: an unknown field is an error)."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from thenchot.appraisal.choices import Level
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.selectors import FULL, PUBLISHED, access_of, reasons_text
from thenchot.core.api.serializers import FieldsOnceMixin, StrictInputSerializer, VersionField

RATED = [v for v in Level.values if v != "not_rated"]


PUBLISHED_FIELDS = [
    "id",
    "access",
    "staff",
    "staff_name",
    "unit",
    "agency",
    "period",
    "period_status",
    "final_level",
]


class PlannedRowsMixin:
    """DRF's `to_representation`, each field's read planned once per serializer: a list's
    rows share one child serializer, and DRF looked up every field of every row through its
    generic attribute walk (the source split, a callable and a mapping test at each step, the
    error handling around it): half the Python of a division manager's list (issue 18). The
    plan reads the same attributes and converts them with the same fields; a row the plan
    cannot read plainly (an attribute missing, a callable where a value was expected) is given
    by DRF's own code, errors and defaults included."""

    def _plan(self) -> list[tuple[str, Any, Any]] | None:
        try:
            return self.__dict__["_row_plan"]  # type: ignore[no-any-return]
        except KeyError:
            pass
        plan: list[tuple[str, Any, Any]] | None = []
        for field in self._readable_fields:  # type: ignore[attr-defined]
            if type(field).get_attribute is not serializers.Field.get_attribute:
                plan = None  # a field that reads the row its own way: DRF's code throughout
                break
            attrs = field.source_attrs
            read = attrgetter(".".join(attrs)) if attrs else None  # source "*": the row
            plan.append((field.field_name, read, field.to_representation))  # type: ignore[union-attr]
        self.__dict__["_row_plan"] = plan
        return plan

    def to_representation(self, instance: Any) -> Any:
        plan = self._plan()
        if plan is None:
            return super().to_representation(instance)  # type: ignore[misc]
        ret: dict[str, Any] = {}
        for name, read, convert in plan:
            if read is None:
                value = instance
            else:
                try:
                    value = read(instance)
                except Exception:
                    return super().to_representation(instance)  # type: ignore[misc]
                if callable(value):
                    return super().to_representation(instance)  # type: ignore[misc]
            ret[name] = None if value is None else convert(value)
        return ret


class PublishedEvaluationSerializer(PlannedRowsMixin, FieldsOnceMixin, serializers.ModelSerializer):
    """What is published inside the agency (Decree 90/2020 art. 17 cl. 7): who, which period,
    the final level. A colleague who is not in the person's line of review gets this shape."""

    access = serializers.SerializerMethodField(
        help_text=_("published: the published result only; full: the whole evaluation.")
    )
    staff = serializers.CharField(source="staff.code", read_only=True)
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    agency = serializers.CharField(source="period.agency.code", read_only=True)
    period = serializers.CharField(source="period_code", read_only=True)
    period_status = serializers.CharField(source="period.status", read_only=True)

    class Meta:
        model = Evaluation
        fields = PUBLISHED_FIELDS
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [PUBLISHED]})
    def get_access(self, obj: Evaluation) -> str:
        return PUBLISHED


class EvaluationSerializer(PublishedEvaluationSerializer):
    """The whole evaluation for those who may read the working papers (`selectors.access_of`,
    the scope from the context); any other row is given in the published shape."""

    reasons_text = serializers.SerializerMethodField()
    _published: PublishedEvaluationSerializer | None = None

    class Meta:
        model = Evaluation
        fields = [
            *PUBLISHED_FIELDS,
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
            "score",
            "reasons",
            "reasons_text",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [FULL]})
    def get_access(self, obj: Evaluation) -> str:
        return FULL

    def get_reasons_text(self, obj: Evaluation) -> list[str]:
        return reasons_text(obj.reasons)

    def to_representation(self, instance: Evaluation) -> dict[str, Any]:
        if access_of(self.context.get("scope"), instance) == FULL:
            return dict(super().to_representation(instance))
        # A list's rows share this child serializer: build the published one once, not per row.
        if self._published is None:
            self._published = PublishedEvaluationSerializer(context=self.context)
        return dict(self._published.to_representation(instance))


# The two shapes of a read, told apart by `access` (documented as one of the two).
EvaluationReadSchema = PolymorphicProxySerializer(
    component_name="EvaluationRead",
    serializers={FULL: EvaluationSerializer, PUBLISHED: PublishedEvaluationSerializer},
    resource_type_field_name="access",
)


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


# The month-end's most frequent input: its fields built once (`FieldsOnceMixin`).
class SelfAssessSerializer(FieldsOnceMixin, StrictInputSerializer):
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
