"""The evaluation panel of the person page: the last months' levels, scores and reasons.

Shown to whoever may read the person's evaluations (`selectors.evaluation_queryset`: the
person, their managers and personnel officers, the City; colleagues of the agency see the
published results of closed periods only: the final level, without score or reasons).
Registered by `AppraisalConfig.person_panel`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from thenchot.accounts.scoping import Scope
from thenchot.appraisal import selectors
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.models import Evaluation
from thenchot.core.panels import PersonPanel
from thenchot.people.models import Staff

SHOWN = 12


def panel_context(scope: Scope, staff: Staff) -> dict[str, Any] | None:
    rows = list(selectors.evaluation_queryset(scope).filter(staff_id=staff.pk)[:SHOWN])
    if not rows:
        return None
    return {
        "rows": [_row(scope, ev) for ev in rows],
        "levels": vs.LEVEL_LABELS,
        "level_classes": vs.LEVEL_CLASSES,
        "statuses": vs.STATUS_LABELS,
        "status_classes": vs.STATUS_CLASSES,
    }


def _row(scope: Scope, ev: Evaluation) -> dict[str, Any]:
    full = selectors.access_of(scope, ev) == selectors.FULL
    return {
        "evaluation": ev,
        "full": full,
        # A colleague sees the published decision: never a proposal, the score or the trace.
        "level": (ev.final_level or ev.reviewed_level or ev.proposed_level)
        if full
        else ev.final_level,
        "grade": vs.grade_of(ev.rule_pack, ev.final_level),
        "reasons": vs.reasons_of(ev) if full else [],
    }


person_panel = PersonPanel(
    title=_("Evaluation and classification"),
    template="appraisal/_person_panel.html",
    context=panel_context,
)
