"""Who may do what in the reform index, and the scoped reads.

- The council (decides disagreements, opens and moves the round, manages the framework,
  publishes): the city-wide roles, and the personnel officers and unit heads of the round's
  council secretariat (the Department of Home Affairs).
- A unit's self-score: its managers — a unit head, personnel officer or division manager whose
  granted subtree holds the unit — and administrators.
- An appraisal: the managers of an appraiser unit assigned to the assessed unit in the round.
- Reading scores: a unit's scores are read by those who read the unit, by its appraisers'
  managers and by the council; the published ranking by every signed-in user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Q, QuerySet

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import Scope
from thenchot.core.registry import RecordAccess
from thenchot.org.tree import tree
from thenchot.reform.choices import RoundStatus
from thenchot.reform.models import AppraiserAssignment, AssessmentRound, Framework, Score

MANAGER_ROLES = (Role.UNIT_HEAD, Role.PERSONNEL, Role.DIVISION_MANAGER)
SECRETARIAT_ROLES = (Role.UNIT_HEAD, Role.PERSONNEL)


def round_of(year: int) -> AssessmentRound | None:
    return AssessmentRound.objects.filter(year=year).select_related("secretariat_unit").first()


def _secretariat_id(year: int | None) -> int | None:
    qs = AssessmentRound.objects.exclude(secretariat_unit=None)
    if year is not None:
        qs = qs.filter(year__lte=year)
    return qs.order_by("-year").values_list("secretariat_unit_id", flat=True).first()


def is_council(scope: Scope, year: int | None = None) -> bool:
    if scope.is_anonymous:
        return False
    if scope.city_wide:
        return True
    secretariat = _secretariat_id(year)
    return (
        secretariat is not None
        and scope.has_role(*SECRETARIAT_ROLES)
        and secretariat in scope.read_units
    )


def can_self_score(scope: Scope, unit_id: int) -> bool:
    if scope.is_anonymous:
        return False
    info = tree().units.get(unit_id)
    if info is None or (info.valid_to is not None and info.valid_to < scope.on):
        return False
    if scope.has_role(Role.ADMIN):
        return True
    return scope.has_role(*MANAGER_ROLES) and unit_id in scope.read_units


def appraiser_units_of(scope: Scope, rnd: AssessmentRound, assessed_id: int) -> list[int]:
    """The assigned appraiser units of `assessed_id` this scope appraises for."""
    ids = AppraiserAssignment.objects.filter(round=rnd, assessed_unit_id=assessed_id).values_list(
        "appraiser_unit_id", flat=True
    )
    return [u for u in ids if can_self_score(scope, u)]


def appraised_by(scope: Scope, rnd: AssessmentRound) -> QuerySet[AppraiserAssignment]:
    """The assignments whose appraiser unit this scope acts for."""
    qs = AppraiserAssignment.objects.filter(round=rnd).select_related(
        "appraiser_unit", "assessed_unit"
    )
    if scope.has_role(Role.ADMIN):
        return qs
    if not scope.has_role(*MANAGER_ROLES):
        return qs.none()
    return qs.filter(appraiser_unit_id__in=sorted(scope.read_units))


def score_read_q(scope: Scope, year: int | None = None) -> Q:
    if scope.is_anonymous:
        return Q(pk__in=[])
    if is_council(scope, year):
        return Q()
    q = scope.unit_filter("unit_id")
    if scope.has_role(*MANAGER_ROLES) and scope.read_units:
        appraised = AppraiserAssignment.objects.filter(
            appraiser_unit_id__in=sorted(scope.read_units)
        ).values_list("assessed_unit_id", "round__year")
        for unit_id, y in appraised:
            q |= Q(unit_id=unit_id, criterion__framework__year=y)
    return q


def scores_queryset(scope: Scope, year: int | None = None) -> QuerySet[Score]:
    qs = Score.objects.filter(score_read_q(scope, year)).select_related(
        "unit", "criterion", "criterion__content", "appraiser_unit"
    )
    if year is not None:
        qs = qs.filter(criterion__framework__year=year)
    return qs


def frameworks_queryset(scope: Scope) -> QuerySet[Framework]:
    """Frameworks are the City's published rules: every signed-in user reads them."""
    if scope.is_anonymous:
        return Framework.objects.none()
    return Framework.objects.all()


def can_read_live(scope: Scope, year: int) -> bool:
    return is_council(scope, year)


def can_read_score(scope: Scope, score: Score) -> bool:
    return scores_queryset(scope).filter(pk=score.pk).exists()


def _score_access(scope: Scope, instance: Any) -> bool:
    return can_read_score(scope, instance)


RECORD_ACCESS: dict[str, RecordAccess] = {"reform.score": _score_access}


def disagreements(rnd: AssessmentRound) -> QuerySet[Score]:
    """Scores whose appraisal differs from the self-score (or that the council decided)."""
    return (
        Score.objects.filter(
            criterion__framework__year=rnd.year,
            appraised_points__isnull=False,
        )
        .filter(
            Q(self_points__isnull=True)
            | ~Q(self_points=F("appraised_points"))
            | Q(council_points__isnull=False)
        )
        .select_related("unit", "criterion", "appraiser_unit")
        .order_by("unit__code", "criterion__position", "criterion__code")
    )


def stage_deadline(rnd: AssessmentRound) -> dt.date | None:
    return {
        RoundStatus.OPEN: rnd.self_scoring_deadline,
        RoundStatus.SELF_SCORING: rnd.self_scoring_deadline,
        RoundStatus.APPRAISING: rnd.appraisal_deadline,
        RoundStatus.COUNCIL: rnd.council_deadline,
    }.get(RoundStatus(rnd.status))
