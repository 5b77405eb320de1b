"""The services' wording of `directives.rules` breaches: a form shows them next to the field
they concern, so they name neither the field nor the place (the import words the same breaches
its own way, in `directives.interchange.tasks`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from thenchot.core.errors import DomainError
from thenchot.directives import rules
from thenchot.directives.rules import Breach


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y")


def form_message(breach: Breach) -> Any:
    rule, field = breach.rule, breach.field
    if rule == rules.BEFORE_ASSIGNED:
        return {
            "deadline": _("The deadline cannot be before the assigned date."),
            "completed_on": _("A task cannot be completed before it was assigned."),
            "requested_on": _("A request cannot be dated before the task was assigned."),
        }[field]
    if rule == rules.UNIT_NOT_VALID:
        if field == "coordinating_units":
            return _("Unit '%(unit)s' did not exist on the assigned date.") % {"unit": breach.value}
        return _("This unit did not exist on the assigned date.")
    messages = {
        rules.TITLE_MISSING: _("A task needs a title."),
        rules.LEAD_COORDINATES: _("The lead unit cannot also coordinate."),
        rules.BEFORE_DOCUMENT: _("A task cannot be assigned before its document was issued."),
        rules.QUALITY_WITHOUT_COMPLETION: _("Only a completed task can be graded."),
        rules.ERRORS_RANGE: _("Major errors must be a number from 0."),
        rules.SECOND_PENDING: _("This task already has a pending extension request."),
        rules.DECIDED_BEFORE_REQUEST: _("A decision cannot be dated before the request."),
        rules.AFTER_COMPLETION: _("This task is already completed."),
    }
    if rule in messages:
        return messages[rule]
    if rule == rules.ASSIGNEE_OUTSIDE:
        return _("%(name)s is not in the lead unit or a unit under it on the assigned date.") % {
            "name": breach.value
        }
    if rule == rules.UNKNOWN_QUALITY:
        return _("Unknown quality mark '%(value)s'.") % {"value": breach.value}
    if rule == rules.WEIGHT_RANGE:
        return _("The weight must be more than 0 and less than %(max)s.") % {"max": breach.limit}
    if rule == rules.NOT_LATER:
        return _("The new deadline must be later than the deadline in force (%(date)s).") % {
            "date": _date(breach.limit)
        }
    return _("The change was refused.")


def refuse(breaches: Iterable[Breach]) -> None:
    """Raise one `DomainError` naming every breach by its field (nothing when there is none)."""
    errors: dict[str, list[Any]] = {}
    for breach in breaches:
        errors.setdefault(breach.field, []).append(form_message(breach))
    if errors:
        raise DomainError(next(iter(errors.values()))[0], field_errors=errors)
