"""Reports built in the background (`ReportRun`) and the claims that make the monthly reports
for heads safe to run twice (`MonthlyReportClaim`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from thenchot.core.fields import parent_reference, reference
from thenchot.core.models import check, not_before, unique
from thenchot.reports.choices import RunFormat, RunStatus


class ReportRun(models.Model):
    """One report asked for (or sent every month), built by the `reports.build_run` job."""

    requested_by = parent_reference(settings.AUTH_USER_MODEL, _("requested by"), "report_runs")
    unit = parent_reference("org.Unit", _("unit"), "report_runs")
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    as_of = models.DateField(_("as of"))
    format = models.CharField(_("format"), max_length=10, choices=RunFormat.choices)
    # What the request said beyond the dates (the range chosen on the page), for the link back.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # The report's figures (report.md JSON), kept for the page and for the file's header.
    result = models.JSONField(_("figures"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    # Sent to the unit's heads every month: every head (and whoever may read the unit) may
    # download it, not only the person it was built for.
    scheduled = models.BooleanField(_("monthly report"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            not_before(
                "date_to",
                "date_from",
                name="reports_run_range",
                message=_("'To' cannot be before 'from'."),
            ),
            check(
                models.Q(progress__lte=100),
                name="reports_run_progress",
                message=_("Progress is a percentage."),
            ),
        ]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="reports_run_mine_idx")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.date_from}..{self.date_to} {self.format}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class MonthlyReportClaim(models.Model):
    """The monthly report of `unit` for `month` (its first day), sent at most once: the job
    inserts this row (the unique constraint refuses a second one) and only the worker whose
    conditional UPDATE takes `claimed_at` sends."""

    unit = parent_reference("org.Unit", _("unit"), "+")
    month = models.DateField(_("month"))
    claim = models.UUIDField(_("claim"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    run = reference(ReportRun, _("report"), on_delete=models.SET_NULL, optional=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("monthly report sent")
        verbose_name_plural = _("monthly reports sent")
        constraints = [
            unique(
                ["unit", "month"],
                name="reports_monthly_once",
                message=_("This unit's report for this month was already sent."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"
