from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from thenchot.core.api.serializers import StrictInputSerializer, VersionField
from thenchot.reform.models import Criterion, Score


class CriterionSerializer(serializers.ModelSerializer[Criterion]):
    year = serializers.IntegerField(source="framework.year", read_only=True)
    content = serializers.CharField(source="content.name", read_only=True)
    parent = serializers.CharField(  # type: ignore[assignment]
        source="parent.code", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Criterion
        fields = ["year", "code", "content", "name", "max_points", "method", "source", "parent"]


class ScoreSerializer(serializers.ModelSerializer[Score]):
    year = serializers.IntegerField(source="criterion.framework.year", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    criterion = serializers.CharField(source="criterion.code", read_only=True)
    appraiser_unit = serializers.SerializerMethodField()

    class Meta:
        model = Score
        fields = [
            "id",
            "year",
            "unit",
            "criterion",
            "self_points",
            "appraised_points",
            "council_points",
            "evidence",
            "explanation",
            "appraiser_unit",
            "appraiser_comment",
            "version",
        ]

    def get_appraiser_unit(self, obj: Score) -> str | None:
        return obj.appraiser_unit.code if obj.appraiser_unit is not None else None


class SelfScoreInputSerializer(StrictInputSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    unit = serializers.CharField(max_length=40, help_text=_("Code of the unit scored."))
    criterion = serializers.CharField(max_length=40)
    points = serializers.CharField(
        max_length=20,
        allow_blank=True,
        allow_null=True,
        help_text=_("Points, at most two decimals; empty clears the self-score."),
    )
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    explanation = serializers.CharField(required=False, allow_blank=True, default="")
    version = VersionField(required=False)


class AppraiseInputSerializer(StrictInputSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    unit = serializers.CharField(max_length=40, help_text=_("Code of the unit appraised."))
    criterion = serializers.CharField(max_length=40)
    points = serializers.CharField(max_length=20, allow_blank=True, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    version = VersionField(required=False)
