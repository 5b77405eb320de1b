"""Surveys, responses and the satisfaction index for the API: references by code; figures
rounded half up to two decimals as numbers (report.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from thenchot.core.api.serializers import shown_by
from thenchot.surveys.models import Question, Response, Survey


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["code", "text", "text_en", "element"]
        read_only_fields = fields


class SurveySerializer(serializers.ModelSerializer):
    unit = shown_by()
    questions = QuestionSerializer(many=True, read_only=True)
    short_code = serializers.CharField(read_only=True)

    class Meta:
        model = Survey
        fields = [
            "code",
            "title",
            "unit",
            "opens_on",
            "closes_on",
            "short_code",
            "questions",
            "version",
        ]
        read_only_fields = fields


class ResponseSerializer(serializers.ModelSerializer):
    survey = shown_by()
    answers = serializers.SerializerMethodField(
        help_text=_("Question code -> score 1 to 5, or null for no answer.")
    )

    class Meta:
        model = Response
        fields = ["code", "survey", "submitted_on", "answers"]
        read_only_fields = fields

    def get_answers(self, obj: Response) -> dict[str, int | None]:
        given = {a.question.code: a.score for a in obj.answers.all()}
        return {q.code: given.get(q.code) for q in obj.survey.questions.all()}


class SatisfactionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.CharField()
    date_from = serializers.DateField(source="from")
    date_to = serializers.DateField(source="to")
    responses = serializers.IntegerField()
    index = serializers.FloatField(allow_null=True)
    by_element = serializers.DictField(child=serializers.FloatField())

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return dict(instance)
