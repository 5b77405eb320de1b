"""Points and levels checked against the evaluation's rule pack, and the task points computed
from the person's tasks, shared by the self-assessment, the review and the collective decision."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from thenchot.appraisal import inputs, leadership, rules
from thenchot.appraisal.choices import Level
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.services.base import _refuse
from thenchot.core.errors import DomainError

ASSESSABLE_LEVELS = {Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE}


def pack_of(evaluation: Evaluation) -> Any:
    return rules.registry.get(evaluation.rule_pack)


def check_points(evaluation: Evaluation, values: Mapping[str, Any]) -> dict[str, Decimal]:
    """The points (keys general/tasks/bonus) checked against the evaluation's pack: negative,
    above a criterion's maximum, more than 2 decimals or missing general points are refused
    with every problem at once."""
    pack = pack_of(evaluation)

    def _field(name: str) -> str:
        return {"general": "general_points", "tasks": "task_points"}.get(name, f"{name}_points")

    limits = inputs.criteria_limits(pack)
    errors: dict[str, list[str]] = {}
    out: dict[str, Decimal] = {}
    for name, raw in values.items():
        if raw is None or raw == "":
            continue
        if name not in limits:
            errors.setdefault(_field(name), []).append(
                _("The rule pack %(pack)s has no %(name)s points.")
                % {"pack": pack.id, "name": name}
            )
            continue
        try:
            value = rules.base.to_decimal(raw, field=name)
        except rules.RuleInputError:
            errors.setdefault(_field(name), []).append(
                _("'%(value)s' is not a number.") % {"value": raw}
            )
            continue
        if value < 0:
            errors.setdefault(_field(name), []).append(_("Points cannot be negative."))
        elif value > limits[name]:
            errors.setdefault(_field(name), []).append(
                _("At most %(max)s points.") % {"max": rules.base.fmt(limits[name])}
            )
        elif value != rules.base.q2(value):
            errors.setdefault(_field(name), []).append(_("At most 2 decimal places."))
        else:
            out[name] = value
    if "general" not in out and "general_points" not in errors:
        errors["general_points"] = [_("This field is required.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, field_errors=errors)
    return out


def _check_level(value: str, field_name: str) -> str:
    if value and value not in ASSESSABLE_LEVELS:
        raise _refuse(_("'%(value)s' is not a level.") % {"value": value}, field_name)
    return value


def task_points_prefill(evaluation: Evaluation) -> tuple[Decimal | None, dict[str, Any]]:
    """The person's task points computed from their tasks of the period with the pack's formula,
    and the calculation shown to them (the self-assessment form pre-fills with it)."""
    pack = pack_of(evaluation)
    params, _number = inputs.current_params(pack.id)
    period = evaluation.period
    work = inputs.work_of([evaluation.staff_id], period.starts_on, period.ends_on)
    # A Decree 335 leader's operating result and organising ability (deputies: their fields).
    leader, about = leadership.leader_work(evaluation)
    points, calculation = inputs.task_prefill(
        pack=pack, params=params, work=work.get(evaluation.staff_id, []), leader=leader
    )
    if about and calculation:
        calculation = {**calculation, "leader": about}
    return points, calculation
