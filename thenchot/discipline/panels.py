"""The discipline panel of the person page: decisions, open cases and restriction windows.

Shown only to those who may read the person's discipline records (`selectors.discipline_access`):
the context callable returns None for everyone else, and the person page leaves the panel out.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.scoping import Scope
from thenchot.core.panels import PersonPanel
from thenchot.discipline import rules
from thenchot.discipline.choices import RESTRICTION_LABELS, CaseStatus
from thenchot.discipline.labels import basis_label
from thenchot.discipline.models import DisciplineCase, DisciplineDecision
from thenchot.discipline.selectors import can_read_discipline, case_deadline, restrictions_for
from thenchot.people.models import Staff


def panel_context(scope: Scope, staff: Staff) -> dict[str, Any] | None:
    if not can_read_discipline(scope, staff):
        return None
    today = timezone.localdate()
    decisions = list(
        DisciplineDecision.objects.filter(staff=staff).order_by("-effective_on", "code")
    )
    cases = []
    for case in DisciplineCase.objects.filter(staff=staff, status=CaseStatus.OPEN).prefetch_related(
        "pauses"
    ):
        deadline = case_deadline(case, today)
        limit = (
            rules.limitation(violation_on=case.violation_on, reprimand_level=True)
            if case.violation_on
            else None
        )
        cases.append({"case": case, "deadline": deadline, "limitation": limit})
    restrictions = [
        {
            "decision": r.decision_code,
            "text": RESTRICTION_LABELS[r.restriction.kind]
            % {"date": r.restriction.until.strftime("%d/%m/%Y")},
            "until": r.restriction.until,
            "basis": basis_label(r.restriction.basis),
            "default": r.restriction.default,
        }
        for r in restrictions_for(staff.pk, today)
    ]
    return {
        "decisions": decisions,
        "open_cases": cases,
        "restrictions": restrictions,
        "today": today,
    }


person_panel = PersonPanel(
    title=_("Discipline"), template="discipline/_person_panel.html", context=panel_context
)
