"""Open cases as a source of due dates for the reminder job (contract: `core.due`).

Policy key "processes.case". An item is a case open on `on` whose due date is one of the
reminder days (or, when `overdue`, has passed). Reminded: the heads of the unit holding the
current step (its responsible unit, else the owner unit); escalated to: the heads of the owner
unit. Two queries whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import F, Q
from django.urls import reverse

from thenchot.core.due import DueItem, item_title, user_ids
from thenchot.core.due_window import due_window
from thenchot.people.selectors import head_user_ids
from thenchot.processes.models import CaseStep

POLICY_KEY = "processes.case"


class CaseDueSource:
    policy_key = POLICY_KEY

    def items(self, *, on: dt.date, due_dates: set[dt.date], overdue: bool) -> Iterable[DueItem]:
        when = due_window("case__due_on", on=on, due_dates=due_dates, overdue=overdue)
        open_case = Q(case__completed_on__isnull=True) | Q(case__completed_on__gt=on)
        rows = list(
            CaseStep.objects.filter(open_case, when)
            .filter(position=F("case__current_position"))
            .values_list(
                "case_id",
                "case__code",
                "case__process__name",
                "case__due_on",
                "case__unit_id",
                "step__responsible_unit_id",
            )
            .order_by("case_id")
        )
        units = {r[4] for r in rows} | {r[5] for r in rows if r[5] is not None}
        heads = head_user_ids(units, on) if units else {}
        for case_id, code, name, due_on, owner, responsible in rows:
            holder = responsible or owner
            yield DueItem(
                model_label=POLICY_KEY,
                object_id=case_id,
                title=item_title(code, name),
                due_on=due_on,
                url=reverse("processes:case", args=[code]),
                recipients=user_ids(heads.get(holder, ())),
                escalate_to=user_ids(heads.get(owner, ())),
            )


case_due_source = CaseDueSource()
