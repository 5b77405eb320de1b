"""Source documents and the tasks they assign (giao việc – theo dõi – đôn đốc).

A task's status is never stored: it is computed on a date from its deadline, its approved
extensions and its completion date, by `directives.status` (a queryset expression for lists and
statistics, a pure function for one task, kept in agreement by a test).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from thenchot.core.codes import AddressableCode
from thenchot.core.fields import parent_reference, reference, user_reference
from thenchot.core.models import (
    Searchable,
    StoredFile,
    VersionedModel,
    check,
    not_before,
    one_pending,
)
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
    issuer = reference("org.Unit", _("issuer"), "documents")
    signer = models.CharField(_("signer"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")
        ordering = ["-issued_on", "code"]
        indexes = [models.Index(fields=["issuer", "issued_on"], name="dir_doc_issuer_idx")]

    def __str__(self) -> str:
        return f"{self.number or self.code} — {self.title}"


class DocumentAttachment(StoredFile):
    document = parent_reference(SourceDocument, _("document"), "attachments")
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    uploaded_by = user_reference(_("uploaded by"), blank=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Task(Searchable, VersionedModel):
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[TASK_CODE])
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    document = reference(SourceDocument, _("source document"), "tasks", optional=True)
    parent = parent_reference("self", _("parent task"), "subtasks", optional=True)
    lead_unit = reference("org.Unit", _("lead unit"), "led_tasks")
    coordinating_units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("coordinating units"),
        blank=True,
        related_name="coordinated_tasks",
    )
    assignee = reference("people.Staff", _("assignee"), "assigned_tasks", optional=True)
    # The assigning side: the unit that gave the task and the person who gave it. Extension
    # requests are decided on this side (rules: only the assigner approves).
    assigner_unit = reference("org.Unit", _("assigning unit"), "assigned_tasks", optional=True)
    assigned_by = user_reference(_("assigned by"), related_name="tasks_assigned")
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
    completion_recorded_by = user_reference(_("completion recorded by"))
    # Folded code and title (`core.models.Searchable`); bulk paths set it with `task_search_text`.
    search_text = models.CharField(_("search text"), max_length=600, blank=True, editable=False)
    search_from = ("code", "title")

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
            check(
                Q(progress__lte=100),
                name="dir_task_progress_max_100",
                message=_("Progress cannot exceed 100%."),
            ),
            check(
                Q(weight__gt=0),
                name="dir_task_weight_positive",
                message=_("The weight must be positive."),
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


task_search_text = Task.search_text_of


class ProgressReport(models.Model):
    task = parent_reference(Task, _("task"), "progress_reports")
    reported_on = models.DateField(_("reported on"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="progress/%Y/%m/", null=True, blank=True
    )
    reported_by = user_reference(_("reported by"), blank=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task_id", "reported_on", "id"]
        constraints = [
            check(
                Q(percent__lte=100),
                name="dir_progress_max_100",
                message=_("Progress cannot exceed 100%."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.percent}% on {self.reported_on}"


class ExtensionRequest(VersionedModel):
    task = parent_reference(Task, _("task"), "extensions")
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
    requested_by = user_reference(_("requested by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = user_reference(_("decided by"))
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["task_id", "requested_on", "id"]
        constraints = [
            check(
                Q(new_deadline__gt=F("previous_deadline")),
                name="dir_extension_later_deadline",
                message=_("The new deadline must be later than the current one."),
            ),
            one_pending(
                "task",
                name="dir_extension_one_pending",
                message=_("This task already has a pending extension request."),
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

    task = parent_reference(Task, _("task"), "comments")
    author = user_reference(_("author"), blank=False)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["task_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.text[:40]}"
