from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    RETURNED = "returned", _("Returned for revision")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


class CollectiveBody(models.TextChoices):
    """Who rates a head collectively (rules.md "Who rates whom", Hanoi 2022 amendment)."""

    CITY_COMMITTEE = "city_committee", _("The City People's Committee's leadership")
    PARTY_STANDING_BOARD = (
        "party_standing_board",
        _("The Party Secretary with the Standing Board of the City Party Committee"),
    )


class Level(models.TextChoices):
    """Values equal `rules.Level` (the interchange codes)."""

    EXCELLENT = "excellent", _("Excellent (Hoàn thành xuất sắc nhiệm vụ)")
    GOOD = "good", _("Good (Hoàn thành tốt nhiệm vụ)")
    COMPLETE = "complete", _("Complete (Hoàn thành nhiệm vụ)")
    NOT_COMPLETE = "not_complete", _("Not complete (Không hoàn thành nhiệm vụ)")
    NOT_RATED = "not_rated", _("Not rated")


# Statuses in which the person may (re)submit a self-assessment.
SELF_EDITABLE = {EvaluationStatus.DRAFT, EvaluationStatus.RETURNED, EvaluationStatus.SELF_ASSESSED}
# Statuses a reviewer may act on.
REVIEWABLE = {EvaluationStatus.SELF_ASSESSED, EvaluationStatus.REVIEWED}


class QuotaGroupChoice(models.TextChoices):
    """The group of an agency a quota override applies to (rules.md step 4: the pack's groups)."""

    ALL = "all", _("All")
    LEADERS = "leaders", _("Leaders")
    NON_LEADERS = "non_leaders", _("Non-leaders")


class QuotaOverrideBase(models.TextChoices):
    """What an override's ratio is a share of (rules.md "Settled points" 14)."""

    RATED = "rated", _("those rated")
    HEADCOUNT = "headcount", _("the headcount")
    GOOD_OR_BETTER = "good_or_better", _("those rated good or better")


class Decree90Step(models.TextChoices):
    """The steps of a Decree 90 year's rating, in order (rules.md `decree-90-2020`, "Workflow")."""

    SELF_ASSESSMENT = "self_assessment", _("Self-assessment on the form")
    # Only for a person transferred during the year after 6 months or more in another agency.
    FORMER_UNIT_COMMENTS = "former_unit_comments", _("The former agency's comments")
    MEETING = "meeting", _("Meeting, with minutes")
    PARTY_OPINION = "party_opinion", _("The Party committee's opinion (heads)")
    PERSONNEL_PROPOSAL = "personnel_proposal", _("The personnel unit's proposal")
    DECISION = "decision", _("Decision on the rating")
    NOTICE = "notice", _("Written notice to the person")
    PUBLICATION = "publication", _("Publication inside the agency")
