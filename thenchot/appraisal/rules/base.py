"""Shared types of the rule packs: levels, categories, periods, points, errors and the trace.

Pure Python (no Django): the packs are tested table-driven and with hypothesis, and the
workflow stores what they return (levels as codes, points as `Decimal`, the trace as JSON).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json.encoder
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

StaffKey = int | str

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")
HUNDRED = Decimal("100")


def gettext_noop(message: str) -> str:
    """Marks an English msgid for `makemessages` (xgettext matches the name) without importing
    Django; the UI translates it with `gettext(message) % params`."""
    return message


# -- errors ----------------------------------------------------------------------------------------
class RuleError(ValueError):
    """Base of every error the rule packs raise; `messages` lists all problems at once."""

    def __init__(self, messages: str | Iterable[str]) -> None:
        self.messages: tuple[str, ...] = (
            (messages,) if isinstance(messages, str) else tuple(messages)
        )
        super().__init__("; ".join(self.messages))


class RuleInputError(RuleError):
    """Bad input for a classification: points out of range, a period the pack does not cover,
    facts that contradict each other. `field` names the offending input when there is one."""

    def __init__(self, messages: str | Iterable[str], *, field: str = "") -> None:
        self.field = field
        super().__init__(messages)


class ParameterError(RuleError):
    """A pack parameter set that cannot be used (overlapping thresholds, a ratio outside [0, 1])."""


# -- levels and categories -----------------------------------------------------------------------
class Level(StrEnum):
    """The four levels of every pack (rules.md "Outcomes"), plus `not_rated` (Decree 90, art. 2:
    under 6 months worked). Values are the interchange codes."""

    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETE = "complete"
    NOT_COMPLETE = "not_complete"
    NOT_RATED = "not_rated"

    @property
    def rank(self) -> int:
        """Higher is better; `not_rated` ranks below every level so that "at most X" keeps it."""
        return _RANK[self]

    @property
    def rated(self) -> bool:
        return self is not Level.NOT_RATED

    def at_most(self, ceiling: Level) -> Level:
        """This level, lowered to `ceiling` when it is above it (never raised)."""
        return ceiling if ceiling.rank < self.rank else self

    def one_below(self) -> Level:
        """The next lower level (quota demotion); `not_complete` and `not_rated` stay."""
        order = RATED_LEVELS
        if self not in order or self is Level.NOT_COMPLETE:
            return self
        return order[order.index(self) + 1]


RATED_LEVELS: tuple[Level, ...] = (
    Level.EXCELLENT,
    Level.GOOD,
    Level.COMPLETE,
    Level.NOT_COMPLETE,
)
_RANK: dict[Level, int] = {
    Level.EXCELLENT: 4,
    Level.GOOD: 3,
    Level.COMPLETE: 2,
    Level.NOT_COMPLETE: 1,
    Level.NOT_RATED: 0,
}


class Category(StrEnum):
    """Staff categories (interchange `staff.category`)."""

    CADRE = "cadre"  # cán bộ
    CIVIL_SERVANT = "civil_servant"  # công chức
    PUBLIC_EMPLOYEE = "public_employee"  # viên chức
    CONTRACT_WORKER = "contract_worker"  # lao động hợp đồng


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_PERIOD_RE = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A month (`2026-03`), a quarter (`2026-Q1`) or a year (`2026`), as in the interchange format."""

    year: int
    kind: PeriodKind
    number: int = 0  # month 1-12, quarter 1-4, 0 for a year

    def __post_init__(self) -> None:
        limit = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 0}[self.kind]
        low = 0 if self.kind is PeriodKind.YEAR else 1
        if not (1900 <= self.year <= 2999 and low <= self.number <= limit):
            raise RuleInputError(f"invalid period {self.year}/{self.kind}/{self.number}")

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD_RE.match(text.strip())
        if not match:
            raise RuleInputError(
                f"invalid period {text!r}: expected YYYY-MM, YYYY-Qn or YYYY", field="period"
            )
        year, month, quarter = match.groups()
        if month is not None:
            if not 1 <= int(month) <= 12:
                raise RuleInputError(f"invalid period {text!r}: month out of range", field="period")
            return cls(int(year), PeriodKind.MONTH, int(month))
        if quarter is not None:
            return cls(int(year), PeriodKind.QUARTER, int(quarter))
        return cls(int(year), PeriodKind.YEAR)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, PeriodKind.MONTH, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, PeriodKind.QUARTER, quarter)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(year, PeriodKind.YEAR)

    def __str__(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @functools.cached_property
    def start(self) -> dt.date:
        if self.kind is PeriodKind.MONTH:
            return dt.date(self.year, self.number, 1)
        if self.kind is PeriodKind.QUARTER:
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, 1, 1)

    @functools.cached_property
    def end(self) -> dt.date:
        if self.kind is PeriodKind.MONTH:
            last_month = self.number
        elif self.kind is PeriodKind.QUARTER:
            last_month = 3 * self.number
        else:
            last_month = 12
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def within(self, other: Period) -> bool:
        """True when this period lies inside `other` (a month inside its quarter or year)."""
        return other.start <= self.start and self.end <= other.end

    def months(self) -> tuple[Period, ...]:
        first = self.start.month
        return tuple(Period.month(self.year, m) for m in range(first, self.end.month + 1))


# -- points ----------------------------------------------------------------------------------------
def to_decimal(value: object, *, field: str) -> Decimal:
    """A point or ratio value as an exact `Decimal` (floats go through their shortest repr)."""
    if isinstance(value, bool):
        raise RuleInputError(f"{field}: expected a number, got {value!r}", field=field)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise RuleInputError(f"{field}: not a number: {value!r}", field=field) from None
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        raise RuleInputError(f"{field}: expected a number, got {value!r}", field=field)
    if not result.is_finite():
        raise RuleInputError(f"{field}: not a finite number: {value!r}", field=field)
    return result


def q2(value: Decimal) -> Decimal:
    """Points rounded to 2 places, half up (the only rounding the packs do)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def floor_int(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def fmt(value: Decimal | None) -> str:
    """Plain display of a Decimal: '91.5', '90', never exponent notation."""
    if value is None:
        return ""
    return _fmt(value)


@functools.lru_cache(maxsize=1 << 16)
def _fmt(value: Decimal) -> str:
    # Equal Decimals ("60", "60.00") share a hash and display alike once normalised, so a
    # cache keyed by value is exact; points and scores take few distinct values.
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class Criterion:
    """One scored criterion of a pack: `id` is the key of `PersonPeriod.points`."""

    id: str
    label: str  # English msgid (marked with gettext_noop)
    max_points: Decimal
    basis: str  # legal text, for the UI


def check_points(
    points: Mapping[str, object], criteria: Iterable[Criterion], *, required: Iterable[str] = ()
) -> dict[str, Decimal]:
    """Each given point value as a Decimal, refused when negative, above the criterion's maximum,
    of an unknown criterion or missing while required; every problem is reported at once."""
    known = {c.id: c for c in criteria}
    errors: list[str] = []
    result: dict[str, Decimal] = {}
    for key, raw in points.items():
        criterion = known.get(key)
        if criterion is None:
            errors.append(f"points.{key}: unknown criterion (expected one of {', '.join(known)})")
            continue
        try:
            value = to_decimal(raw, field=f"points.{key}")
        except RuleInputError as exc:
            errors.extend(exc.messages)
            continue
        if value < ZERO:
            errors.append(f"points.{key}: {fmt(value)} is negative")
        elif value != value.quantize(CENT, rounding=ROUND_HALF_UP):
            errors.append(f"points.{key}: {fmt(value)} has more than 2 decimal places")
        elif value > criterion.max_points:
            errors.append(
                f"points.{key}: {fmt(value)} is above the maximum of {fmt(criterion.max_points)}"
            )
        else:
            result[key] = value
    for key in required:
        if key not in points:
            errors.append(f"points.{key}: missing")
    if errors:
        raise RuleInputError(errors, field="points")
    return result


def check_share(value: object, *, field: str) -> Decimal:
    """A ratio in [0, 1] (shares of tasks, of targets)."""
    result = to_decimal(value, field=field)
    if not ZERO <= result <= ONE:
        raise RuleInputError(f"{field}: {fmt(result)} is not a share between 0 and 1", field=field)
    return result


# -- the trace -------------------------------------------------------------------------------------
# Rule id -> English template. The detail of a trace step is `template % params`; the UI shows
# `gettext(template) % params` (the msgids are extracted through `gettext_noop`).
TEMPLATES: dict[str, str] = {
    "agency-335.score": gettext_noop(
        "agency score %(score)s (general %(general)s + results %(results)s) → %(level)s"
    ),
    "agency-335.tasks": gettext_noop(
        "of %(due)s tasks due: %(completed)s completed, %(on_time)s on time, %(good)s on time"
        " with good quality, %(late)s late or open (%(late_share)s%%) → %(level)s"
    ),
    "hanoi-2018.grade": gettext_noop(
        "score %(score)s (discipline and ethics %(discipline_ethics)s + tasks %(tasks)s"
        " + bonus %(bonus)s) → %(level)s (%(grade)s)"
    ),
    "hanoi-2018.rollup": gettext_noop(
        "mean of %(count)s monthly scores %(score)s → %(level)s (%(grade)s)"
    ),
    "decree-335.grade": gettext_noop(
        "score %(score)s (general %(general)s + tasks %(tasks)s) → %(level)s"
    ),
    "decree-335.rollup": gettext_noop("mean of %(count)s period scores %(score)s → %(level)s"),
    "rollup.no_periods": gettext_noop("no period score in %(period)s → not rated"),
    "evidence.months": gettext_noop(
        "beside it, as evidence: %(count)s monthly results under %(pack)s, mean %(score)s"
        " (%(levels)s)"
    ),
    "decree-90.criteria": gettext_noop("criteria: %(reason)s → %(level)s"),
    "override.discipline": gettext_noop(
        "%(form)s effective %(effective_on)s (%(track)s) → %(level)s"
    ),
    "override.degradation": gettext_noop(
        "concluded degradation of political ideology, ethics or lifestyle → %(level)s"
    ),
    "override.prohibition": gettext_noop(
        "breach of Party-member prohibitions or of the duty to set an example → %(level)s"
    ),
    "override.corruption": gettext_noop(
        "corruption or waste handled in a unit under direct charge → %(level)s"
    ),
    "override.months_worked": gettext_noop(
        "worked %(months)s months of the year (under %(minimum)s) → not rated"
    ),
    "override.maternity": gettext_noop(
        "worked %(months)s months of the year, maternity leave: rated on the time worked"
    ),
    "override.leave": gettext_noop(
        "lawful leave of %(months)s months (%(low)s to under %(high)s) → at most %(level)s"
    ),
    "ceiling.unit_result": gettext_noop("unit result %(unit_level)s → head capped at %(level)s"),
    "quota.excellent_share": gettext_noop(
        "quota %(ratio)s%% of %(base_label)s (%(base)s) allows %(allowed)s %(quota_level)s"
        " in %(agency)s / %(group)s: moved to %(level)s (by score)"
    ),
    "quota.head_choice": gettext_noop(
        "quota in %(agency)s / %(group)s: moved to %(level)s by the head's choice"
    ),
    # rules.md "Settled points" 14: a quota override by decision is named in the trace.
    "quota.excellent_share_decision": gettext_noop(
        "quota %(ratio)s%% of %(base_label)s by decision %(decision)s of %(decided_on)s"
        " (%(base)s) allows %(allowed)s %(quota_level)s in %(agency)s / %(group)s:"
        " moved to %(level)s (by score)"
    ),
    # rules.md "Settled points" 1: the head names who moves (the close screen, `--move`).
    "quota.named_by_head": gettext_noop(
        "quota %(ratio)s%% of %(base_label)s (%(base)s) allows %(allowed)s %(quota_level)s"
        " in %(agency)s / %(group)s: moved to %(level)s, named by the head"
    ),
    "quota.named_by_head_decision": gettext_noop(
        "quota %(ratio)s%% of %(base_label)s by decision %(decision)s of %(decided_on)s"
        " (%(base)s) allows %(allowed)s %(quota_level)s in %(agency)s / %(group)s:"
        " moved to %(level)s, named by the head"
    ),
}


@dataclass(frozen=True)
class TraceStep:
    """One line of the reasons for a level: a rule id (machine-readable), the English detail, the
    level before and after the step (`None` before the first step) and the values used, as
    strings so that the trace is JSON as it stands."""

    rule: str
    detail: str
    level_before: Level | None
    level_after: Level
    params: Mapping[str, str] = field(default_factory=dict, hash=False, compare=True)

    @classmethod
    def make(cls, rule: str, before: Level | None, after: Level, **params: object) -> TraceStep:
        values = {key: as_text(value) for key, value in params.items()}
        values.setdefault("level", after.value)
        return cls(rule, TEMPLATES[rule] % values, before, after, values)

    @staticmethod
    def json_of(rule: str, before: Level | None, after: Level, params: Mapping[str, object]) -> str:
        """`make(rule, before, after, **params).to_json()` without the step: what a close
        stores for a line it does not otherwise need (the detail is not stored for a rule
        with a template, so it is not made)."""
        parts = []
        for k, v in params.items():
            key = (k, type(v), v)  # the type too: True and 1 are equal keys, not equal texts
            part = _PARAM_JSON.get(key)
            if part is None:
                if len(_PARAM_JSON) > _PARAM_JSON_MAX:
                    _PARAM_JSON.clear()
                value = as_text(v)
                part = _PARAM_JSON[key] = (value, f"{_json_text(k)}: {_json_text(value)}")
            if not (k == "level" and part[0] == after.value):
                parts.append(part[1])
        text = _json_text
        prior = "null" if before is None else f'"{before.value}"'
        return (
            f'{{"rule": {text(rule)}, "level_before": {prior},'
            f' "level_after": "{after.value}", "params": {{{", ".join(parts)}}}}}'
        )

    @property
    def changed(self) -> bool:
        return self.level_before is not None and self.level_before is not self.level_after

    def render(
        self,
        translate: Callable[[str], str] = gettext_noop,
        show: Callable[[str, str], str] | None = None,
    ) -> str:
        """The detail in the UI's language: `step.render(gettext, show)`, where `show(key,
        value)` gives a value as the reader reads it (a level code as the level's name)."""
        values = dict(self.params)
        if show is not None:
            values = {key: show(key, value) for key, value in values.items()}
        return translate(TEMPLATES[self.rule]) % values

    def _stored_params(self) -> dict[str, str]:
        params = dict(self.params)
        if params.get("level") == self.level_after.value:
            del params["level"]  # the level after the step: `from_dict` puts it back
        return params

    def to_dict(self) -> dict[str, object]:
        """The step as the evaluation record stores it. The English detail is left out when
        the rule's template makes it again from the params (`from_dict`): a city's month holds
        200,000 traces, and the detail was half of each. An imported line keeps its text."""
        data: dict[str, object] = {"rule": self.rule}
        if self.rule not in TEMPLATES:
            data["detail"] = self.detail
        data["level_before"] = self.level_before.value if self.level_before else None
        data["level_after"] = self.level_after.value
        data["params"] = self._stored_params()
        return data

    def to_json(self) -> str:
        """`to_dict()` as JSON text, exactly as `json.dumps(..., ensure_ascii=False)` writes it,
        composed directly: a close encodes a trace line for every distinct input of a city."""
        text = _json_text
        before = "null" if self.level_before is None else text(self.level_before.value)
        params = ", ".join(f"{text(k)}: {text(v)}" for k, v in self._stored_params().items())
        detail = "" if self.rule in TEMPLATES else f', "detail": {text(self.detail)}'
        return (
            f'{{"rule": {text(self.rule)}{detail}, "level_before": {before},'
            f' "level_after": {text(self.level_after.value)}, "params": {{{params}}}}}'
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> TraceStep:
        before = data.get("level_before")
        raw = data.get("params") or {}
        if not isinstance(raw, Mapping):
            raise RuleInputError("trace params must be an object", field="trace")
        rule = str(data["rule"])
        after = Level(str(data["level_after"]))
        params = {str(k): str(v) for k, v in raw.items()}
        params.setdefault("level", after.value)
        detail = data.get("detail")
        if detail is None:
            detail = TEMPLATES[rule] % params if rule in TEMPLATES else ""
        return cls(
            rule=rule,
            detail=str(detail),
            level_before=Level(str(before)) if before else None,
            level_after=after,
            params=params,
        )


def step_text(data: object) -> str:
    """The English text of a stored trace line (its detail, or its template filled in)."""
    if not isinstance(data, Mapping):
        return str(data)
    try:
        return TraceStep.from_dict(data).detail
    except (KeyError, ValueError, TypeError, RuleInputError):
        return str(data.get("detail", ""))


_json_text: Callable[[str], str] = json.encoder.encode_basestring  # ensure_ascii=False's

# A trace parameter as JSON ("score": "91.5"), by (name, type, value): a city's close writes a
# few thousand distinct points and scores into 200,000 traces. Equal Decimals ("60", "60.00")
# share a key and a text (`_fmt` normalises).
_PARAM_JSON: dict[tuple[str, type, object], tuple[str, str]] = {}
_PARAM_JSON_MAX = 1 << 16


def as_text(value: object) -> str:
    """A trace value as text (a Decimal without exponent, a date in ISO form, an enum's value)."""
    if type(value) is str:
        return value
    if isinstance(value, Decimal):
        return _fmt(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return str(value)


Trace = tuple[TraceStep, ...]
