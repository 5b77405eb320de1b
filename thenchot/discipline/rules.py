"""Discipline rules as pure functions over plain values (no Django; mypy --strict clean).

- Which forms may be imposed, by staff category, leader or not, and decision date
  (Decree 112/2020 art. 7 and 15 as amended by Decree 71/2023, until 2025-06-30; Decree
  172/2025 from 2025-07-01 for cán bộ and công chức; viên chức keep the Decree 112 forms, a
  *default* of rules.md because Decree 172 does not cover them).
- Leader or not is the post on the decision date: a dated headship or deputy headship covering
  it, else the staff record's flag (rules.md Settled point 13); contract workers have no forms
  at all (Settled point 12, labour law applies).
- The deadline to decide a case (Decree 172/2025: 90 days from detection, 150 with an
  extension), moved by the days the person could not be considered (serious illness,
  pregnancy, maternity leave, a child under 12 months, prosecution or detention).
- Limitation periods (Law 52/2019: 2 and 5 years; *default* 5 and 10 years for violations from
  2025-07-01) and restriction windows after a decision (Law 52/2019 art. 82: 12 or 24 months;
  TT 08/2013/TT-BNV: a warning delays the regular salary step by 6 months).
- A new violation while a decision is running is punished one level heavier (Decree 172/2025;
  *default* the same rule for decisions dated before 2025-07-01).

Every result carries a `basis` (the legal text) or a trace the UI shows as the reason.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from thenchot.core.validity import within

REFORM_DATE = dt.date(2025, 7, 1)  # Decree 172/2025 in force

REPRIMAND = "reprimand"
WARNING = "warning"
SALARY_STEP_DOWN = "salary_step_down"
DEMOTION = "demotion"
REMOVAL_FROM_POST = "removal_from_post"
DISMISSAL_FROM_OFFICE = "dismissal_from_office"
FORCED_DISMISSAL = "forced_dismissal"

# Lightest to heaviest (used to pick the heaviest decision on one violation).
FORM_ORDER: tuple[str, ...] = (
    REPRIMAND,
    WARNING,
    SALARY_STEP_DOWN,
    DEMOTION,
    REMOVAL_FROM_POST,
    DISMISSAL_FROM_OFFICE,
    FORCED_DISMISSAL,
)

CADRE = "cadre"
CIVIL_SERVANT = "civil_servant"
PUBLIC_EMPLOYEE = "public_employee"
CONTRACT_WORKER = "contract_worker"


def severity(form: str) -> int:
    return FORM_ORDER.index(form) if form in FORM_ORDER else -1


# -- forms allowed ------------------------------------------------------------------------------
@dataclass(frozen=True)
class FormRule:
    category: str
    leader: bool | None  # None: leaders and non-leaders alike
    valid_from: dt.date | None
    valid_to: dt.date | None
    forms: frozenset[str]
    basis: str
    default: bool = False  # our reading where the text is not confirmed (rules.md *default*)

    def applies(self, category: str, is_leader: bool, on: dt.date) -> bool:
        return (
            self.category == category
            and (self.leader is None or self.leader == is_leader)
            and (self.valid_from is None or self.valid_from <= on)
            and (self.valid_to is None or on <= self.valid_to)
        )


_UNTIL = dt.date(2025, 6, 30)
_OLD = "Decree 112/2020 (amended by Decree 71/2023)"
_NEW = "Decree 172/2025"

FORM_TABLE: tuple[FormRule, ...] = (
    FormRule(
        CADRE,
        None,
        None,
        _UNTIL,
        frozenset({REPRIMAND, WARNING, REMOVAL_FROM_POST, DISMISSAL_FROM_OFFICE}),
        _OLD + ", art. 7",
    ),
    FormRule(
        CADRE,
        None,
        REFORM_DATE,
        None,
        frozenset({REPRIMAND, WARNING, REMOVAL_FROM_POST, DISMISSAL_FROM_OFFICE}),
        _NEW,
    ),
    FormRule(
        CIVIL_SERVANT,
        False,
        None,
        _UNTIL,
        frozenset({REPRIMAND, WARNING, SALARY_STEP_DOWN, FORCED_DISMISSAL}),
        _OLD + ", art. 8",
    ),
    FormRule(
        CIVIL_SERVANT,
        False,
        REFORM_DATE,
        None,
        frozenset({REPRIMAND, WARNING, FORCED_DISMISSAL}),
        _NEW + " (salary step-down abolished)",
    ),
    FormRule(
        CIVIL_SERVANT,
        True,
        None,
        _UNTIL,
        frozenset({REPRIMAND, WARNING, DEMOTION, REMOVAL_FROM_POST, FORCED_DISMISSAL}),
        _OLD + ", art. 8",
    ),
    FormRule(
        CIVIL_SERVANT,
        True,
        REFORM_DATE,
        None,
        frozenset({REPRIMAND, WARNING, REMOVAL_FROM_POST, FORCED_DISMISSAL}),
        _NEW + " (demotion abolished)",
    ),
    FormRule(
        PUBLIC_EMPLOYEE,
        False,
        None,
        _UNTIL,
        frozenset({REPRIMAND, WARNING, FORCED_DISMISSAL}),
        _OLD + ", art. 15",
    ),
    FormRule(
        PUBLIC_EMPLOYEE,
        False,
        REFORM_DATE,
        None,
        frozenset({REPRIMAND, WARNING, FORCED_DISMISSAL}),
        _OLD + ", art. 15 (Decree 172/2025 does not cover viên chức)",
        default=True,
    ),
    FormRule(
        PUBLIC_EMPLOYEE,
        True,
        None,
        _UNTIL,
        frozenset({REPRIMAND, WARNING, REMOVAL_FROM_POST, FORCED_DISMISSAL}),
        _OLD + ", art. 15",
    ),
    FormRule(
        PUBLIC_EMPLOYEE,
        True,
        REFORM_DATE,
        None,
        frozenset({REPRIMAND, WARNING, REMOVAL_FROM_POST, FORCED_DISMISSAL}),
        _OLD + ", art. 15 (Decree 172/2025 does not cover viên chức)",
        default=True,
    ),
)


@dataclass(frozen=True)
class AllowedForms:
    forms: tuple[str, ...]  # in FORM_ORDER
    basis: str  # "" when no rule covers the person (contract workers)
    default: bool = False

    def allows(self, form: str) -> bool:
        return form in self.forms


def allowed_forms(*, category: str, is_leader: bool, on: dt.date) -> AllowedForms:
    """The forms a decision dated `on` may impose on a person of `category` (leader or not)."""
    for rule in FORM_TABLE:
        if rule.applies(category, is_leader, on):
            forms = tuple(f for f in FORM_ORDER if f in rule.forms)
            return AllowedForms(forms=forms, basis=rule.basis, default=rule.default)
    return AllowedForms(forms=(), basis="")


# -- who may be disciplined, and as what --------------------------------------------------------
def disciplinable(category: str) -> bool:
    """Contract workers (người lao động) have no form in the tables of Decree 112/2020 or
    172/2025: their discipline is labour discipline under the Labour Code 2019, art. 124, so no
    discipline record is kept for them here (rules.md Settled point 12)."""
    return category in (CADRE, CIVIL_SERVANT, PUBLIC_EMPLOYEE)


HEAD = "head"
DEPUTY = "deputy"
FLAG = "flag"  # the staff record's undated `is_leader`
NO_POST = "none"


@dataclass(frozen=True)
class Headship:
    """A dated headship or deputy headship of a unit (both ends inclusive, None open)."""

    role: str  # HEAD or DEPUTY
    valid_from: dt.date | None
    valid_to: dt.date | None

    def covers(self, on: dt.date) -> bool:
        return within(on, self.valid_from, self.valid_to)


@dataclass(frozen=True)
class LeaderStatus:
    """Leader (công chức) or manager (viên chức) on a date, and where that comes from."""

    is_leader: bool
    source: str  # HEAD, DEPUTY, FLAG or NO_POST


def leader_on(*, on: dt.date, headships: Sequence[Headship], flag: bool) -> LeaderStatus:
    """The person's post on `on` for the forms table (rules.md Settled point 13): a headship or
    deputy headship covering `on` makes a leader; otherwise the staff record's `is_leader`
    flag, which has no dates, decides. The same source serves the viên chức "manager" rows
    (Decree 112/2020 art. 15 distinguishes managers as art. 8 does leaders)."""
    roles = {h.role for h in headships if h.covers(on)}
    if HEAD in roles:
        return LeaderStatus(True, HEAD)
    if DEPUTY in roles:
        return LeaderStatus(True, DEPUTY)
    return LeaderStatus(flag, FLAG if flag else NO_POST)


@dataclass(frozen=True)
class FormVerdict:
    """Whether `form` may be imposed by a decision dated `on`, with what the refusal names."""

    form: str
    on: dt.date
    category: str
    leader: LeaderStatus
    allowed: AllowedForms

    @property
    def ok(self) -> bool:
        return disciplinable(self.category) and self.allowed.allows(self.form)

    @property
    def contract_worker(self) -> bool:
        return not disciplinable(self.category)


def judge_form(*, form: str, category: str, leader: LeaderStatus, on: dt.date) -> FormVerdict:
    """The one rule every path that records a decision (pages, API, import) applies: the forms
    table of rules.md "Discipline" for the category, the post on the decision date and that
    date (Decree 112/2020 art. 7, 8, 15 with Decree 71/2023 until 2025-06-30; Decree 172/2025
    from 2025-07-01), nothing for a contract worker (Settled point 12)."""
    allowed = allowed_forms(category=category, is_leader=leader.is_leader, on=on)
    return FormVerdict(form=form, on=on, category=category, leader=leader, allowed=allowed)


def allowed_forms_any_post(*, category: str, on: dt.date) -> tuple[str, ...]:
    """Forms allowed on `on` for the category, leader or not (history whose post is unknown)."""
    forms: set[str] = set()
    for leader in (False, True):
        forms.update(allowed_forms(category=category, is_leader=leader, on=on).forms)
    return tuple(f for f in FORM_ORDER if f in forms)


# -- dates --------------------------------------------------------------------------------------
def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months, on the last day of a shorter month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# -- the decision deadline ----------------------------------------------------------------------
BASE_DAYS = 90
EXTENDED_DAYS = 150


@dataclass(frozen=True)
class Pause:
    start: dt.date
    end: dt.date | None  # None: still paused
    reason: str = ""


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    base_days: int
    paused_days: int
    trace: tuple[str, ...]


def _merged(pauses: Sequence[Pause], on: dt.date) -> list[tuple[dt.date, dt.date]]:
    spans = sorted(
        (p.start, p.end if p.end is not None else max(on, p.start)) for p in pauses if p.start
    )
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in spans:
        if end < start:
            continue
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def decision_deadline(
    *, detected_on: dt.date, extended: bool, pauses: Sequence[Pause], on: dt.date
) -> Deadline:
    """The day by which the case must be decided, as known on `on` (Decree 172/2025).

    A pause moves the deadline by its days (both ends counted) when it begins on or before the
    deadline as moved so far; an open pause counts up to `on`. Overlapping pauses count once.
    """
    base = EXTENDED_DAYS if extended else BASE_DAYS
    due = detected_on + dt.timedelta(days=base)
    trace = [f"{base} days from detection on {detected_on.isoformat()}"]
    paused = 0
    for start, end in _merged(pauses, on):
        start = max(start, detected_on)
        if end < start or start > due:
            continue
        days = (end - start).days + 1
        paused += days
        due += dt.timedelta(days=days)
        trace.append(f"paused {start.isoformat()}..{end.isoformat()}: +{days} days")
    return Deadline(due_on=due, base_days=base, paused_days=paused, trace=tuple(trace))


# -- limitation periods -------------------------------------------------------------------------
@dataclass(frozen=True)
class Limitation:
    years: int
    ends_on: dt.date
    basis: str
    default: bool


def limitation(*, violation_on: dt.date, reprimand_level: bool) -> Limitation:
    """How long after the violation discipline may still be imposed (restarted by a new
    violation: pass the latest one)."""
    if violation_on >= REFORM_DATE:
        years = 5 if reprimand_level else 10
        return Limitation(years, add_months(violation_on, 12 * years), "2025 regime", True)
    years = 2 if reprimand_level else 5
    return Limitation(years, add_months(violation_on, 12 * years), "Law 52/2019", False)


# -- restriction windows ------------------------------------------------------------------------
NO_HIGHER_POST = "no_higher_post"  # no rank promotion, planning, training, higher appointment
NO_APPOINTMENT = "no_appointment"  # the same, and no appointment at all
SALARY_STEP_DELAY = "salary_step_delay"


@dataclass(frozen=True)
class Restriction:
    kind: str
    starts_on: dt.date
    until: dt.date  # last day of the window
    basis: str
    default: bool

    def active_on(self, on: dt.date) -> bool:
        return self.starts_on <= on <= self.until


def restrictions(*, form: str, effective_on: dt.date) -> tuple[Restriction, ...]:
    """Windows that run from the decision's effective date (rules.md; *default* the same
    periods after 2025-07-01, where the new periods are not confirmed)."""
    default = effective_on >= REFORM_DATE
    basis = "Law 52/2019, art. 82" + (" (default after 2025-07-01)" if default else "")
    out: list[Restriction] = []
    day = dt.timedelta(days=1)
    if form in (REPRIMAND, WARNING, SALARY_STEP_DOWN):
        end = add_months(effective_on, 12) - day
        out.append(Restriction(NO_HIGHER_POST, effective_on, end, basis, default))
    elif form in (DEMOTION, REMOVAL_FROM_POST):
        end = add_months(effective_on, 24) - day
        out.append(Restriction(NO_APPOINTMENT, effective_on, end, basis, default))
    if form == WARNING:
        end = add_months(effective_on, 6) - day
        out.append(Restriction(SALARY_STEP_DELAY, effective_on, end, "TT 08/2013/TT-BNV", default))
    return tuple(out)


# -- a new violation while a decision is running ------------------------------------------------
# Decree 172/2025: a new violation committed while a disciplinary decision is running is
# punished one level heavier. "Running" is read here as: an earlier decision (decided before
# the new decision's date) on another act, whose 12- or 24-month restriction window contains
# the new decision's date. Decisions of the same day are not earlier than one another, so two
# acts decided together never make each other heavier.
REPEAT_BASIS = "Decree 172/2025 (a new violation while a decision is running)"
_WINDOW_KINDS = (NO_HIGHER_POST, NO_APPOINTMENT)


@dataclass(frozen=True)
class PastDecision:
    code: str
    form: str
    act: str  # the violation code; "" when unknown: the decision is then an act of its own
    decided_on: dt.date
    effective_on: dt.date
    number: str = ""

    @property
    def name(self) -> str:
        """How people refer to the decision: its number, else its code."""
        return self.number or self.code

    def window_until(self) -> dt.date | None:
        """Last day of the 12- or 24-month window; None for forms without one (dismissals)."""
        ends = [
            r.until
            for r in restrictions(form=self.form, effective_on=self.effective_on)
            if r.kind in _WINDOW_KINDS
        ]
        return max(ends) if ends else None

    def runs_on(self, on: dt.date) -> bool:
        until = self.window_until()
        return self.decided_on < on and until is not None and self.effective_on <= on <= until


def same_act(a: str, b: str) -> bool:
    """Party and administrative decisions on one act share its code; no code, no sharing."""
    return a != "" and a == b


@dataclass(frozen=True)
class RepeatMinimum:
    """The lightest form a decision may impose because another decision is running."""

    minimum: str | None  # None: nothing running, or no form allowed at all
    running: PastDecision | None
    running_until: dt.date | None
    basis: str
    default: bool
    trace: tuple[str, ...]

    def allows(self, form: str) -> bool:
        return self.minimum is None or severity(form) >= severity(self.minimum)


def one_level_heavier(*, form: str, allowed: Sequence[str]) -> str | None:
    """The lightest of `allowed` heavier than `form`; the heaviest allowed when none is (the
    running form may be missing from `allowed`: abolished since, or another category)."""
    if not allowed:
        return None
    heavier = [f for f in allowed if severity(f) > severity(form)]
    return min(heavier, key=severity) if heavier else max(allowed, key=severity)


def running_decision(
    *, history: Sequence[PastDecision], act: str, on: dt.date
) -> PastDecision | None:
    """The heaviest decision on another act running on `on` (the latest window on a tie)."""
    running = [d for d in history if d.runs_on(on) and not same_act(d.act, act)]
    if not running:
        return None
    return max(running, key=lambda d: (severity(d.form), d.window_until(), d.code))


def repeat_minimum(
    *, history: Sequence[PastDecision], act: str, on: dt.date, allowed: Sequence[str]
) -> RepeatMinimum:
    """The minimum form of a decision dated `on` on `act`, given the person's other decisions
    (`history`) and the forms `allowed` for them on `on`, lightest first."""
    default = on < REFORM_DATE
    running = running_decision(history=history, act=act, on=on)
    if running is None:
        none = (f"no decision on another act running on {on.isoformat()}",)
        return RepeatMinimum(None, None, None, REPEAT_BASIS, default, none)
    until = running.window_until()
    minimum = one_level_heavier(form=running.form, allowed=allowed)
    trace = (
        f"decision {running.name} ({running.form}) runs until {until}",
        f"one level heavier than {running.form} among {', '.join(allowed) or '-'}: {minimum}",
    )
    return RepeatMinimum(minimum, running, until, REPEAT_BASIS, default, trace)


@dataclass(frozen=True)
class Shortfall:
    """A decision lighter than the minimum another running decision sets for it."""

    decision: PastDecision
    need: RepeatMinimum


def shortfalls(
    *, history: Sequence[PastDecision], allowed_on: Callable[[dt.date], Sequence[str]]
) -> list[Shortfall]:
    """Every decision of one person's `history` that falls short of its minimum; `allowed_on`
    gives the forms allowed for the person on a date. Used both ways: a new decision lighter
    than a running one, and an earlier decision entered late that runs over a later one."""
    out: list[Shortfall] = []
    for decision in history:
        others = [d for d in history if d.code != decision.code]
        need = repeat_minimum(
            history=others,
            act=decision.act,
            on=decision.decided_on,
            allowed=allowed_on(decision.decided_on),
        )
        if not need.allows(decision.form):
            out.append(Shortfall(decision, need))
    return out
