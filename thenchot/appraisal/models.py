"""Evaluation periods per agency, evaluations keyed by (staff, period), the decisions around them
(collective ratings of department heads, reopening) and the administrator's parameter versions
of the rule packs.

The levels themselves are decided by the pure rule packs (`appraisal.rules`); these records
keep the inputs (points, evidence, reviews), the workflow state and what the close wrote (final
level, score, the trace as `reasons`). A closed period keeps the pack versions and parameters it
was closed with, so a later change of parameters never changes it.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from thenchot.appraisal.choices import (
    CollectiveBody,
    Decree90Step,
    EvaluationStatus,
    Level,
    PeriodKind,
    PeriodStatus,
    QuotaGroupChoice,
    QuotaOverrideBase,
)
from thenchot.core.fields import parent_reference, points_field, reference, user_reference
from thenchot.core.models import VersionedModel, check, not_before, unique


class EvaluationPeriod(VersionedModel):
    """One period (a month, a quarter where the pack says so, or a year) of one agency."""

    agency = reference("org.Unit", _("agency"), "evaluation_periods")
    code = models.CharField(_("period"), max_length=7, help_text=_("YYYY-MM, YYYY-Qn or YYYY"))
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    self_due = models.DateField(_("self-assessment due"))
    review_due = models.DateField(_("review due"))
    approval_due = models.DateField(_("approval due"))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = user_reference(_("closed by"))
    # {pack id: {"pack_version", "parameter_set", "params"}} as used at the close (immutable).
    pack_params = models.JSONField(_("rule pack parameters used"), default=dict, blank=True)
    # The use of the quota per agency and group at the close (for the personnel view).
    quota_use = models.JSONField(_("quota use"), default=list, blank=True)
    # A different quota for this agency and period is a `QuotaOverride` record of its own.

    class Meta:
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        ordering = ["-starts_on", "agency_id"]
        constraints = [
            unique(
                ["agency", "code"],
                name="appraisal_period_agency_code_unique",
                message=_("This agency already has this period."),
            ),
            not_before(
                "ends_on",
                "starts_on",
                name="appraisal_period_range",
                message=_("A period cannot end before it starts."),
            ),
            check(
                Q(review_due__gte=F("self_due"), approval_due__gte=F("review_due")),
                name="appraisal_period_step_order",
                message=_("Deadlines must follow the steps: self-assessment, review, approval."),
            ),
        ]
        indexes = [models.Index(fields=["code", "status"], name="appraisal_period_code_idx")]

    def __str__(self) -> str:
        return f"{self.code} / {self.agency_id}"

    @property
    def is_closed(self) -> bool:
        return self.status == PeriodStatus.CLOSED


class QuotaOverride(VersionedModel):
    """A different quota for one agency, period and group, by a recorded decision of the competent
    authority (rules.md "Settled points" 14): QĐ 3814's exceptional collective (40% of the
    headcount), Decree 48/2023 art. 1 cl. 6 and Decree 335/2025's other rate for an outstanding
    organisation. The close uses it instead of the pack's default and its trace names the
    decision. Keyed like the interchange section `quota_overrides`: (agency, period, group)."""

    agency = reference("org.Unit", _("agency"))
    period_code = models.CharField(
        _("period"), max_length=7, help_text=_("YYYY-MM, YYYY-Qn or YYYY")
    )
    group = models.CharField(
        _("group"), max_length=20, choices=QuotaGroupChoice.choices, default=QuotaGroupChoice.ALL
    )
    ratio = models.DecimalField(
        _("ratio (percent)"), max_digits=5, decimal_places=2, help_text=_("For example 40.")
    )
    base = models.CharField(
        _("ratio of"),
        max_length=20,
        choices=QuotaOverrideBase.choices,
        blank=True,
        help_text=_("Empty: the rule pack's base."),
    )
    decision_number = models.CharField(_("decision number"), max_length=120)
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = user_reference(_("recorded by"))

    class Meta:
        verbose_name = _("quota override")
        verbose_name_plural = _("quota overrides")
        ordering = ["-period_code", "agency_id", "group"]
        constraints = [
            unique(
                ["agency", "period_code", "group"],
                name="appraisal_quota_override_unique",
                message=_("This agency already has a quota override for this period and group."),
            ),
            check(
                Q(ratio__gte=0, ratio__lte=100),
                name="appraisal_quota_override_ratio_percent",
                message=_("A quota ratio is a percentage between 0 and 100."),
            ),
            check(
                ~Q(decision_number=""),
                name="appraisal_quota_override_decision",
                message=_("A quota override needs the decision's number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_code} / {self.agency_id} / {self.group}: {self.decision_number}"


class ClosedLevelCount(models.Model):
    """How many people of a unit a closed period gave each final level: the report's figures
    read these few rows instead of every evaluation. Made on first read of a closed period and
    kept while its `closed_at` stands (a closed period is immutable; reopening and closing again
    gives it a new `closed_at`, and the rows are made again)."""

    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    closed_at = models.DateTimeField(null=True)  # none for a period imported closed
    unit_id = models.IntegerField()
    level = models.CharField(max_length=20)
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            unique(["period", "unit_id", "level"], name="appraisal_closed_level_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.period_id} / {self.unit_id} / {self.level}: {self.n}"


class AgencyRating(VersionedModel):
    """An agency's own rating for a year under Decree 335/2025 (rules.md: "Agencies themselves
    are rated on the same 100-point scale"): the points its rater gave, the counts of the tasks
    its units led that fell due in the year (as of the year's last day, or the day of rating
    while the year runs), and the level with its reasons (`rules.rate_agency`)."""

    agency = reference("org.Unit", _("agency"))
    period_code = models.CharField(_("year"), max_length=4)
    general_points = points_field(_("general points"))
    result_points = points_field(_("result points"))
    score = points_field(_("score"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    tasks_due = models.PositiveIntegerField(_("tasks due"), default=0)
    tasks_completed = models.PositiveIntegerField(_("tasks completed"), default=0)
    tasks_on_time = models.PositiveIntegerField(_("tasks on time"), default=0)
    tasks_good = models.PositiveIntegerField(_("tasks on time with good quality"), default=0)
    rated_on = models.DateField(_("rated on"))
    rated_by = user_reference(_("rated by"))

    class Meta:
        verbose_name = _("agency rating")
        verbose_name_plural = _("agency ratings")
        ordering = ["-period_code", "agency__code"]
        constraints = [
            unique(["agency", "period_code"], name="appraisal_agency_rating_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.period_code} / {self.agency_id}: {self.level}"


class DeputyField(VersionedModel):
    """A field assigned to a deputy head: a unit (and what lies under it) the deputy is in charge
    of, from `valid_from` to `valid_to` (rules.md `decree-335-2025`: "Deputies are assessed the
    same way within the fields assigned to them"). A deputy with no field recorded answers for
    the whole unit they are deputy of."""

    staff = reference("people.Staff", _("deputy"))
    unit = reference("org.Unit", _("field (unit)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("deputy's assigned field")
        verbose_name_plural = _("deputies' assigned fields")
        ordering = ["staff_id", "valid_from", "unit_id"]
        constraints = [
            not_before(
                "valid_to", "valid_from", name="appraisal_deputy_field_dates", later_optional=True
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} → {self.unit_id}"


class Decree90Record(VersionedModel):
    """One step of a person's Decree 90 rating for a year (rules.md `decree-90-2020`,
    "Workflow"): when it was done, the document (the form number for the self-assessment, the
    minutes, the opinion, the proposal, the decision, the notice) and who recorded it."""

    staff = reference("people.Staff", _("staff"))
    year = models.PositiveSmallIntegerField(_("year"))
    step = models.CharField(_("step"), max_length=30, choices=Decree90Step.choices)
    done_on = models.DateField(_("done on"))
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = user_reference(_("recorded by"))

    class Meta:
        verbose_name = _("Decree 90 rating step")
        verbose_name_plural = _("Decree 90 rating steps")
        ordering = ["staff_id", "year", "done_on", "pk"]
        constraints = [unique(["staff", "year", "step"], name="appraisal_decree90_step_once")]

    def __str__(self) -> str:
        return f"{self.staff_id} / {self.year}: {self.step}"


class CollectiveDecision(VersionedModel):
    """A collective rating of heads (rules.md "Who rates whom"): by the City People's Committee's
    leadership, chaired by the Chairman, for heads of departments and of units directly under it;
    by the Party Secretary with the Standing Board for heads of Party boards and mass
    organisations."""

    body = models.CharField(
        _("deciding body"),
        max_length=30,
        choices=CollectiveBody.choices,
        default=CollectiveBody.CITY_COMMITTEE,
    )
    number = models.CharField(_("decision number"), max_length=60, unique=True)
    decided_on = models.DateField(_("decided on"))
    chaired_by = models.CharField(_("chaired by"), max_length=200)
    summary = models.TextField(_("minutes / summary"), blank=True)
    recorded_by = user_reference(_("recorded by"))

    class Meta:
        verbose_name = _("collective decision")
        verbose_name_plural = _("collective decisions")
        ordering = ["-decided_on", "number"]

    def __str__(self) -> str:
        return self.number


class Evaluation(VersionedModel):
    """One person's evaluation for one period of their agency."""

    # The close audits every evaluation on its period's one bulk line (core.auditing.MEMBERS).
    audit_parent = "period"

    # Both FKs are the leading columns of a composite index below (no single-column index:
    # fewer indexes to maintain when a city's month is written at the close).
    period = reference(EvaluationPeriod, _("period"), "evaluations", db_index=False)
    staff = reference("people.Staff", _("staff member"), "evaluations", db_index=False)
    # The person's unit in the period (their division or unit): who reviews, and the board.
    # Indexed with the period's code below: a manager's list and board ask a month of units.
    unit = reference("org.Unit", _("unit"), db_index=False)
    # The period's code copied from `period` ("2026-03"): one evaluation per person and period
    # whichever agency holds it (a transfer never gives a person two results for one month).
    period_code = models.CharField(_("period code"), max_length=7)
    category = models.CharField(_("category"), max_length=20)
    is_leader = models.BooleanField(_("leader or manager"), default=False)
    is_head = models.BooleanField(_("head of the unit"), default=False)
    rule_pack = models.CharField(_("rule pack"), max_length=40)
    pack_version = models.CharField(_("rule pack version"), max_length=20, blank=True)
    # -- the person's self-assessment ------------------------------------------------------------
    general_points = points_field(_("general / discipline and ethics points"), optional=True)
    task_points = points_field(_("task points"), optional=True)
    bonus_points = points_field(_("bonus points"), optional=True)
    # The pre-filled task points' calculation, as shown to the person (rules.tasks.TaskResult
    # plus the tasks it came from).
    task_calculation = models.JSONField(_("task points calculation"), default=dict, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    proposed_level = models.CharField(
        _("proposed level"), max_length=20, choices=Level.choices, blank=True
    )
    self_assessed_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    submitted_late = models.BooleanField(_("self-assessed after the deadline"), default=False)
    # -- the direct manager's review -------------------------------------------------------------
    reviewed_general_points = points_field(_("reviewed general points"), optional=True)
    reviewed_task_points = points_field(_("reviewed task points"), optional=True)
    reviewed_bonus_points = points_field(_("reviewed bonus points"), optional=True)
    reviewed_level = models.CharField(
        _("level proposed by the reviewer"), max_length=20, choices=Level.choices, blank=True
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = user_reference(
        _("reviewed by"),
        db_index=False,  # never searched by; an index would cost every close's UPDATE
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    handled_by_manager = models.BooleanField(
        _("handled by the manager (no self-assessment by the deadline)"), default=False
    )
    # -- approval ----------------------------------------------------------------------------------
    approved_by = user_reference(
        _("approved by"),
        db_index=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_comment = models.TextField(_("approval comment"), blank=True)
    # No index: a decision rates a handful of heads; looked up from the evaluation.
    collective_decision = reference(
        CollectiveDecision, _("collective decision"), "evaluations", optional=True, db_index=False
    )
    # The head's choice when a quota conflict is resolved by hand: this person moves down.
    quota_demoted = models.BooleanField(_("moved down by the head for the quota"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    # -- the result (written by the close, or imported as history) -------------------------------
    final_level = models.CharField(
        _("final level"), max_length=20, choices=Level.choices, blank=True
    )
    score = points_field(_("score"), optional=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    imported = models.BooleanField(_("imported history"), default=False)
    # -- Decree 90 counts given by the evaluation itself (rules.md "Settled points" 2: where the
    # person's tasks are not in the system); empty: counted from the tasks at the close.
    own_tasks_due = models.PositiveIntegerField(_("own tasks due"), null=True, blank=True)
    own_tasks_completed = models.PositiveIntegerField(
        _("own tasks completed"), null=True, blank=True
    )
    own_tasks_on_time = models.PositiveIntegerField(
        _("own tasks completed on time"), null=True, blank=True
    )
    own_tasks_exceeded = models.PositiveIntegerField(_("own tasks exceeded"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["period_id", "staff_id"]
        constraints = [
            unique(
                ["staff", "period_code"],
                name="appraisal_eval_staff_period_unique",
                message=_("This person already has an evaluation for the period."),
            ),
            check(
                (Q(general_points__isnull=True) | Q(general_points__gte=0))
                & (Q(task_points__isnull=True) | Q(task_points__gte=0))
                & (Q(bonus_points__isnull=True) | Q(bonus_points__gte=0))
                & (Q(reviewed_general_points__isnull=True) | Q(reviewed_general_points__gte=0))
                & (Q(reviewed_task_points__isnull=True) | Q(reviewed_task_points__gte=0))
                & (Q(reviewed_bonus_points__isnull=True) | Q(reviewed_bonus_points__gte=0)),
                name="appraisal_eval_points_non_negative",
                message=_("Points cannot be negative."),
            ),
            check(
                Q(
                    own_tasks_due__isnull=True,
                    own_tasks_completed__isnull=True,
                    own_tasks_on_time__isnull=True,
                    own_tasks_exceeded__isnull=True,
                )
                | Q(
                    own_tasks_completed__lte=F("own_tasks_due"),
                    own_tasks_on_time__lte=F("own_tasks_completed"),
                    own_tasks_exceeded__lte=F("own_tasks_completed"),
                ),
                name="appraisal_eval_own_tasks_counts",
                message=_(
                    "Own task counts go together: on time ≤ completed ≤ due, exceeded ≤ completed."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["period", "unit"], name="appraisal_eval_period_unit_idx"),
            models.Index(fields=["unit", "period_code"], name="appraisal_eval_unit_code_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.period_id}"

    def effective_points(self) -> dict[str, Decimal | None]:
        """The points the close uses: the reviewer's where given, else the person's."""
        return {
            "general": _pick(self.reviewed_general_points, self.general_points),
            "tasks": _pick(self.reviewed_task_points, self.task_points),
            "bonus": _pick(self.reviewed_bonus_points, self.bonus_points),
        }


def _pick(first: Decimal | None, second: Decimal | None) -> Decimal | None:
    return first if first is not None else second


class PackParameterSet(models.Model):
    """One version of an administrator's parameters for a rule pack (validated by the pack).

    The newest set of a pack is used by the next close; a closed period keeps a copy of what it
    was closed with (`EvaluationPeriod.pack_params`)."""

    pack = models.CharField(_("rule pack"), max_length=40)
    number = models.PositiveIntegerField(_("parameter version"))
    params = models.JSONField(_("parameters"))
    reason = models.TextField(_("reason"))
    created_by = user_reference(_("changed by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule pack parameter version")
        verbose_name_plural = _("rule pack parameter versions")
        ordering = ["pack", "-number"]
        constraints = [
            unique(
                ["pack", "number"],
                name="appraisal_params_pack_number_unique",
                message=_("This parameter version already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pack} #{self.number}"


class ReopenDecision(models.Model):
    """The recorded decision that reopened a closed period."""

    period = parent_reference(EvaluationPeriod, _("period"), "reopenings")
    decision = models.CharField(_("decision"), max_length=120)
    # The date the decision was signed, which may be days before it is recorded here; never
    # before the period's close nor in the future (checked by `reopening.reopen_period`).
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reason"))
    decided_by = user_reference(_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reopening decision")
        verbose_name_plural = _("reopening decisions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.period_id}: {self.decision}"
