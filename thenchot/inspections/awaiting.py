"""What awaits a person in inspections (the home page's to-do list): remediation reports that
their conducting side is to accept or return, and their units' recommendations overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thenchot.core.awaiting import Awaiting, awaiting_sources
from thenchot.inspections.choices import RecommendationStatus
from thenchot.inspections.selectors import authority_for, recommendation_queryset


def awaiting(*, scope: Any, user: Any, on: dt.date) -> Iterator[Awaiting]:
    authority = authority_for(user, on, scope=scope)
    if not authority.admin and not authority.managed:
        return
    recommendations = recommendation_queryset(scope, on)
    if not authority.admin:
        managed = sorted(authority.managed)
        to_check = recommendations.filter(inspection__conducted_by_id__in=managed)
        to_remedy = recommendations.filter(responsible_unit_id__in=managed)
    else:
        to_check = to_remedy = recommendations
    url = reverse("inspections:recommendations")
    yield Awaiting(
        key="inspections.reports",
        label=_("Remediation reports to check"),
        count=to_check.filter(status=RecommendationStatus.AWAITING_REVIEW).count(),
        url=f"{url}?{urlencode({'status': RecommendationStatus.AWAITING_REVIEW})}",
    )
    yield Awaiting(
        key="inspections.overdue",
        label=_("Recommendations overdue for my units"),
        count=to_remedy.filter(status=RecommendationStatus.OVERDUE).count(),
        url=f"{url}?{urlencode({'status': RecommendationStatus.OVERDUE})}",
        urgent=True,
    )


awaiting_sources.register("inspections", awaiting, order=50)
