"""Open recommendations as a source of due dates for the reminder job (contract: `core.due`).

Policy key "inspections.recommendation". An item is a recommendation not done on `on` and with
no remediation report awaiting review (the unit has answered; the inspectors are the ones to
act), whose due date is one of the reminder days (or, when `overdue`, has passed). Reminded:
the heads of the responsible unit on `on`; escalated to: the heads of the conducting unit.
Two queries whatever the number of recommendations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from thenchot.core.due import DueItem, item_title, user_ids
from thenchot.core.due_window import due_window
from thenchot.inspections.choices import ReportStatus
from thenchot.inspections.models import Recommendation, RemediationReport
from thenchot.people.selectors import head_user_ids

POLICY_KEY = "inspections.recommendation"


def recommendation_url(inspection_code: str, code: str) -> str:
    from django.urls import reverse

    return reverse("inspections:detail", args=[inspection_code]) + f"#rec-{code}"


class RecommendationDueSource:
    policy_key = POLICY_KEY

    def items(self, *, on: dt.date, due_dates: set[dt.date], overdue: bool) -> Iterable[DueItem]:
        when = due_window("due_on", on=on, due_dates=due_dates, overdue=overdue)
        pending = RemediationReport.objects.filter(
            recommendation_id=OuterRef("pk"), status=ReportStatus.PENDING
        )
        rows = list(
            Recommendation.objects.filter(Q(done_on__isnull=True) | Q(done_on__gt=on))
            .filter(when)
            .exclude(Exists(pending))
            .values_list(
                "pk",
                "code",
                "text",
                "due_on",
                "responsible_unit_id",
                "inspection__code",
                "inspection__conducted_by_id",
            )
            .order_by("pk")
        )
        units = {r[4] for r in rows} | {r[6] for r in rows}
        heads = head_user_ids(units, on) if units else {}
        for pk, code, text, due_on, responsible, inspection_code, conductor in rows:
            yield DueItem(
                model_label=POLICY_KEY,
                object_id=pk,
                title=item_title(code, text),
                due_on=due_on,
                url=recommendation_url(inspection_code, code),
                recipients=user_ids(heads.get(responsible, ())),
                escalate_to=user_ids(heads.get(conductor, ())),
            )


recommendation_due_source = RecommendationDueSource()
