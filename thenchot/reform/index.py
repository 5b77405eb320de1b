"""The reform index of a year: per unit, per criterion, its points and where they came from,
the total and the rank in the unit's group (shared/spec/report.md, `reform`). One module for
the pages, the report block, the API and the command line.

- `self` and `appraised` criteria (and penalties, whose maximum is negative): the council's
  points if set, else the appraised points, else the self-score; none: 0.
- `computed`: maximum × rate ÷ 100 (`reform.rates`: the unit's subtree, 1 January to the
  earlier of 31 December and `as_of`, statuses on `as_of`; nothing to count: 100).
- `survey`: maximum × the unrounded satisfaction index of the unit's subtree over the same
  window ÷ 100 (no answers: 0 — the survey was not done).
- Each criterion's points are rounded half up to two decimals; the total is their sum. A
  criterion with sub-criteria is a heading: its sub-criteria carry the points.
- Rank: within the group (department; district; commune and ward together; every other kind on
  its own), by total, highest first; equal totals share a rank and the next skips (1, 2, 2, 4).
- A published round gives the figures frozen at publication (`PublishedResult`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from thenchot.org.tree import tree
from thenchot.reform.choices import Method, PointsSource, RoundStatus, Source
from thenchot.reform.models import AssessmentRound, Criterion, PublishedResult, Score
from thenchot.reform.rates import Counted, Window, rates_for_units

CENT = Decimal("0.01")
ZERO = Decimal("0")


def round_points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rank_group(kind: str) -> str:
    if kind in ("commune", "ward"):
        return "commune_ward"
    return kind


@dataclass
class CriterionPoints:
    criterion: Criterion
    points: Decimal
    source: str  # PointsSource
    rate: Decimal | None = None  # computed: the rate; survey: the index (None: no answers)
    numerator: int | None = None
    denominator: int | None = None

    @property
    def source_label(self) -> str:
        return str(PointsSource(self.source).label)


@dataclass
class UnitIndex:
    unit_id: int
    code: str
    name: str
    kind: str
    group: str
    points: list[CriterionPoints] = field(default_factory=list)
    total: Decimal = ZERO
    rank: int = 0

    def by_content(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for p in self.points:
            out[p.criterion.content.name] += p.points
        return dict(out)


@dataclass
class ReformIndex:
    year: int
    as_of: dt.date
    published: bool
    criteria: list[Criterion]
    units: list[UnitIndex]

    def unit(self, unit_id: int) -> UnitIndex | None:
        return next((u for u in self.units if u.unit_id == unit_id), None)

    def groups(self) -> dict[str, list[UnitIndex]]:
        out: dict[str, list[UnitIndex]] = defaultdict(list)
        for u in self.units:
            out[u.group].append(u)
        return dict(out)


def scored_criteria(year: int) -> list[Criterion]:
    """The criteria that carry points: those without sub-criteria."""
    criteria = list(
        Criterion.objects.filter(framework__year=year)
        .select_related("content", "parent")
        .order_by("content__position", "position", "code")
    )
    parents = {c.parent_id for c in criteria if c.parent_id is not None}
    return [c for c in criteria if c.pk not in parents]


class Given(NamedTuple):
    """The given points of one score row (read without building the model)."""

    self_points: Decimal | None
    appraised_points: Decimal | None
    council_points: Decimal | None


def given_points(score: Score | Given | None) -> tuple[Decimal, str]:
    """Council, else appraised, else self; none: 0."""
    if score is None:
        return ZERO, PointsSource.NONE
    if score.council_points is not None:
        return score.council_points, PointsSource.COUNCIL
    if score.appraised_points is not None:
        return score.appraised_points, PointsSource.APPRAISED
    if score.self_points is not None:
        return score.self_points, PointsSource.SELF
    return ZERO, PointsSource.NONE


def _survey(unit_ids: list[int], w: Window) -> dict[int, Any]:
    from thenchot.surveys.index import satisfaction_for_units

    units = list(_units(unit_ids))
    return satisfaction_for_units(units=units, date_from=w.date_from, date_to=w.date_to)


def _units(unit_ids: Iterable[int]) -> Any:
    from thenchot.org.models import Unit

    return Unit.objects.filter(pk__in=sorted(set(unit_ids))).order_by("code")


def listed_unit_ids(year: int, within: int | None, on: dt.date) -> list[int]:
    ids = set(
        Score.objects.filter(criterion__framework__year=year)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    if within is not None:
        ids &= tree().subtree_on(within, on) | {within}
    return sorted(ids)


def live_points(
    *, year: int, as_of: dt.date, unit_ids: list[int], criteria: list[Criterion]
) -> dict[int, list[CriterionPoints]]:
    """The live figures of every criterion for `unit_ids`."""
    w = Window.of(year, as_of)
    scores: dict[tuple[int, int], Given] = {
        (unit_id, criterion_id): Given(*points)
        for unit_id, criterion_id, *points in Score.objects.filter(
            unit_id__in=unit_ids, criterion__framework__year=year
        ).values_list(
            "unit_id", "criterion_id", "self_points", "appraised_points", "council_points"
        )
    }
    computed_sources = {c.source for c in criteria if c.method == Method.COMPUTED and c.source}
    rates = rates_for_units(unit_ids=unit_ids, window=w, sources=computed_sources)
    survey = _survey(unit_ids, w) if any(c.method == Method.SURVEY for c in criteria) else {}
    out: dict[int, list[CriterionPoints]] = {}
    for unit_id in unit_ids:
        row: list[CriterionPoints] = []
        for c in criteria:
            if c.method == Method.COMPUTED:
                counted = rates.get(c.source, {}).get(unit_id, Counted())
                row.append(
                    CriterionPoints(
                        c,
                        round_points(c.max_points * counted.rate / 100),
                        PointsSource.COMPUTED,
                        rate=counted.rate,
                        numerator=counted.numerator,
                        denominator=counted.denominator,
                    )
                )
            elif c.method == Method.SURVEY:
                sat = survey.get(unit_id)
                index = getattr(sat, "index", None)
                raw = c.max_points * index / 100 if index is not None else ZERO
                row.append(
                    CriterionPoints(
                        c,
                        round_points(raw),
                        PointsSource.SURVEY,
                        rate=index,
                        numerator=getattr(sat, "responses", 0),
                    )
                )
            else:
                value, source = given_points(scores.get((unit_id, c.pk)))
                row.append(CriterionPoints(c, round_points(value), source))
        out[unit_id] = row
    return out


def _published_points(
    rnd: AssessmentRound, unit_ids: list[int], criteria: list[Criterion]
) -> dict[int, list[CriterionPoints]]:
    stored = {
        (r.unit_id, r.criterion_id): r
        for r in PublishedResult.objects.filter(round=rnd, unit_id__in=unit_ids)
    }
    out: dict[int, list[CriterionPoints]] = {}
    for unit_id in unit_ids:
        row = []
        for c in criteria:
            r = stored.get((unit_id, c.pk))
            if r is None:
                row.append(CriterionPoints(c, ZERO, PointsSource.NONE))
            else:
                row.append(
                    CriterionPoints(
                        c,
                        r.points,
                        r.source,
                        rate=r.rate,
                        numerator=r.numerator,
                        denominator=r.denominator,
                    )
                )
        out[unit_id] = row
    return out


def rank(units: list[UnitIndex]) -> None:
    """1, 2, 2, 4 within each group."""
    by_group: dict[str, list[UnitIndex]] = defaultdict(list)
    for u in units:
        by_group[u.group].append(u)
    for members in by_group.values():
        totals = sorted((u.total for u in members), reverse=True)
        for u in members:
            u.rank = 1 + sum(1 for t in totals if t > u.total)


def compute_index(
    *,
    year: int,
    as_of: dt.date,
    within: int | None = None,
    unit_ids: list[int] | None = None,
    live: bool = False,
) -> ReformIndex:
    """The index of `year` for every unit with a score row (in the subtree of `within` when
    given), ranked among the listed units of its group. A published round gives its frozen
    figures unless `live`."""
    snap = tree()
    w = Window.of(year, as_of)
    rnd = AssessmentRound.objects.filter(year=year).first()
    published = rnd is not None and rnd.status == RoundStatus.PUBLISHED and not live
    criteria = scored_criteria(year)
    if published:
        assert rnd is not None
        listed = set(
            PublishedResult.objects.filter(round=rnd).values_list("unit_id", flat=True).distinct()
        )
        if within is not None:
            listed &= snap.subtree_on(within, w.date_to) | {within}
        ids = sorted(listed)
    else:
        ids = listed_unit_ids(year, within, w.date_to)
    if unit_ids is not None:
        ids = [i for i in ids if i in set(unit_ids)]
    points = (
        _published_points(rnd, ids, criteria)  # type: ignore[arg-type]
        if published
        else live_points(year=year, as_of=as_of, unit_ids=ids, criteria=criteria)
    )
    units: list[UnitIndex] = []
    for unit_id in ids:
        info = snap.units[unit_id]
        row = points[unit_id]
        units.append(
            UnitIndex(
                unit_id=unit_id,
                code=info.code,
                name=info.name,
                kind=info.kind,
                group=rank_group(info.kind),
                points=row,
                total=sum((p.points for p in row), ZERO),
            )
        )
    rank(units)
    units.sort(key=lambda u: (u.group, u.rank, u.code))
    return ReformIndex(year=year, as_of=as_of, published=published, criteria=criteria, units=units)


__all__ = ["ReformIndex", "Source", "UnitIndex", "compute_index", "round_points"]
