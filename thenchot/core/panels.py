"""The panel contracts: each app registers what it shows about a person and about a unit.

`people.person` renders every registered panel the reader may see, in registry order; a panel
whose `context` gives None (the reader may not see it, or there is nothing to show) is left out,
so no placeholder stands for an app that is not installed. `org.unit` does the same with the
registered unit panels (`context(scope, unit)`, the unit an `org.Unit`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from thenchot.core.registry import person_panels, unit_panels

# (scope, staff) -> the template's context, or None to leave the panel out. The scope is the
# reader's `accounts.scoping.Scope` and the staff a `people.Staff`: both sit above core.
PanelContext = Callable[[Any, Any], "dict[str, Any] | None"]
PanelVisible = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class PersonPanel:
    title: str | Promise
    template: str
    context: PanelContext
    visible: PanelVisible | None = None


def register_panel(key: str, panel: PersonPanel, *, order: int = 100) -> PersonPanel:
    return person_panels.register(key, panel, order=order)


@dataclass(frozen=True)
class UnitPanel:
    """What an app shows on a unit's page: `context(scope, unit)` -> the template's context, or
    None to leave the panel out (the reader may not see it, or there is nothing to show)."""

    title: str | Promise
    template: str
    context: PanelContext


def register_unit_panel(key: str, panel: UnitPanel, *, order: int = 100) -> UnitPanel:
    return unit_panels.register(key, panel, order=order)
