"""The inspections panel of the person page: inspections the person served on, as readable."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from thenchot.accounts.scoping import Scope
from thenchot.core.panels import PersonPanel
from thenchot.inspections.selectors import taken_part_in
from thenchot.people.models import Staff

PANEL_LIMIT = 20


def panel_context(scope: Scope, staff: Staff) -> dict[str, Any]:
    qs = taken_part_in(scope, staff).order_by("-started_on", "code")
    return {"inspections": list(qs[:PANEL_LIMIT]), "inspection_count": qs.count()}


person_panel = PersonPanel(
    title=_("Inspections served on"),
    template="inspections/_person_panel.html",
    context=panel_context,
)
