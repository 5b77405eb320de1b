"""The rotation panel of the person page: moves over time, and where the person stands in the
periodic-rotation clock (reasons for a postponement only for those who may read discipline)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.scoping import Scope
from thenchot.core.panels import PersonPanel
from thenchot.discipline.selectors import can_read_discipline
from thenchot.people.models import Staff
from thenchot.rotation import rules
from thenchot.rotation.models import Rotation
from thenchot.rotation.selectors import due_list

SOON_MONTHS = 6


def panel_context(scope: Scope, staff: Staff) -> dict[str, Any] | None:
    today = timezone.localdate()
    rotations = list(
        Rotation.objects.filter(staff=staff)
        .select_related("from_unit", "to_unit")
        .order_by("-effective_on", "code")
    )
    job = staff.job_position
    clock = None
    if (
        job is not None
        and job.rotation_subject
        and job.rotation_period_months
        and (staff.in_position_since is not None and not staff.is_leader)
    ):
        lines = due_list(
            scope=None, unit_id=None, on=today, within_months=SOON_MONTHS, staff_ids=[staff.pk]
        )
        clock = {
            "due_on": rules.add_months(staff.in_position_since, job.rotation_period_months),
            "period": job.rotation_period_months,
            "line": lines[0] if lines else None,
            "show_reasons": can_read_discipline(scope, staff),
        }
    if not rotations and clock is None:
        return None
    return {"rotations": rotations, "clock": clock, "today": today}


person_panel = PersonPanel(
    title=_("Rotations"), template="rotation/_person_panel.html", context=panel_context
)
