"""Task and document representations for the API: references by code, status on `as_of`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from thenchot.core.api.serializers import StrictInputSerializer, VersionField, shown_by
from thenchot.directives.choices import DocumentKind, Priority, Quality, TaskStatus
from thenchot.directives.models import (
    DocumentAttachment,
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
    TaskComment,
)
from thenchot.org.models import Unit
from thenchot.people.models import Staff

_M = TypeVar("_M", bound=models.Model)


def code_field(model: type[_M], what: str, **kwargs: Any) -> serializers.SlugRelatedField[_M]:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=model._default_manager.all(),
        error_messages={"does_not_exist": _("Unknown %(what)s code '{value}'.") % {"what": what}},
        **kwargs,
    )


# -- output -------------------------------------------------------------------------------------
class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentAttachment
        fields = ["id", "name", "size", "content_type", "uploaded_at"]
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    issuer = shown_by()

    class Meta:
        model = SourceDocument
        fields = ["code", "kind", "number", "issued_on", "issuer", "signer", "title", "version"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    document = shown_by()
    # A field named `parent` clashes with `Field.parent` in the stubs only: DRF's metaclass
    # moves declared fields off the class, so nothing is shadowed at run time.
    parent = shown_by()  # type: ignore[assignment]
    lead_unit = shown_by()
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    coordinating_units = shown_by(many=True)
    assignee = shown_by()
    assigner_unit = shown_by()
    assigned_by = shown_by("username")
    effective_deadline = serializers.DateField(
        read_only=True, help_text=_("The deadline in force on `as_of` (approved extensions)")
    )
    status = serializers.ChoiceField(
        choices=TaskStatus.choices, read_only=True, help_text=_("The status on `as_of`")
    )

    class Meta:
        model = Task
        fields = [
            "code",
            "title",
            "description",
            "document",
            "parent",
            "lead_unit",
            "lead_unit_name",
            "coordinating_units",
            "assignee",
            "assigner_unit",
            "assigned_by",
            "assigned_on",
            "deadline",
            "effective_deadline",
            "status",
            "priority",
            "weight",
            "expected_product",
            "progress",
            "completed_on",
            "product",
            "quality",
            "major_errors",
            "version",
        ]
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):
    reported_by = shown_by("username")
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "reported_on", "percent", "note", "attachment", "reported_by"]
        read_only_fields = fields

    def get_attachment(self, obj: ProgressReport) -> str | None:
        return (obj.attachment.name or "").rsplit("/", 1)[-1] if obj.attachment else None


class ExtensionSerializer(serializers.ModelSerializer):
    task = shown_by()
    requested_by = shown_by("username")
    decided_by = shown_by("username")
    requested_late = serializers.SerializerMethodField(
        help_text=_("Requested after the deadline in force had passed: the delay stays")
    )

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "task",
            "requested_on",
            "previous_deadline",
            "new_deadline",
            "reason",
            "status",
            "requested_by",
            "decided_on",
            "decided_by",
            "decision_comment",
            "requested_late",
            "version",
        ]
        read_only_fields = fields

    def get_requested_late(self, obj: ExtensionRequest) -> bool:
        return obj.requested_on > obj.previous_deadline


class CommentSerializer(serializers.ModelSerializer):
    author = shown_by("username")

    class Meta:
        model = TaskComment
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = fields


# -- input --------------------------------------------------------------------------------------
class DocumentCreateSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField()
    issuer = code_field(Unit, "unit")
    signer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=500)


class AttachmentUploadSerializer(StrictInputSerializer):
    file = serializers.FileField()


class TaskCreateSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    # A field named `parent` clashes with `Field.parent` in the stubs only: DRF's metaclass
    # moves declared fields off the class, so nothing is shadowed at run time.
    parent = code_field(  # type: ignore[assignment]
        Task, "task", required=False, allow_null=True, help_text=_("Delegate part of this task")
    )
    document = code_field(SourceDocument, "document", required=False, allow_null=True)
    lead_unit = code_field(Unit, "unit")
    assigner_unit = code_field(
        Unit, "unit", required=False, allow_null=True, help_text=_("Required for a new task")
    )
    coordinating_units = code_field(Unit, "unit", many=True, required=False)
    assignee = code_field(Staff, "staff", required=False, allow_null=True)
    assigned_on = serializers.DateField(required=False)
    deadline = serializers.DateField()
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, default=Decimal(1))
    expected_product = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )


class ProgressCreateSerializer(StrictInputSerializer):
    percent = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    reported_on = serializers.DateField(required=False)
    attachment = serializers.FileField(required=False)


class ExtensionCreateSerializer(StrictInputSerializer):
    new_deadline = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)
    requested_on = serializers.DateField(required=False)


class ExtensionDecideSerializer(StrictInputSerializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    decided_on = serializers.DateField(required=False)
    version = VersionField()


class CompleteSerializer(StrictInputSerializer):
    completed_on = serializers.DateField()
    product = serializers.CharField(allow_blank=True)
    quality = serializers.ChoiceField(choices=Quality.choices, required=False)
    major_errors = serializers.IntegerField(min_value=0, required=False)
    version = VersionField()


class CommentCreateSerializer(StrictInputSerializer):
    text = serializers.CharField(allow_blank=True)
