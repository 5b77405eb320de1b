"""`/api/v1/documents/`, `/api/v1/tasks/`, `/api/v1/extensions/`: reads through the user's
scope (a task outside it is a 404), writes through the services (refusals in the one error
format; 403 for the wrong side, 409 for a stale version)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.core.api.parsers import StrictJSONParser
from thenchot.core.api.routers import CODE_IN_PATH
from thenchot.core.api.views import ScopedViewSetMixin, StableOrderingFilter
from thenchot.core.api.viewsets import MULTIPART, listed_and_added, write
from thenchot.directives import services
from thenchot.directives.api.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CommentCreateSerializer,
    CommentSerializer,
    CompleteSerializer,
    DocumentCreateSerializer,
    DocumentSerializer,
    ExtensionCreateSerializer,
    ExtensionDecideSerializer,
    ExtensionSerializer,
    ProgressCreateSerializer,
    ProgressReportSerializer,
    TaskCreateSerializer,
    TaskSerializer,
)
from thenchot.directives.filtersets import TaskFilterSet
from thenchot.directives.models import ExtensionRequest, SourceDocument, Task
from thenchot.directives.selectors import document_queryset, restrict_tasks, task_queryset

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="The date status and effective deadline are taken on (YYYY-MM-DD, default today).",
)
PARSERS = [StrictJSONParser, MultiPartParser, FormParser]


@extend_schema_view(
    list=extend_schema(summary="Source documents"),
    retrieve=extend_schema(summary="One source document by code"),
)
class DocumentViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DocumentSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_IN_PATH
    filter_backends = [StableOrderingFilter]
    ordering_fields = ["issued_on", "code"]
    ordering = ["-issued_on", "code"]
    parser_classes = PARSERS
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[SourceDocument]:
        return document_queryset(scope)

    @write(DocumentCreateSerializer, DocumentSerializer, status=201)
    def create(self, data: dict[str, Any]) -> Response:
        """Record a document issued by a unit you manage."""
        doc = services.document_create(by=self.request.user, **data)
        return Response(DocumentSerializer(doc).data, status=status.HTTP_201_CREATED)

    @listed_and_added(
        AttachmentSerializer,
        AttachmentUploadSerializer,
        listed="Files attached to the document",
        added="Attach a file (PDF, DOCX, XLSX, JPG, PNG; at most 20 MB)",
        media=MULTIPART,
    )
    def attachments(self, doc: SourceDocument, data: dict[str, Any] | None) -> Any:
        if data is None:
            return doc.attachments.all()
        return services.document_attach(by=self.request.user, document=doc, file=data["file"])


@extend_schema_view(
    list=extend_schema(summary="Tasks within your scope", parameters=[AS_OF]),
    retrieve=extend_schema(summary="One task by code", parameters=[AS_OF]),
)
class TaskViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = TaskSerializer
    lookup_field = "code"
    lookup_value_regex = CODE_IN_PATH
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = TaskFilterSet
    ordering_fields = ["deadline", "effective_deadline", "assigned_on", "code", "progress"]
    ordering = ["effective_deadline", "code"]
    parser_classes = PARSERS
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Task]:
        return (
            task_queryset(scope, self.as_of)
            .select_related("parent")
            .prefetch_related("coordinating_units")
        )

    def filter_queryset(self, queryset: QuerySet[Task, Any]) -> QuerySet[Task, Any]:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def _output(self, task: Task, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=task.pk)
        return Response(TaskSerializer(fresh, context=self.get_serializer_context()).data, code)

    @write(TaskCreateSerializer, TaskSerializer, status=201)
    def create(self, data: dict[str, Any]) -> Response:
        """Assign a task (or, with `parent`, delegate part of one)."""
        request = self.request
        parent = data.pop("parent", None)
        assigned_on = data.pop("assigned_on", None) or timezone.localdate()
        if parent is not None:
            if not restrict_tasks(self.scope, Task.objects.filter(pk=parent.pk)).exists():
                raise NotFound()
            task = services.subtask_create(
                by=request.user,
                parent=parent,
                title=data["title"],
                lead_unit=data["lead_unit"],
                deadline=data["deadline"],
                assignee=data.get("assignee"),
                assigned_on=assigned_on,
                weight=data["weight"],
                code=data["code"],
                description=data["description"],
                expected_product=data["expected_product"],
            )
        else:
            assigner = data.pop("assigner_unit", None)
            if assigner is None:
                raise ValidationError({"assigner_unit": [_("This field is required.")]})
            task = services.task_create(
                by=request.user,
                assigner_unit=assigner,
                assigned_on=assigned_on,
                coordinating_units=data.pop("coordinating_units", []),
                **data,
            )
        return self._output(task, status.HTTP_201_CREATED)

    @listed_and_added(
        ProgressReportSerializer,
        ProgressCreateSerializer,
        listed="Progress reports of the task",
        added="Report progress (lead side)",
        media=MULTIPART,
    )
    def progress(self, task: Task, data: dict[str, Any] | None) -> Any:
        if data is None:
            return task.progress_reports.select_related("reported_by").order_by("reported_on", "id")
        return services.progress_report(
            by=self.request.user,
            task=task,
            percent=data["percent"],
            note=data["note"],
            attachment=data.get("attachment"),
            reported_on=data.get("reported_on"),
        )

    @listed_and_added(
        ExtensionSerializer,
        ExtensionCreateSerializer,
        listed="Extension requests of the task",
        added="Request an extension (lead side)",
    )
    def extensions(self, task: Task, data: dict[str, Any] | None) -> Any:
        if data is None:
            rows = task.extensions.select_related("task", "requested_by", "decided_by")
            return rows.order_by("requested_on", "id")
        return services.extension_request(
            by=self.request.user,
            task=task,
            new_deadline=data["new_deadline"],
            reason=data["reason"],
            requested_on=data.get("requested_on"),
        )

    @write(CompleteSerializer, TaskSerializer, on_object=True)
    @action(detail=True, methods=["post"])
    def complete(self, task: Task, data: dict[str, Any]) -> Response:
        """Record the completion (quality mark: assigning side only)."""
        task = services.task_complete(
            by=self.request.user,
            task=task,
            completed_on=data["completed_on"],
            product=data["product"],
            quality=data.get("quality"),
            major_errors=data.get("major_errors"),
            expected_version=data["version"],
        )
        return self._output(task)

    @listed_and_added(
        CommentSerializer,
        CommentCreateSerializer,
        listed="Comments on the task",
        added="Comment on the task",
    )
    def comments(self, task: Task, data: dict[str, Any] | None) -> Any:
        if data is None:
            return task.comments.select_related("author").order_by("created_at")
        return services.task_comment(by=self.request.user, task=task, text=data["text"])


@extend_schema_view(retrieve=extend_schema(summary="One extension request"))
class ExtensionViewSet(ScopedViewSetMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ExtensionSerializer
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[ExtensionRequest]:
        readable = restrict_tasks(scope, Task.objects.all()).values("pk")
        return ExtensionRequest.objects.filter(task_id__in=readable).select_related(
            "task", "requested_by", "decided_by"
        )

    @write(ExtensionDecideSerializer, ExtensionSerializer, on_object=True)
    @action(detail=True, methods=["post"])
    def decide(self, ext: ExtensionRequest, data: dict[str, Any]) -> Response:
        """Approve or reject (assigning side; send the version you read)."""
        fresh = services.extension_decide(
            request=ext,
            approve=data["approve"],
            comment=data["comment"],
            by=self.request.user,
            expected_version=data["version"],
            decided_on=data.get("decided_on"),
        )
        fresh = self.get_queryset().get(pk=fresh.pk)
        return Response(ExtensionSerializer(fresh).data)
