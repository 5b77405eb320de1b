"""Quarterly and annual results from the closed periods, as each pack defines them.

- `hanoi-monthly-2018`: quarter and year = the graded mean of the monthly scores (the annual
  result of contract workers; for cán bộ and viên chức the monthly results are the evidence
  beside the Decree 90 classification);
- `decree-335-2025`: year = the mean of the period scores of the year, including the periods a
  former unit closed before a transfer (evaluations are keyed by person and period, whichever
  agency held them), with the year's discipline and the unit-result ceiling for heads;
- `decree-90-2020`: the year is classified on its criteria, from the person's tasks of the year
  (shares done on time and exceeded), for leaders and every cán bộ the targets of the unit they
  head (else the unit they belong to) and the year's results of the units directly under it,
  the year's discipline, months worked and lawful leave (under 6 months worked → not
  rated; leave of 3 to under 6 months → at most complete, maternity rated on the time worked);
  the monthly results travel beside it as evidence.

Reads are set-based: `rollup_many` takes many people at once with a fixed number of queries.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from thenchot.appraisal import inputs, rules
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.core.id_sets import id_sets, is_whole, rows_for
from thenchot.people.models import Staff
from thenchot.people.selectors import assignment_units


@dataclass(frozen=True)
class PeriodLine:
    """One closed period used (or shown as evidence): code, agency, level, score."""

    period: str
    agency: str
    pack: str
    level: str
    score: Decimal | None


@dataclass
class Rollup:
    staff_id: int
    period: str
    classification: rules.Classification | None
    periods: list[PeriodLine] = field(default_factory=list)  # the months used or shown
    error: str = ""
    decree90: inputs.Decree90Input | None = None  # the counts behind a Decree 90 year

    @property
    def level(self) -> str | None:
        return self.classification.level.value if self.classification else None


# Beyond `core.id_sets.WHOLE` people, a roll-up reads the closed periods of the rolled period
# once, without the ids, and keeps its people's rows in Python: for a city's year (200,000
# people, 2.4M closed months) one scan instead of hundreds of queries. Below it, chunks of ids
# (a unit's year reads only its people).

# What `_closed_months` reads of each closed period (the agency's code only with `lines`).
MONTH_COLUMNS = ("staff_id", "period_code", "rule_pack", "final_level", "score")


class StoredResult(NamedTuple):
    """A closed period's stored result as a roll-up reads it (`rules.pack.PeriodResult`): a
    city's year rolls up 2.4M of them, and a `Classification` each cost several times more."""

    staff_id: int
    pack_id: str
    period: rules.Period
    level: rules.Level
    score: Decimal | None


class Totals(NamedTuple):
    """A person's closed results with a level of a rolled period's months under one pack,
    summed up by the database (`close_rollup._read`): how many, the rated ones with a score
    (count and total: what the mean is made of), every one with a score, the first month's
    code, the count of each level (in `rules.Level` order), and how many quarters."""

    used: int
    rated: int
    rated_total: Decimal | None
    scored: int
    scored_total: Decimal | None
    first: str
    levels: tuple[int, ...]
    quarters: int = 0


def rolled_codes(rolled: rules.Period) -> list[str]:
    """The codes whose closed results a roll-up of `rolled` reads: its months, and for a year its
    quarters (an agency that rated by quarter)."""
    codes = [str(m) for m in rolled.months()]
    if rolled.kind is rules.PeriodKind.YEAR:
        codes += [str(rules.Period.quarter(rolled.year, q)) for q in range(1, 5)]
    return codes


def _closed_months(
    staff_ids: Iterable[int], rolled: rules.Period, *, lines: bool = True
) -> dict[int, list[Any]]:
    """Per person, their closed results of `rolled`'s months (and quarters), in period order, as
    tuples (staff id, period code, agency code — "" without `lines` —, pack, level, score)."""
    out: dict[int, list[Any]] = defaultdict(list)
    codes = rolled_codes(rolled)
    wanted = set(staff_ids)
    base = Evaluation.objects.filter(period_code__in=codes, status=EvaluationStatus.CLOSED).exclude(
        final_level=""
    )
    agency = ("period__agency__code",) if lines else ()
    columns = (*MONTH_COLUMNS[:2], *agency, *MONTH_COLUMNS[2:])
    if is_whole(len(wanted)):
        batches: Iterable[Any] = [base.order_by().values_list(*columns)]
    else:
        batches = (
            base.filter(staff_id__in=chunk).order_by().values_list(*columns)
            for chunk in id_sets(wanted)
        )
    for query in batches:
        for row in query:
            if row[0] in wanted:
                out[row[0]].append(row if lines else (*row[:2], "", *row[2:]))
    for rows in out.values():
        rows.sort(key=_code_of)
    return out


def _code_of(row: Any) -> str:
    return row[1]


def rollup_many(
    staff_ids: Iterable[int],
    period: str,
    *,
    pack_id: str | None = None,
    months: dict[int, list[Any]] | None = None,
    lines: bool = True,
) -> dict[int, Rollup]:
    """The quarter or year `period` ("2026-Q1", "2026") of each person, under the pack in force
    for their category (or `pack_id`, checked).

    `months`: the people's closed results as `_closed_months` reads them, when the caller has
    read them already (the close); `lines=False` leaves out the periods shown beside a roll-up
    (`Rollup.periods`, which the close does not use)."""
    return dict(iter_rollups(staff_ids, period, pack_id=pack_id, months=months, lines=lines))


def iter_rollups(
    staff_ids: Iterable[int],
    period: str,
    *,
    pack_id: str | None = None,
    months: dict[int, list[Any]] | None = None,
    totals: dict[int, Totals] | None = None,
    lines: bool = True,
) -> Iterator[tuple[int, Rollup]]:
    """`rollup_many`, each person's (staff id, roll-up) as it is made: the close keeps only what
    it stores of each, not a city's roll-ups at once. `totals`: people whose months under
    `pack_id` are given summed up rather than one by one (`months`), none of them a quarter
    (the close of a city's year: `_from_totals`)."""
    rolled = rules.Period.parse(period)
    if rolled.kind is rules.PeriodKind.MONTH:
        raise rules.RuleInputError("a month is closed, not rolled up", field="period")
    ids = sorted(set(staff_ids))
    wanted = set(ids)
    people = {
        pk: (category, is_leader, unit_id)
        for pk, category, is_leader, unit_id in rows_for(
            wanted, Staff.objects.order_by(), "pk", "pk", "category", "is_leader", "unit_id"
        )
    }
    start, end = rolled.start, rolled.end
    if months is None:
        months = _closed_months(ids, rolled, lines=lines)
    discipline = inputs.discipline_facts(ids, start, end)
    presence = inputs.presence_in(ids, start, end)
    heads = inputs.head_units(ids, end)
    d90: list[int] = []
    packs: dict[int, Any] = {}
    resolved: dict[str, Any] = {}  # category -> its pack, or why none: once per category
    for staff_id in ids:
        if staff_id not in people:
            continue
        category = people[staff_id][0]
        pack = resolved.get(category)
        if pack is None:
            try:
                pack = rules.registry.resolve(category, rolled, pack_id=pack_id)
            except rules.RuleInputError as exc:
                pack = exc
            resolved[category] = pack
        if isinstance(pack, rules.RuleInputError):
            yield staff_id, Rollup(staff_id, str(rolled), None, error="; ".join(pack.messages))
            continue
        packs[staff_id] = pack
        if rolled.kind not in pack.classified_kinds or pack.id != "decree-90-2020":
            continue
        d90.append(staff_id)
    # Unit results for heads (the ceiling); Decree 90's inputs counted as the close counts them
    # (rules.md "Settled points" 2: `inputs.decree90_inputs`).
    head_unit_ids = {heads[s] for s in ids if s in heads}
    # Each pack's current parameters, read once (not once per person).
    params_of = {pack_id: inputs.current_params(pack_id)[0] for pack_id in {*rules.registry.PACKS}}
    results_by_pack = {
        pack_id: inputs.unit_results(head_unit_ids, start, end, params_of[pack_id].unit)
        if head_unit_ids
        else {}
        for pack_id in {pack.id for pack in packs.values()}
    }
    year_inputs: dict[int, inputs.Decree90Input] = {}
    if d90:
        given = _given_counts(d90, str(rolled))
        # The unit a person belonged to in the year (not today's), for a leader with no dated
        # headship or deputy headship.
        worked_in = assignment_units(d90, start, end)
        year_inputs = inputs.decree90_inputs(
            [
                inputs.Decree90Person(
                    s,
                    people[s][0],
                    bool(people[s][1]),
                    worked_in.get(s, people[s][2]),
                    given.get(s),
                )
                for s in d90
            ],
            rolled,
            params_of["decree-90-2020"].unit,
        )
    # Each period code parsed once, not once per person and month (a city's year: 2.4M rows).
    within: dict[str, rules.Period | None] = {}
    totals = totals or {}
    same: dict[tuple[Any, ...], rules.Classification | rules.RuleInputError] = {}
    for staff_id, pack in packs.items():
        category, is_leader, unit_id = people[staff_id]
        params = params_of[pack.id]
        rows = months.get(staff_id, [])
        shown = [PeriodLine(r[1], r[2], r[3], r[4], r[5]) for r in rows] if lines else []
        is_head = staff_id in heads
        results = results_by_pack[pack.id]
        head_result = results.get(heads[staff_id]) if is_head else None
        stay = presence.get(staff_id)
        person_kwargs: dict[str, Any] = {
            "staff_id": staff_id,
            "category": rules.Category(category),
            "period": rolled,
            "is_leader": bool(is_leader),
            "is_head": is_head,
            "discipline": discipline.get(staff_id, ()),
            "unit_result": head_result.level if head_result else None,
        }
        if stay is not None:
            person_kwargs.update(
                months_worked=stay.months_worked,
                lawful_leave_months=stay.lawful_leave_months if stay.lawful_leave_months else None,
                maternity=stay.maternity,
            )
        try:
            if pack.id == "decree-90-2020":
                year = year_inputs.get(staff_id)
                facts = year.facts if year is not None else None
                try:
                    found = pack.classify(
                        rules.PersonPeriod(decree90=facts, **person_kwargs), params
                    )
                except rules.RuleInputError:
                    if year is not None and year.missing:
                        raise rules.RuleInputError(year.missing) from None
                    raise
            elif staff_id in totals:
                found = _from_totals(pack, totals[staff_id], person_kwargs, params, rolled, same)
            else:
                used = []
                for r in rows:
                    if r[3] != pack.id:
                        continue
                    inside = within.get(r[1], rolled)
                    if inside is rolled:
                        parsed = rules.Period.parse(r[1])
                        inside = within[r[1]] = parsed if parsed.within(rolled) else None
                    if inside is not None:
                        used.append(_stored(r, staff_id, inside))
                used = _no_overlap(used)
                found = pack.rollup(used, person=rules.PersonPeriod(**person_kwargs), params=params)
        except rules.RuleInputError as exc:
            yield staff_id, Rollup(staff_id, str(rolled), None, shown, "; ".join(exc.messages))
            continue
        yield (
            staff_id,
            Rollup(staff_id, str(rolled), found, shown, decree90=year_inputs.get(staff_id)),
        )


def _from_totals(
    pack: Any,
    totals: Totals,
    person: dict[str, Any],
    params: Any,
    rolled: rules.Period,
    same: dict[tuple[Any, ...], rules.Classification | rules.RuleInputError],
) -> rules.Classification:
    """The pack's roll-up of a person whose months come summed up (`Totals`): `rollup_totals`
    grades the mean of the `totals.rated` rated months, whose scores add up to
    `totals.rated_total`, as `rollup` grades it from the months themselves (the same level,
    score and trace; the months were checked by the read: the person's, under the pack,
    inside `rolled`). People with the same inputs share one call (`same`: a city's year has
    200,000 people and far fewer distinct inputs). The rule stays in the pack."""
    facts = tuple(item for item in person.items() if item[0] != "staff_id")
    key = (pack.id, totals.used, totals.rated, totals.rated_total, facts)
    found = same.get(key)
    if found is None:
        rated = totals.rated
        try:
            found = pack.rollup_totals(
                count=min(totals.used, len(_months_of(rolled))),
                rated=rated,
                total=(totals.rated_total or Decimal(0)) if rated else None,
                person=rules.PersonPeriod(**person),
                params=params,
            )
        except rules.RuleInputError as exc:
            found = exc
        same[key] = found
    if isinstance(found, rules.RuleInputError):
        raise found
    if found.staff_id != person["staff_id"]:
        found = _for_staff(found, person["staff_id"])
    return found


def _for_staff(found: rules.Classification, staff_id: Any) -> rules.Classification:
    """`dataclasses.replace(found, staff_id=staff_id)` for a shared roll-up, without going
    through `__init__` field by field (10.7 µs against 1.5 µs: a city's year shares a result
    between 100,000 people or more). `Classification` is a plain frozen dataclass (no
    `__post_init__`, no slots): a copy of its fields is the same value."""
    copied = object.__new__(type(found))
    fields = copied.__dict__
    fields.update(found.__dict__)
    fields["staff_id"] = staff_id
    return copied


@functools.lru_cache(maxsize=64)
def _months_of(rolled: rules.Period) -> tuple[rules.Period, ...]:
    return rolled.months()


def _given_counts(staff_ids: list[int], code: str) -> dict[int, rules.TaskCounts]:
    """The Decree 90 counts the people's evaluations of `code` give themselves."""
    out: dict[int, rules.TaskCounts] = {}
    for chunk in id_sets(staff_ids):
        out.update(
            inputs.given_counts(Evaluation.objects.filter(staff_id__in=chunk, period_code=code))
        )
    return out


def rollup_for(*, staff: Staff, period: str, pack_id: str | None = None) -> Rollup:
    return rollup_many([staff.pk], period, pack_id=pack_id).get(
        staff.pk, Rollup(staff.pk, period, None, error="unknown staff")
    )


_LEVELS = {level.value: level for level in rules.Level}


def _stored(row: Any, staff_id: int, period: rules.Period | None = None) -> StoredResult:
    """A closed period's stored result (a `_closed_months` row) as a roll-up reads it;
    `period`: the row's period already parsed."""
    return StoredResult(
        staff_id,
        row[3],
        period if period is not None else rules.Period.parse(row[1]),
        _LEVELS.get(row[4]) or rules.Level(row[4]),
        row[5],
    )


def _no_overlap(items: list[StoredResult]) -> list[StoredResult]:
    """Months win over a quarter that contains them (an agency that changed its rhythm)."""
    months = [c for c in items if c.period.kind is rules.PeriodKind.MONTH]
    quarters = [
        c
        for c in items
        if c.period.kind is rules.PeriodKind.QUARTER
        and not any(m.period.within(c.period) for m in months)
    ]
    return sorted(months + quarters, key=lambda c: c.period.start)
