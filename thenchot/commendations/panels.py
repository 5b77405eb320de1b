"""The commendations panels of the person page and of the unit page (what the reader may read)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from thenchot.accounts.scoping import Scope
from thenchot.commendations import selectors
from thenchot.core.panels import PersonPanel, UnitPanel
from thenchot.org.models import Unit
from thenchot.people.models import Staff


def person_context(scope: Scope, staff: Staff) -> dict[str, Any] | None:
    items = selectors.of_staff(scope, staff.pk)
    if not items:
        return None
    return {"commendations": items, "innovations": sum(1 for c in items if c.innovation)}


def unit_context(scope: Scope, unit: Unit) -> dict[str, Any] | None:
    items = selectors.of_unit(scope, unit.pk)
    if not items:
        return None
    return {
        "commendations": items,
        "innovations": sum(1 for c in items if c.innovation),
        "overrides": {c.pk: selectors.overrides_of(c) for c in items},
    }


person_panel = PersonPanel(
    title=_("Commendations"), template="commendations/_person_panel.html", context=person_context
)
unit_panel = UnitPanel(
    title=_("Commendations"), template="commendations/_unit_panel.html", context=unit_context
)
