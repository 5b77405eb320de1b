"""Source documents and the tasks they assign (giao việc – theo dõi – đôn đốc).

A task's status is never stored: it is computed on a date from its deadline, its approved
extensions and its completion date, by `directives.status` (a queryset expression for lists and
statistics, a pure function for one task, kept in agreement by a test).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from thenchot.core.codes import AddressableCode
from thenchot.core.models import VersionedModel, not_before, user_reference
from thenchot.core.text import fold
from thenchot.directives.choices import DocumentKind, ExtensionStatus, Priority, Quality

# Codes open their records' pages and API entries (`core.codes`).
DOCUMENT_CODE = AddressableCode("directives:document", "document-detail")
TASK_CODE = AddressableCode("directives:task", "task-detail")


class SourceDocument(VersionedModel):
    """A conclusion, directive, notice, plan or decision that assigns tasks."""

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[DOCUMENT_CODE])
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    issuer = models.ForeignKey(
        "org.Unit", verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="documents"
    )
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["-issued_on", "code"]
        indexes = [models.Index(fields=["issuer", "issued_on"], name="dir_doc_issuer_idx")]

    def __str__(self) -> str:
        return f"{self.number or self.code} — {self.title}"


class DocumentAttachment(models.Model):
    document = models.ForeignKey(
        SourceDocument,
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = user_reference(_("uploaded by"), blank=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Task(VersionedModel):
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[TASK_CODE])
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    document = models.ForeignKey(
        SourceDocument,
        verbose_name=_("source document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent task"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subtasks",
    )
    lead_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    coordinating_units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("coordinating units"),
        blank=True,
        related_name="coordinated_tasks",
    )
    assignee = models.ForeignKey(
        "people.Staff",
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    # The assigning side: the unit that gave the task and the person who gave it. Extension
    # requests are decided on this side (rules: only the assigner approves).
    assigner_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("assigning unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tasks",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks_assigned",
    )
    assigned_on = models.DateField(_("assigned on"))
    deadline = models.DateField(_("deadline"))
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    weight = models.DecimalField(
        _("weight (work units)"), max_digits=6, decimal_places=2, default=1
    )
    expected_product = models.CharField(_("expected product"), max_length=500, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    product = models.TextField(_("product"), blank=True)
    quality = models.CharField(
        _("quality"), max_length=10, choices=Quality.choices, null=True, blank=True
    )
    major_errors = models.PositiveSmallIntegerField(_("major errors"), default=0)
    completion_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completion recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Folded code and title for diacritic-free search (core.text.fold), kept by save(); bulk
    # paths (imports) set it with `task_search_text`.
    search_text = models.CharField(_("search text"), max_length=600, blank=True, editable=False)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "code"]
        constraints = [
            not_before(
                "deadline",
                "assigned_on",
                name="dir_task_deadline_after_assigned",
                message=_("The deadline cannot be before the assigned date."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="dir_task_progress_max_100",
                violation_error_message=_("Progress cannot exceed 100%."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="dir_task_weight_positive",
                violation_error_message=_("The weight must be positive."),
            ),
        ]
        indexes = [
            models.Index(fields=["lead_unit", "deadline"], name="dir_task_lead_deadline_idx"),
            models.Index(fields=["assigned_on"], name="dir_task_assigned_idx"),
            models.Index(fields=["completed_on", "deadline"], name="dir_task_open_idx"),
            models.Index(fields=["assignee"], name="dir_task_assignee_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = task_search_text(self.code, self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)


def task_search_text(code: str, title: str) -> str:
    return f"{fold(code)} {fold(title)}"[:600]


class ProgressReport(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    reported_on = models.DateField(_("reported on"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="progress/%Y/%m/", null=True, blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task_id", "reported_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="dir_progress_max_100",
                violation_error_message=_("Progress cannot exceed 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.percent}% on {self.reported_on}"


class ExtensionRequest(VersionedModel):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="extensions"
    )
    requested_on = models.DateField(_("requested on"))
    # The effective deadline when the request was made: a request after it keeps the delay.
    previous_deadline = models.DateField(_("deadline at request"))
    new_deadline = models.DateField(_("requested new deadline"))
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExtensionStatus.choices,
        default=ExtensionStatus.PENDING,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["task_id", "requested_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_deadline__gt=F("previous_deadline")),
                name="dir_extension_later_deadline",
                violation_error_message=_("The new deadline must be later than the current one."),
            ),
            # One open request at a time: two concurrent requests cannot both be pending.
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status="pending"),
                name="dir_extension_one_pending",
                violation_error_message=_("This task already has a pending extension request."),
            ),
        ]
        indexes = [
            models.Index(fields=["task", "status", "decided_on"], name="dir_ext_task_idx"),
            models.Index(fields=["requested_on"], name="dir_ext_requested_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.previous_deadline} → {self.new_deadline} ({self.status})"


class TaskComment(models.Model):
    """Checking, urging and handling notes on a task (the third "rõ")."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["task_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.text[:40]}"
