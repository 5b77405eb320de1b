"""Closing a quarter or a year that a pack rolls up from its months (rules.md "Settled points"
3): the roll-up is a period that closes like a month.

Before the ordinary close runs (`closing`), `prepare`:
1. refuses, naming them, while a month of the rolled period is still open in an agency of the
   subtree, or a person concerned has a month still open elsewhere (their months in another
   agency count: the person's months, not the agency's);
2. finds the people: those with a month of the period in an agency of the subtree and those
   assigned in it on the period's last day, each counted in the agency of their unit on that
   day ("Settled points" 11);
3. creates the agencies' period rows and one evaluation per person-period (approved: nothing is
   entered by hand in a roll-up) under the pack in force for their category and the period —
   decree-90 for the year of cán bộ and viên chức (and công chức until 2025), which is
   classified on its criteria with the months beside it as evidence;
4. computes the roll-ups set-based (`rollup.rollup_many`: the mean of the closed months graded
   unrounded, the year's overrides and the head's ceiling), which the close then treats as the
   classification of steps 1-3 before the quota, the lock and the export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.appraisal import inputs, rollup, rules, services
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.rules.batch import Graded, trace_json
from thenchot.core import auditing, bulk
from thenchot.core.errors import DomainError
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import Assignment

D90 = "decree-90-2020"


class MonthsOpen(DomainError):
    code = "months_open"
    status = 409


@dataclass
class Prepared:
    """What the roll-up close adds to the ordinary close."""

    created: int = 0
    # staff id -> the roll-up as the close stores it, or why it cannot be made
    rolled: dict[int, Graded | str] = field(default_factory=dict)
    # staff id -> the monthly results beside a decree-90 year (a line of its reasons: params)
    evidence: dict[int, dict[str, object]] = field(default_factory=dict)


def rolls_up(pack: Any, period: rules.Period) -> bool:
    return period.kind in pack.period_kinds and period.kind not in pack.classified_kinds


def prepare(*, unit_id: int, parsed: rules.Period) -> Prepared:
    """Steps 1-3 of the module docstring (inside the close's transaction)."""
    out = Prepared()
    if parsed.kind is rules.PeriodKind.MONTH:
        return out
    snap = tree()
    end = parsed.end
    subtree = snap.subtree_on(unit_id, end)
    agencies = {snap.agency_of(u, end) for u in subtree}
    months = [str(m) for m in parsed.months()]
    open_months = sorted(
        EvaluationPeriod.objects.filter(code__in=months, agency_id__in=sorted(agencies))
        .exclude(status=PeriodStatus.CLOSED)
        .values_list("code", "agency__code")
    )
    assigned = set(
        Assignment.objects.filter(valid_on_q(end), unit_id__in=sorted(subtree)).values_list(
            "staff_id", flat=True
        )
    )
    code = str(parsed)
    codes = [*rollup.rolled_codes(parsed), code]
    read: _Read | None = None
    if len(assigned) > rollup.WHOLE:
        # Many people (a city): their rows are read whole once (`_rows_of`), and who has a month
        # in the subtree's agencies is found in the same read (one scan of the year, not two).
        in_agencies = set(
            EvaluationPeriod.objects.filter(
                code__in=months, agency_id__in=sorted(agencies)
            ).values_list("pk", flat=True)
        )
        read = _read(None, codes, months, in_agencies)
        month_rows: Iterable[int] = read.in_agencies
    else:
        month_rows = list(
            Evaluation.objects.filter(
                period_code__in=months, period__agency_id__in=sorted(agencies)
            )
            .order_by()
            .values_list("staff_id", flat=True)
            .distinct()
        )
    if not month_rows and not open_months:
        return out  # no month in the subtree: nothing is rolled up (a directly rated year)
    if open_months:
        lines = [f"{code} ({agency})" for code, agency in open_months]
        raise MonthsOpen(
            _("%(period)s is rolled up from its months; still open: %(list)s")
            % {"period": str(parsed), "list": ", ".join(lines)},
            field_errors={"period": lines},
        )
    candidates = sorted(set(month_rows) | assigned)
    standings = services.evaluation_standings(pairs=[(s, parsed) for s in candidates])
    here = {
        s: st
        for s in candidates
        if (st := standings.get((s, code))) is not None
        and st.unit_id in subtree
        and snap.agency_of(st.unit_id, end) in agencies
    }
    # One read of these people's rows of the rolled period's months (its quarters for a year)
    # and of the period itself (`_read`), kept for them alone: what is still open, who has a
    # closed month, which roll-up rows exist, and the closed results the roll-ups use.
    if read is None:
        read = _read(here, codes, months)
    still_open = read.still_open & here.keys()
    closed_months = read.closed_months & here.keys()
    existing = {s: p for s, p in read.existing.items() if s in here}
    results = read.results
    for s in [s for s in results if s not in here]:
        del results[s]
    _refuse_open_months_elsewhere(sorted(still_open), months)
    for rows in results.values():
        rows.sort(key=_code_of)
    packs: dict[int, Any] = {}
    for staff_id, standing in here.items():
        if staff_id in existing:
            packs[staff_id] = rules.registry.get(existing[staff_id])
            continue
        try:
            packs[staff_id] = inputs.resolve_pack(standing.category, parsed)
        except rules.RuleInputError:
            continue  # no pack rates this category for this period
    # A row for each person whose pack rolls the period up from their closed months, and for
    # the year of those the pack in force rates on its criteria (decree-90), months beside it.
    year90 = parsed.kind is rules.PeriodKind.YEAR
    new = [
        s
        for s, pack in packs.items()
        if s not in existing
        and ((rolls_up(pack, parsed) and s in closed_months) or (year90 and pack.id == D90))
    ]
    if new:
        out.created = _create_rows(new, here, packs, parsed)
    # The roll-ups (rows of packs that roll the period up) and the months beside a decree-90 year.
    by_pack: dict[str, list[int]] = defaultdict(list)
    made = set(new)  # a set: `new` is a city's year, 200,000 ids (a list here was quadratic)
    for staff_id, pack in packs.items():
        if staff_id in existing or staff_id in made:
            by_pack[pack.id].append(staff_id)
    for pack_id, ids in sorted(by_pack.items()):
        pack = rules.registry.get(pack_id)
        if rolls_up(pack, parsed):
            # Kept as the close stores them, each as it comes (not a city's `Rollup` objects).
            for staff_id, found in rollup.iter_rollups(
                ids, code, pack_id=pack_id, months=results, lines=False
            ):
                out.rolled[staff_id] = _graded(found)
        elif pack_id == D90 and parsed.kind is rules.PeriodKind.YEAR:
            out.evidence.update(_evidence(ids, parsed, results))
    return out


@dataclass
class _Read:
    """What `prepare` needs of people's rows of the rolled period, its months and quarters."""

    still_open: set[int] = field(default_factory=set)  # a month not closed yet
    closed_months: set[int] = field(default_factory=set)  # a month closed
    existing: dict[int, str] = field(default_factory=dict)  # the rolled period's row: its pack
    # the closed results with a level (`_rows_of` tuples), unsorted
    results: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    in_agencies: set[int] = field(default_factory=set)  # a month in one of `_read`'s periods


def _read(
    staff_ids: Iterable[int] | None,
    codes: list[str],
    months: list[str],
    in_agencies: set[int] | None = None,
) -> _Read:
    """One read of the rows of `codes` (the last: the rolled period's own) of these people, or
    of everyone (None), sorted out; `in_agencies`: month periods whose people are noted."""
    out = _Read()
    code = codes[-1]
    in_months = set(months)
    closed = EvaluationStatus.CLOSED.value
    periods = in_agencies or set()
    still_open, closed_months, existing = out.still_open, out.closed_months, out.existing
    results, noted = out.results, out.in_agencies
    for r in _rows_of(staff_ids, codes):
        staff_id, row_code = r[0], r[1]
        if row_code == code:
            existing[staff_id] = r[3]
            continue
        if r[7] in periods:
            noted.add(staff_id)
        if r[6] != closed:
            if row_code in in_months:
                still_open.add(staff_id)
            continue
        if row_code in in_months:
            closed_months.add(staff_id)
        if r[4]:
            results[staff_id].append(r)
    return out


# Read for each person of a roll-up (see `_rows_of`): staff id, period code, pack, level, score,
# status, period id.
ROW_COLUMNS = (
    "staff_id",
    "period_code",
    "rule_pack",
    "final_level",
    "score",
    "status",
    "period_id",
)


def _rows_of(staff_ids: Iterable[int] | None, codes: list[str]) -> Iterator[tuple[Any, ...]]:
    """The evaluations of these people (None: everyone's) for these period codes, in no order,
    each as the tuple (staff id, period code, "", pack, level, score, status, period id) — a
    closed result as `rollup._closed_months` gives it (no agency code), its status and period
    after it: for many people one read of the codes kept in Python (`rollup.WHOLE`), else by
    chunks.

    Streamed, each row made once, and the values that repeat (codes, packs, levels, statuses,
    scores) shared rather than one object per row: a city's year is 2.4M rows, held until the
    roll-ups are computed. On PostgreSQL the score comes as text made a Decimal once per
    distinct value (psycopg makes a new Decimal per row) through a server-side cursor (a
    client-side one would hold the whole result in libpq's memory)."""
    everyone = staff_ids is None
    wanted = set(staff_ids or ())
    base = Evaluation.objects.filter(period_code__in=codes).order_by()
    if everyone or len(wanted) > rollup.WHOLE:
        queries: Iterable[Any] = [base]
    else:
        queries = (base.filter(staff_id__in=chunk) for chunk in inputs.id_sets(wanted))
    # Codes, packs, levels and statuses (strings), staff and period ids (ints: a str never equals
    # an int): each row's own objects would be ~150 bytes more a row.
    same: dict[Any, Any] = {}
    text = same.setdefault
    decimals: dict[Any, Decimal | None] = {None: None}
    pg = connection.vendor == "postgresql"
    for query in queries:
        if pg:
            sql, params = (
                query.annotate(score_text=Cast("score", TextField()))
                .values_list(*(c if c != "score" else "score_text" for c in ROW_COLUMNS))
                .query.sql_with_params()
            )
            with connection.chunked_cursor() as cursor:
                cursor.execute(sql, params)
                while batch := cursor.fetchmany(20_000):
                    for s, c, p, lv, sc, st, pk in batch:
                        if everyone or s in wanted:
                            score = decimals.get(sc)
                            if score is None and sc is not None:
                                score = decimals[sc] = Decimal(sc)
                            yield (
                                text(s, s),
                                text(c, c),
                                "",
                                text(p, p),
                                text(lv, lv),
                                score,
                                text(st, st),
                                text(pk, pk),
                            )
            continue
        rows = query.values_list(*ROW_COLUMNS).iterator(chunk_size=20_000)
        for s, c, p, lv, sc, st, pk in rows:
            if everyone or s in wanted:
                score = decimals.setdefault(sc, sc)
                yield (
                    text(s, s),
                    text(c, c),
                    "",
                    text(p, p),
                    text(lv, lv),
                    score,
                    text(st, st),
                    text(pk, pk),
                )


def _code_of(row: Any) -> str:
    return row[1]


def _refuse_open_months_elsewhere(staff_ids: list[int], months: list[str]) -> None:
    """The months of these people, in any agency, that are not closed yet: refused by name."""
    found: list[str] = []
    for chunk in inputs.id_sets(staff_ids):
        found += [
            f"{name} ({staff}): {month} ({agency})"
            for name, staff, month, agency in Evaluation.objects.filter(
                staff_id__in=chunk, period_code__in=months
            )
            .exclude(status=EvaluationStatus.CLOSED)
            .order_by("staff__code", "period_code")
            .values_list("staff__full_name", "staff__code", "period_code", "period__agency__code")
        ]
    if found:
        raise MonthsOpen(
            _("months still open: %(list)s") % {"list": "; ".join(found[:50])},
            field_errors={"period": found[:50]},
        )


def _create_rows(
    new: Sequence[int],
    standings: dict[int, Any],
    packs: dict[int, Any],
    parsed: rules.Period,
) -> int:
    """The agencies' period rows (when missing) and one approved evaluation per person."""
    snap = tree()
    code = str(parsed)
    agency_of = {s: snap.agency_of(standings[s].unit_id, parsed.end) for s in new}
    periods = {
        p.agency_id: p
        for p in EvaluationPeriod.objects.filter(
            code=code, agency_id__in=sorted(set(agency_of.values()))
        )
    }
    made = [
        EvaluationPeriod(agency_id=agency_id, code=code, **services.period_defaults(parsed))
        for agency_id in sorted(set(agency_of.values()) - set(periods))
    ]
    if made:
        EvaluationPeriod.objects.bulk_create(made)
        if made[0].pk is None:  # a backend that returns no ids: read them back
            made = list(
                EvaluationPeriod.objects.filter(
                    code=code, agency_id__in=[p.agency_id for p in made]
                )
            )
        auditing.record_many(
            auditing.Change(p, auditing.CREATE, None, auditing.snapshot(p)) for p in made
        )
        periods.update({p.agency_id: p for p in made})
    # One draft per distinct standing, agency and pack (`services.evaluation_draft` decides the
    # columns), copied for each person of it: a city's year is 200,000 rows, and a model
    # instance each cost more than the rest of the insert. Through `core.bulk` (no ORM compile
    # per row).
    table = bulk.Table(Evaluation)
    names = [f.attname for f in table.fields]
    now = timezone.now()
    stamped = {
        f.attname
        for f in table.fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    drafts: dict[tuple[Any, ...], dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    made_rows = 0
    for s in new:
        period_row = periods[agency_of[s]]
        if period_row.status == PeriodStatus.CLOSED:
            continue
        key = (agency_of[s], standings[s], packs[s].id)
        draft = drafts.get(key)
        if draft is None:
            made_one = services.evaluation_draft(
                period_row=period_row,
                staff_id=s,
                standing=standings[s],
                rule_pack=packs[s].id,
                pack_version=packs[s].version,
                status=EvaluationStatus.APPROVED,
            )
            draft = drafts[key] = {name: getattr(made_one, name) for name in names}
            draft.update(dict.fromkeys(stamped, now))
        rows.append({**draft, "staff_id": s})
        if len(rows) == bulk.BATCH:  # written as they come: a city's 200,000 rows never held
            table.insert(rows)
            made_rows += len(rows)
            rows = []
    if rows:
        table.insert(rows)
    return made_rows + len(rows)


def _graded(found: rollup.Rollup) -> Graded | str:
    c = found.classification
    if c is None:
        return found.error or _("no closed month to roll up")
    return Graded(c.level, c.score, c.is_leader, trace_json(c.trace))


def _evidence(
    staff_ids: list[int], parsed: rules.Period, results: dict[int, list[Any]]
) -> dict[int, dict[str, object]]:
    """The closed months beside a decree-90 year: their mean (unrounded, shown to two decimals)
    and levels, as one trace line of the year's reasons (rules.md "Settled points" 3).
    `results`: the people's closed results with a level, in period order (`prepare`)."""
    out: dict[int, dict[str, object]] = {}
    months = {str(m) for m in parsed.months()}
    for staff_id in staff_ids:
        # (pack, level, score) of each closed month (rows as `rollup._closed_months` makes them)
        found = [(r[3], r[4], r[5]) for r in results.get(staff_id, ()) if r[1] in months]
        if not found:
            continue
        scores = [s for _p, _l, s in found if s is not None]
        mean = sum(scores, Decimal(0)) / len(scores) if scores else None
        counts: dict[str, int] = defaultdict(int)
        for _p, level, _s in found:
            counts[level] += 1
        levels = ", ".join(
            f"{counts[lv.value]} {lv.value}" for lv in rules.Level if counts.get(lv.value)
        )
        out[staff_id] = {
            "count": len(found),
            "pack": found[0][0],
            # graded nowhere: shown to two decimals (rules.md "Settled points" 3)
            "score": f"{rules.base.q2(mean):.2f}" if mean is not None else "—",
            "levels": levels,
        }
    return out
