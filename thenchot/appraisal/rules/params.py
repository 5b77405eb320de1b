"""Pack parameters: thresholds, quota ratios and the *default* formulas, editable per pack version.

Every parameter set is a frozen dataclass of small frozen parts (`Bands`, `QuotaRule`,
`UnitResultRule`, `TaskFormula`, `Decree90Criteria`). An administrator edits them through
`params.replace({"bands.excellent_from": "92", ...})`, which returns a *new*, validated set
(`ParameterError` lists every problem: overlapping thresholds, a ratio outside [0, 1]...);
`to_dict()` / `from_dict()` give the JSON the application stores with the audited change.
Fields whose metadata says `default=True` are our reading where the text is open (rules.md
*default*): the UI shows them as such (`describe()`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Self

from .base import ONE, ZERO, Level, ParameterError, as_text, fmt, to_decimal

D = Decimal


def _default(value: Any) -> Any:
    """A field that is our *default* reading of an open text (shown as such in the UI)."""
    return field(default=value, metadata={"default": True})


class QuotaBase(StrEnum):
    """What the quota ratio is a share of, within one agency and group."""

    RATED = "rated"  # everyone rated (QĐ 3814: "of those rated")
    GOOD_OR_BETTER = "good_or_better"  # *default* reading of "of those rated good"
    GOOD_ONLY = "good_only"  # strict reading: those whose final level is good
    # Everyone counted in the agency and group, rated or not: QĐ 3814's exceptional collective
    # ("40% of its headcount"), or a quota override by decision (rules.md "Settled points" 14).
    HEADCOUNT = "headcount"


@dataclass(frozen=True)
class Bands:
    """Score bands: excellent ≥ excellent_from; good ≥ good_from; complete ≥ complete_from;
    not complete below. Compared exactly (89.99 is good, 90 excellent)."""

    excellent_from: Decimal = D(90)
    good_from: Decimal = D(70)
    complete_from: Decimal = D(50)

    def level_for(self, score: Decimal) -> Level:
        if score >= self.excellent_from:
            return Level.EXCELLENT
        if score >= self.good_from:
            return Level.GOOD
        if score >= self.complete_from:
            return Level.COMPLETE
        return Level.NOT_COMPLETE

    def problems(self, prefix: str) -> list[str]:
        e, g, c = self.excellent_from, self.good_from, self.complete_from
        out: list[str] = []
        if not ZERO < c < g < e <= D(100):
            out.append(
                f"{prefix}: thresholds must rise strictly within (0, 100]: complete {fmt(c)}"
                f" < good {fmt(g)} < excellent {fmt(e)}"
            )
        return out


@dataclass(frozen=True)
class QuotaRule:
    """The cap on the top level, per agency and group (rules.md step 4)."""

    ratio: Decimal
    base: QuotaBase
    by_group: bool  # leaders and non-leaders quota'd separately
    exceptional_ratio: Decimal | None = None  # share of the agency's headcount (QĐ 3814: 40%)
    in_force_from: dt.date | None = None  # Decree 48/2023: none before 2023-09-15
    agency_is_division: bool = _default(False)  # a division counts as its own agency

    def problems(self, prefix: str) -> list[str]:
        out = _shares(prefix, ratio=self.ratio, exceptional_ratio=self.exceptional_ratio)
        if self.exceptional_ratio is not None and self.base is not QuotaBase.RATED:
            out.append(f"{prefix}.exceptional_ratio: only for a quota over those rated")
        return out


@dataclass(frozen=True)
class UnitResultRule:
    """rules.md "Unit result (the ceiling on a head's level)": every threshold is *default*."""

    exceeded_share: Decimal = _default(D("0.5"))  # excellent: ≥ 50% exceeded
    on_time_share: Decimal = _default(D("0.8"))  # good: ≥ 80% on time
    completed_over: Decimal = _default(D("0.7"))  # complete: more than 70% completed
    managed_good_share: Decimal = _default(D("0.7"))  # ≥ 70% of managed units good or better
    heads_capped: bool = True

    def problems(self, prefix: str) -> list[str]:
        return _shares(
            prefix,
            exceeded_share=self.exceeded_share,
            on_time_share=self.on_time_share,
            completed_over=self.completed_over,
            managed_good_share=self.managed_good_share,
        )


@dataclass(frozen=True)
class TaskFormula:
    """Decree 335/2025 task points (art. on task results), see `tasks.py`."""

    error_deduction: Decimal = D("0.25")  # per major error, of the item's quality credit
    delay_deduction: Decimal = D("0.25")  # per delay, of the item's progress credit
    # *default*: task points = max × mean(quantity, quality, progress)
    weight_quantity: Decimal = _default(D(1))
    weight_quality: Decimal = _default(D(1))
    weight_progress: Decimal = _default(D(1))
    # *default*: leaders' own products, operating result, organising ability: a third each
    weight_own: Decimal = _default(D(1))
    weight_operating: Decimal = _default(D(1))
    weight_organising: Decimal = _default(D(1))
    operating_all_complete: Decimal = D(1)
    operating_some_not_complete: Decimal = D("0.5")
    organising_all_on_time: Decimal = D(1)
    organising_all_done_some_late: Decimal = _default(D("0.75"))
    organising_other: Decimal = _default(D("0.5"))

    def problems(self, prefix: str) -> list[str]:
        out = _shares(
            prefix,
            error_deduction=self.error_deduction,
            delay_deduction=self.delay_deduction,
            operating_all_complete=self.operating_all_complete,
            operating_some_not_complete=self.operating_some_not_complete,
            organising_all_on_time=self.organising_all_on_time,
            organising_all_done_some_late=self.organising_all_done_some_late,
            organising_other=self.organising_other,
        )
        for group in (
            ("weight_quantity", "weight_quality", "weight_progress"),
            ("weight_own", "weight_operating", "weight_organising"),
        ):
            values = [getattr(self, name) for name in group]
            if any(v < ZERO for v in values) or sum(values, ZERO) <= ZERO:
                out.append(f"{prefix}: {', '.join(group)} must be ≥ 0 with a positive sum")
        if not self.operating_some_not_complete <= self.operating_all_complete:
            out.append(f"{prefix}: operating tiers must not rise as results fall")
        if not (
            self.organising_other
            <= self.organising_all_done_some_late
            <= self.organising_all_on_time
        ):
            out.append(f"{prefix}: organising tiers must not rise as results fall")
        return out


@dataclass(frozen=True)
class Decree90Criteria:
    """Decree 90/2020 art. 2, 4–15 as amended by Decree 48/2023 (rules.md "decree-90-2020")."""

    excellent_exceeded: Decimal = D("0.5")  # ≥ 50% of own tasks exceeded
    complete_max_short: Decimal = D("0.2")  # at most 20% of criteria short
    # *default*: a share short between 20% and 50% meets neither "complete" nor "not complete"
    # as the decree words them; we read it as not complete (rules.md step 1).
    gap_level: Level = _default(Level.NOT_COMPLETE)
    not_complete_over_short: Decimal = D("0.5")  # over 50% short: not complete
    unit_exceeded: Decimal = D("0.5")  # leaders, excellent: ≥ 50% of targets exceeded
    unit_on_time: Decimal = D("0.8")  # leaders, good: ≥ 80% on time
    unit_targets_over: Decimal = _default(D("0.7"))  # leaders, complete: > 70% of targets
    managed_good_share: Decimal = D("0.7")  # ≥ 70% of managed units good or better
    managed_complete_share: Decimal = _default(D("0.7"))  # complete: ≥ 70% complete or better
    min_months_worked: Decimal = D(6)  # art. 2: under 6 months → not rated
    leave_cap_from: Decimal = D(3)  # art. 2: lawful leave of 3 to < 6 months → at most complete
    leave_cap_below: Decimal = D(6)
    decree_48_from: dt.date = dt.date(2023, 9, 15)

    def problems(self, prefix: str) -> list[str]:
        out = _shares(
            prefix,
            excellent_exceeded=self.excellent_exceeded,
            complete_max_short=self.complete_max_short,
            not_complete_over_short=self.not_complete_over_short,
            unit_exceeded=self.unit_exceeded,
            unit_on_time=self.unit_on_time,
            unit_targets_over=self.unit_targets_over,
            managed_good_share=self.managed_good_share,
            managed_complete_share=self.managed_complete_share,
        )
        if self.complete_max_short > self.not_complete_over_short:
            out.append(
                f"{prefix}: complete_max_short must not exceed not_complete_over_short"
                " (the complete and not-complete criteria would overlap)"
            )
        if self.gap_level not in (Level.COMPLETE, Level.NOT_COMPLETE):
            out.append(f"{prefix}.gap_level: must be complete or not_complete")
        if not ZERO <= self.leave_cap_from < self.leave_cap_below <= D(12):
            out.append(
                f"{prefix}: leave_cap_from must be below leave_cap_below, within 0-12 months"
            )
        if not ZERO <= self.min_months_worked <= D(12):
            out.append(f"{prefix}.min_months_worked: must be within 0-12 months")
        return out


def _shares(prefix: str, **values: Decimal | None) -> list[str]:
    return [
        f"{prefix}.{name}: {fmt(value)} is outside [0, 1]"
        for name, value in values.items()
        if value is not None and not ZERO <= value <= ONE
    ]


@dataclass(frozen=True, kw_only=True)
class PackParameters:
    """Base of every pack's parameters: the quota and the unit-result ceiling."""

    quota: QuotaRule
    unit: UnitResultRule = UnitResultRule()

    def problems(self) -> list[str]:
        out: list[str] = []
        for f in dataclasses.fields(self):
            part = getattr(self, f.name)
            if hasattr(part, "problems"):
                out.extend(part.problems(f.name))
        return out

    def validate(self) -> Self:
        problems = self.problems()
        if problems:
            raise ParameterError(problems)
        return self

    def to_dict(self) -> dict[str, Any]:
        return _to_plain(self)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, base: Self | None = None) -> Self:
        """A validated set from JSON, over `base` (the pack's defaults when the caller passes
        them): missing keys keep the base value, unknown keys are refused."""
        if base is None:
            raise ParameterError("from_dict needs the pack's defaults as base")
        return base.replace(_flatten(data))

    def replace(self, changes: Mapping[str, Any]) -> Self:
        """A new validated set with `changes` applied, keyed by dotted path
        (`"bands.excellent_from"`, `"quota.ratio"`)."""
        errors: list[str] = []
        grouped: dict[str, dict[str, Any]] = {}
        for path, value in changes.items():
            head, _, tail = path.partition(".")
            grouped.setdefault(head, {})[tail] = value
        updates: dict[str, Any] = {}
        names = {f.name for f in dataclasses.fields(self)}
        for head, sub in grouped.items():
            if head not in names:
                errors.append(f"{head}: unknown parameter")
                continue
            updates[head] = _replace_part(getattr(self, head), sub, head, errors)
        changed = dataclasses.replace(self, **updates)
        errors.extend(changed.problems())
        if errors:
            raise ParameterError(errors)
        return changed

    def describe(self) -> list[tuple[str, str, bool]]:
        """(dotted name, value, is our *default* reading) for every parameter, for the UI."""
        rows: list[tuple[str, str, bool]] = []
        for f in dataclasses.fields(self):
            part = getattr(self, f.name)
            for g in dataclasses.fields(part):
                rows.append(
                    (
                        f"{f.name}.{g.name}",
                        _text(getattr(part, g.name)),
                        bool(g.metadata.get("default")),
                    )
                )
        return rows


@dataclass(frozen=True, kw_only=True)
class ScoredParameters(PackParameters):
    """Parameters of a pack scored out of 100 (`pack.ScoredPack`): the score bands and the
    formula of task points computed from work items."""

    bands: Bands = Bands()
    tasks: TaskFormula = TaskFormula()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return as_text(value)


def _to_plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, bool) or value is None:
        return value
    return _text(value)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, path + "."))
        else:
            out[path] = value
    return out


def _replace_part(part: Any, changes: dict[str, Any], head: str, errors: list[str]) -> Any:
    hints = typing.get_type_hints(type(part))
    names = {f.name for f in dataclasses.fields(part)}
    updates: dict[str, Any] = {}
    for name, raw in changes.items():
        path = f"{head}.{name}"
        if name not in names:
            errors.append(f"{path}: unknown parameter")
            continue
        try:
            updates[name] = _coerce(raw, hints[name], path)
        except (ParameterError, ValueError) as exc:
            errors.append(str(exc) if isinstance(exc, ParameterError) else f"{path}: {exc}")
    return dataclasses.replace(part, **updates)


def _coerce(raw: Any, hint: Any, path: str) -> Any:
    args = typing.get_args(hint)
    if args and type(None) in args:
        if raw is None or raw == "":
            return None
        hint = next(a for a in args if a is not type(None))
    if hint is bool:
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in {"true", "1", "yes"}:
            return True
        if str(raw).lower() in {"false", "0", "no"}:
            return False
        raise ParameterError(f"{path}: expected true or false, got {raw!r}")
    if hint is Decimal:
        try:
            return to_decimal(raw, field=path)
        except ValueError as exc:
            raise ParameterError(str(exc)) from None
    if hint is dt.date:
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            raise ParameterError(f"{path}: expected a date YYYY-MM-DD, got {raw!r}") from None
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        try:
            return hint(str(raw))
        except ValueError:
            choices = ", ".join(m.value for m in hint)
            raise ParameterError(f"{path}: {raw!r} is not one of {choices}") from None
    raise ParameterError(f"{path}: cannot be edited")
