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

from thenchot.core.registry import period_panels, person_panels, unit_panels

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


# (scope, closed periods) -> the template's context, or None. The periods are the closed
# `appraisal.EvaluationPeriod` rows the close screen shows (an app above appraisal reads them).
PeriodPanelContext = Callable[[Any, "list[Any]"], "dict[str, Any] | None"]


@dataclass(frozen=True)
class PeriodPanel:
    """What an app shows on the close screen about the closed periods it lists (their
    integrity, say): `context(scope, periods)` -> the template's context, or None."""

    title: str | Promise
    template: str
    context: PeriodPanelContext


def register_period_panel(key: str, panel: PeriodPanel, *, order: int = 100) -> PeriodPanel:
    return period_panels.register(key, panel, order=order)


def render_panels(
    registry: Any, request: Any, scope: Any, subject: Any, **extra: Any
) -> list[dict[str, Any]]:
    """Every registered panel of `registry` with something to show about `subject`, rendered in
    registry order: [{"key", "title", "html"}]."""
    from django.template.loader import render_to_string

    out = []
    for key, panel in registry.items():
        context = panel.context(scope, subject)
        if context is None:
            continue
        html = render_to_string(
            panel.template, {**context, **extra, "scope": scope}, request=request
        )
        out.append({"key": key, "title": panel.title, "html": html})
    return out
