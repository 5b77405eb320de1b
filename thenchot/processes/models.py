"""Internal work procedures (quy trình nội bộ, ISO) and the cases (hồ sơ) that go through them.

A procedure is keyed by code and version: a new version is a new record, approved on its own
date, so a case started on an earlier version keeps the steps and limits it started with. A
retired procedure is frozen. A case copies its procedure's steps into `CaseStep` rows when it
starts; each row carries its due date (computed on the working-day calendar), who held it and
when it was finished, so "who holds it now" and "how long each step took" are read, not guessed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.choices import Role
from thenchot.core.codes import AddressableCode
from thenchot.core.fields import parent_reference, reference, user_reference
from thenchot.core.models import Searchable, StoredFile, VersionedModel, check, not_before, unique
from thenchot.processes.choices import DocumentKind, IntakeEventKind, Level

PROCESS_CODE = AddressableCode("processes:detail")
CASE_CODE = AddressableCode("processes:case")


class Process(Searchable, VersionedModel):
    code = models.CharField(_("code"), max_length=60, validators=[PROCESS_CODE])
    number = models.PositiveSmallIntegerField(_("procedure version"), default=1)
    name = models.CharField(_("name"), max_length=500)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    owner_unit = reference("org.Unit", _("owner unit"), "processes")
    decision_number = models.CharField(_("approval decision number"), max_length=60, blank=True)
    approved_on = models.DateField(_("approved on"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    # The sum of the steps' limits, kept by the services (statistics read it without a join).
    total_days = models.PositiveIntegerField(_("total limit (working days)"), default=0)
    # Folded code and name (`core.models.Searchable`); bulk paths set it with
    # `process_search_text`.
    search_text = models.CharField(_("search text"), max_length=600, blank=True, editable=False)
    search_from = ("code", "name")
    created_by = user_reference(_("created by"))

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code", "number"]
        constraints = [
            unique(
                ["code", "number"],
                name="proc_process_code_version",
                message=_("This procedure already has this version."),
            ),
            check(
                Q(number__gte=1),
                name="proc_process_version_positive",
                message=_("The version must be 1 or more."),
            ),
            not_before(
                "retired_on",
                "approved_on",
                name="proc_process_retired_after_approved",
                message=_("A procedure cannot be retired before it is approved."),
                later_optional=True,
            ),
        ]
        indexes = [
            models.Index(fields=["level", "approved_on"], name="proc_level_approved_idx"),
            models.Index(fields=["owner_unit", "approved_on"], name="proc_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.number} — {self.name}"

    def in_force_on(self, on: Any) -> bool:
        return self.approved_on <= on and (self.retired_on is None or self.retired_on > on)


process_search_text = Process.search_text_of


class ProcessStep(models.Model):
    audit_parent = "process"

    process = parent_reference(Process, _("procedure"), "steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=300)
    responsible_unit = reference("org.Unit", _("responsible unit"), optional=True)
    responsible_role = models.CharField(
        _("responsible role"), max_length=30, choices=Role.choices, blank=True
    )
    days = models.IntegerField(_("limit (working days)"))

    class Meta:
        verbose_name = _("procedure step")
        verbose_name_plural = _("procedure steps")
        ordering = ["process_id", "position"]
        constraints = [
            unique(
                ["process", "position"],
                name="proc_step_position_once",
                message=_("Two steps cannot share a position."),
            ),
            check(
                Q(days__gt=0),
                name="proc_step_days_positive",
                message=_("A step's limit must be at least one working day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name} ({self.days})"


class ProcessDocument(StoredFile):
    """An ISO document of the procedure: a form to fill or a record it keeps."""

    audit_parent = "process"

    process = parent_reference(Process, _("procedure"), "documents")
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to="processes/%Y/%m/")

    class Meta:
        verbose_name = _("procedure document")
        verbose_name_plural = _("procedure documents")
        ordering = ["process_id", "kind", "name"]


class Case(VersionedModel):
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[CASE_CODE])
    process = reference(Process, _("procedure"), "cases")
    # The procedure's owner unit, copied so that scoping and statistics need no join.
    unit = reference("org.Unit", _("unit"), "cases")
    applicant = models.CharField(_("applicant"), max_length=300, blank=True)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("due on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # The position of the step being worked on; 0 once every step is done.
    current_position = models.PositiveSmallIntegerField(_("current step"), default=1)
    # One-stop-shop practice: a late case carries the reason and the apology letter sent.
    late_reason = models.TextField(_("reason for the delay"), blank=True)
    apology_number = models.CharField(_("apology letter number"), max_length=60, blank=True)
    apology_on = models.DateField(_("apology letter date"), null=True, blank=True)
    # Sent back to the applicant for missing papers (one-stop-shop practice): the case waits
    # with them, off the clock, until resubmitted; then it starts again from its new receipt
    # date and `first_received_on` keeps the first one (each receipt is a `CaseReturn`).
    returned_on = models.DateField(_("returned to the applicant on"), null=True, blank=True)
    first_received_on = models.DateField(_("first received on"), null=True, blank=True)
    created_by = user_reference(_("created by"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_on", "code"]
        constraints = [
            not_before(
                "completed_on",
                "received_on",
                name="proc_case_completed_after_received",
                message=_("A case cannot be completed before it is received."),
                later_optional=True,
            ),
            not_before(
                "due_on",
                "received_on",
                name="proc_case_due_after_received",
                message=_("A case cannot be due before it is received."),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "received_on"], name="proc_case_unit_idx"),
            models.Index(fields=["received_on"], name="proc_case_received_idx"),
            models.Index(fields=["completed_on", "due_on"], name="proc_case_open_idx"),
            models.Index(fields=["process"], name="proc_case_process_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.completed_on is None


class CaseStep(models.Model):
    """One step of one case: its due date, who finished it and when."""

    audit_parent = "case"

    case = parent_reference(Case, _("case"), "steps")
    step = reference(ProcessStep, _("procedure step"))
    position = models.PositiveSmallIntegerField(_("position"))
    started_on = models.DateField(_("started on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completed_by = user_reference(_("completed by"), db_index=False)
    held_by_name = models.CharField(_("held by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case_id", "position"]
        constraints = [
            unique(
                ["case", "position"],
                name="proc_casestep_position_once",
                message=_("Two steps of a case cannot share a position."),
            ),
            not_before(
                "completed_on",
                "started_on",
                name="proc_casestep_completed_after_started",
                message=_("A step cannot be finished before it starts."),
                later_optional=True,
                earlier_optional=True,
            ),
        ]
        indexes = [
            models.Index(fields=["completed_on", "due_on"], name="proc_casestep_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.position}"


class CaseReturn(models.Model):
    """One receipt of a case that was sent back to the applicant for missing papers."""

    audit_parent = "case"

    case = parent_reference(Case, _("case"), "returns")
    received_on = models.DateField(_("received on"))
    returned_on = models.DateField(_("returned on"))
    reason = models.TextField(_("missing papers"), blank=True)
    resubmitted_on = models.DateField(_("resubmitted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("case return")
        verbose_name_plural = _("case returns")
        ordering = ["case_id", "returned_on", "pk"]
        constraints = [
            not_before(
                "returned_on",
                "received_on",
                name="proc_casereturn_after_received",
                message=_("A case cannot be returned before it is received."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ↩ {self.returned_on}"


class IntakeSystem(models.Model):
    """A one-stop-shop system that sends case events (`processes.intake`). It holds a token
    (only its SHA-256 is stored) and sends for the cases of its units and their subtrees."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    units = models.ManyToManyField(
        "org.Unit", verbose_name=_("units it sends for"), related_name="+"
    )
    # The account the audit log names for the changes its events make.
    user = reference(settings.AUTH_USER_MODEL, _("audit account"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sending system")
        verbose_name_plural = _("sending systems")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class IntakeEvent(models.Model):
    """An event a system sent, kept with the answer given: a repeat of its `event_id` is
    answered with the same answer and changes nothing."""

    system = reference(IntakeSystem, _("sending system"))
    event_id = models.CharField(_("event id"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=IntakeEventKind.choices)
    case = reference(Case, _("case"), on_delete=models.SET_NULL, optional=True)
    case_code = models.CharField(_("case code"), max_length=60, blank=True)
    on = models.DateField(_("date"), null=True, blank=True)
    accepted = models.BooleanField(_("accepted"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"))
    response = models.JSONField(_("answer"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intake event")
        verbose_name_plural = _("intake events")
        ordering = ["pk"]
        constraints = [
            unique(
                ["system", "event_id"],
                name="proc_intake_event_once",
                message=_("This event was already received."),
            ),
        ]
        indexes = [models.Index(fields=["case", "on"], name="proc_intake_case_idx")]

    def __str__(self) -> str:
        return f"{self.system_id}:{self.event_id}"


__all__ = [
    "Case",
    "CaseReturn",
    "CaseStep",
    "IntakeEvent",
    "IntakeSystem",
    "Process",
    "ProcessDocument",
    "ProcessStep",
]
