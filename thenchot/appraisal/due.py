"""Evaluation steps as a source of due dates for the reminder job (contract: `core.due`).

Policy key "appraisal.step". In an open period, an evaluation's open step and its deadline:
- draft or returned: the self-assessment (`self_due`), reminding the person, escalated to the
  heads of the person's unit;
- self-assessed: the review (`review_due`), reminding the heads of the person's unit, escalated
  to the heads of the agency;
- reviewed: the approval (`approval_due`), reminding the heads of the agency.
Three queries whatever the number of evaluations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation
from thenchot.core.due import DueItem
from thenchot.people.selectors import head_user_ids

POLICY_KEY = "appraisal.step"
STEPS = (
    ((EvaluationStatus.DRAFT, EvaluationStatus.RETURNED), "period__self_due", "self"),
    ((EvaluationStatus.SELF_ASSESSED,), "period__review_due", "review"),
    ((EvaluationStatus.REVIEWED,), "period__approval_due", "approval"),
)


def evaluation_url(pk: int) -> str:
    return f"/appraisal/evaluations/{pk}/"


class StepDueSource:
    policy_key = POLICY_KEY

    def items(self, *, on: dt.date, due_dates: set[dt.date], overdue: bool) -> Iterable[DueItem]:

        when = Q(pk__in=[])
        for statuses, column, _step in STEPS:
            dates = Q(**{f"{column}__in": sorted(due_dates)}) if due_dates else Q(pk__in=[])
            if overdue:
                dates |= Q(**{f"{column}__lt": on})
            when |= Q(status__in=statuses) & dates
        rows = list(
            Evaluation.objects.filter(period__status=PeriodStatus.OPEN)
            .filter(when)
            .values_list(
                "pk",
                "status",
                "period_code",
                "staff__full_name",
                "staff__user_id",
                "unit_id",
                "period__agency_id",
                "period__self_due",
                "period__review_due",
                "period__approval_due",
            )
            .order_by("pk")
        )
        units = {r[5] for r in rows} | {r[6] for r in rows}
        heads = head_user_ids(units, on) if units else {}
        for pk, status, code, name, user_id, unit_id, agency_id, s_due, r_due, a_due in rows:
            unit_heads = heads.get(unit_id, [])
            agency_heads = heads.get(agency_id, [])
            if status in (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED):
                due, who, up, step = s_due, [user_id], unit_heads, "self-assessment"
            elif status == EvaluationStatus.SELF_ASSESSED:
                due, who, up, step = r_due, unit_heads, agency_heads, "review"
            else:
                due, who, up, step = a_due, agency_heads, [], "approval"
            recipients = _ids(who)
            if not recipients:
                continue
            yield DueItem(
                model_label=POLICY_KEY,
                object_id=pk,
                title=f"{code} — {name} ({step})"[:300],
                due_on=due,
                url=evaluation_url(pk),
                recipients=recipients,
                escalate_to=tuple(u for u in _ids(up) if u not in recipients),
            )


def _ids(values: Iterable[int | None]) -> tuple[int, ...]:
    return tuple(sorted({v for v in values if v is not None}))


step_due_source = StepDueSource()
