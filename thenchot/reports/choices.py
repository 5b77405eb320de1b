from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class RunFormat(models.TextChoices):
    # "html": the figures only (kept in `result`), shown on the report page once built.
    HTML = "html", _("Page")
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"
