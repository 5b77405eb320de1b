from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    SELF = "self", _("Self-scored with evidence")
    APPRAISED = "appraised", _("Appraised")
    SURVEY = "survey", _("From the survey")
    COMPUTED = "computed", _("Computed from the records")


class Source(models.TextChoices):
    ON_TIME_TASK_RATE = "on_time_task_rate", _("On-time task rate")
    CASE_ON_TIME_RATE = "case_on_time_rate", _("On-time case rate")
    RECOMMENDATIONS_DONE_RATE = "recommendations_done_rate", _("Inspection recommendations done")
    EVALUATION_COVERAGE = "evaluation_coverage", _("Evaluation coverage")
    SATISFACTION_INDEX = "satisfaction_index", _("Satisfaction index")


COMPUTED_SOURCES = (
    Source.ON_TIME_TASK_RATE,
    Source.CASE_ON_TIME_RATE,
    Source.RECOMMENDATIONS_DONE_RATE,
    Source.EVALUATION_COVERAGE,
)
SURVEY_SOURCES = (Source.SATISFACTION_INDEX,)


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SELF_SCORING = "self_scoring", _("Self-scoring")
    APPRAISING = "appraising", _("Appraising")
    COUNCIL = "council", _("Appraisal council")
    PUBLISHED = "published", _("Published")


ROUND_ORDER = [s.value for s in RoundStatus]


class PointsSource(models.TextChoices):
    """Where a criterion's points in the index came from."""

    COUNCIL = "council", _("Council decision")
    APPRAISED = "appraised", _("Appraisal")
    SELF = "self", _("Self-score")
    NONE = "none", _("Not scored")
    COMPUTED = "computed", _("Computed")
    SURVEY = "survey", _("Survey")


class RankGroup(models.TextChoices):
    DEPARTMENT = "department", _("Departments")
    DISTRICT = "district", _("Districts")
    LOCAL = "commune_ward", _("Communes and wards")
