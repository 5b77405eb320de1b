from django.db import models
from django.utils.translation import gettext_lazy as _

from thenchot.discipline import rules


class DisciplineForm(models.TextChoices):
    REPRIMAND = rules.REPRIMAND, _("Reprimand (khiển trách)")
    WARNING = rules.WARNING, _("Warning (cảnh cáo)")
    SALARY_STEP_DOWN = rules.SALARY_STEP_DOWN, _("Salary step-down (hạ bậc lương)")
    DEMOTION = rules.DEMOTION, _("Demotion (giáng chức)")
    REMOVAL_FROM_POST = rules.REMOVAL_FROM_POST, _("Removal from post (cách chức)")
    DISMISSAL_FROM_OFFICE = rules.DISMISSAL_FROM_OFFICE, _("Dismissal from office (bãi nhiệm)")
    FORCED_DISMISSAL = rules.FORCED_DISMISSAL, _("Forced dismissal (buộc thôi việc)")


class Track(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative")
    PARTY = "party", _("Party")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Under review")
    DECIDED = "decided", _("Decided")
    DROPPED = "dropped", _("Closed without discipline")


class PauseReason(models.TextChoices):
    # Decree 172/2025: the cases in which discipline is not yet considered.
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness or treatment")
    PREGNANCY = "pregnancy", _("Pregnancy")
    MATERNITY_LEAVE = "maternity_leave", _("Maternity leave")
    CHILD_UNDER_12_MONTHS = "child_under_12_months", _("Raising a child under 12 months")
    PROSECUTION = "prosecution", _("Prosecuted, held or detained")


RESTRICTION_LABELS = {
    rules.NO_HIGHER_POST: _(
        "No rank promotion, planning, training or appointment to a higher post until %(date)s"
    ),
    rules.NO_APPOINTMENT: _(
        "No rank promotion, planning, training or appointment to any post until %(date)s"
    ),
    rules.SALARY_STEP_DELAY: _("Regular salary step delayed by 6 months (window ends %(date)s)"),
}
