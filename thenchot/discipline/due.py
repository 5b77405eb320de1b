"""Open discipline cases as a source of due dates (contract: `core.due`), policy key
"discipline.case".

The due date is the legal deadline to decide (90 or 150 days from detection, moved by pauses),
computed in Python from two queries (the open cases, their pauses) whatever their number.
Reminded: the officer who opened the case; escalated to: the heads of the person's agency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse

from thenchot.core.due import DueItem, item_title, user_ids
from thenchot.discipline import rules
from thenchot.discipline.choices import CaseStatus
from thenchot.discipline.models import DisciplineCase
from thenchot.discipline.selectors import pauses_by_case
from thenchot.org.tree import tree
from thenchot.people.selectors import head_user_ids

POLICY_KEY = "discipline.case"


def case_url(code: str) -> str:
    """The case's page. Through `reverse()`, not an f-string: a code may be an official number
    ("12/QĐ-KL") and may hold characters a path must quote."""
    return reverse("discipline:case", args=[code])


class CaseDueSource:
    policy_key = POLICY_KEY

    def items(self, *, on: dt.date, due_dates: set[dt.date], overdue: bool) -> Iterable[DueItem]:

        rows = list(
            DisciplineCase.objects.filter(status=CaseStatus.OPEN, detected_on__lte=on)
            .values_list(
                "pk",
                "code",
                "detected_on",
                "extended",
                "opened_by_id",
                "staff__unit_id",
                "staff__full_name",
            )
            .order_by("pk")
        )
        pauses = pauses_by_case(r[0] for r in rows)
        snap = tree()
        wanted = []
        for pk, code, detected, extended, opened_by, unit_id, name in rows:
            due_on = rules.decision_deadline(
                detected_on=detected, extended=extended, pauses=pauses.get(pk, []), on=on
            ).due_on
            if due_on in due_dates or (overdue and due_on < on):
                agency = snap.agency_of(unit_id, on) if unit_id in snap.units else unit_id
                wanted.append((pk, code, due_on, opened_by, agency, name))
        heads = head_user_ids({w[4] for w in wanted}, on) if wanted else {}
        for pk, code, due_on, opened_by, agency, name in wanted:
            yield DueItem(
                model_label="discipline.disciplinecase",
                object_id=pk,
                title=item_title(code, name),
                due_on=due_on,
                url=case_url(code),
                recipients=user_ids([opened_by]),
                escalate_to=user_ids(heads.get(agency, [])),
            )


case_due_source = CaseDueSource()
