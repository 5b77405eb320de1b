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
   classified on its criteria with the months beside it as evidence. On PostgreSQL the
   evaluations are not inserted here: their ids are reserved and the close's writer inserts
   them once classified (a city's 200,000 rows written once, not inserted then updated);
4. computes the roll-ups set-based (`rollup.iter_rollups`: the mean of the closed months graded
   unrounded, the year's overrides and the head's ceiling) from each person's count and total
   of closed months, summed up by the database in one read (`_read`), which the close then
   treats as the classification of steps 1-3 before the quota, the lock and the export.
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
from thenchot.core.id_sets import chunks, id_sets, is_whole, reserve_ids
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import Assignment

D90 = "decree-90-2020"
CENT = Decimal("0.01")


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
    # PostgreSQL: the new rows, not inserted yet (`_keep_new`): evaluation id -> its draft's
    # number in `drafts` (the columns every row of the draft shares) and -> its staff id; and
    # each row as `closing._fetch` reads one.
    new_rows: dict[int, int] = field(default_factory=dict)
    new_staff: dict[int, int] = field(default_factory=dict)
    new_values: list[tuple[Any, ...]] = field(default_factory=list)
    drafts: list[dict[str, Any]] = field(default_factory=list)


def rolls_up(pack: Any, period: rules.Period) -> bool:
    return period.kind in pack.period_kinds and period.kind not in pack.classified_kinds


def prepare(*, unit_id: int, parsed: rules.Period, dry_run: bool = False) -> Prepared:
    """Steps 1-3 of the module docstring (inside the close's transaction). On PostgreSQL the
    new rows are not inserted here but handed to the close (`Prepared.new_rows`), which
    inserts them classified; a dry run gives them negative ids and inserts nothing."""
    out = Prepared()
    if parsed.kind is rules.PeriodKind.MONTH:
        return out
    snap = tree()
    end = parsed.end
    subtree = snap.subtree_on(unit_id, end)
    # Each unit's agency once (a city's 200,000 people are in a few thousand units).
    agency_of = {u: snap.agency_of(u, end) for u in subtree}
    agencies = set(agency_of.values())
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
    if is_whole(len(assigned)):
        # Many people (a city): the task counts of every unit of the subtree for the period,
        # read once and kept for the close (`inputs.counts_kept`): the heads' ceilings under
        # each pack and Decree 90's managed units ask for overlapping sets of units, each set
        # a scan of the year's tasks (three scans of a city's year, 1.6 s of database each).
        inputs.unit_task_counts(subtree, parsed.start, parsed.end)
        # Everyone's rows are summed up once (`_read`), and who has a month in the subtree's
        # agencies is found in the same read (one scan of the year).
        read = _read(None, codes, months, sorted(agencies))
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
        and agency_of[st.unit_id] in agencies
    }
    # One read of these people's rows of the rolled period's months (its quarters for a year)
    # and of the period itself (`_read`), kept for them alone: what is still open, who has a
    # closed month, which roll-up rows exist, and the closed results the roll-ups use, summed
    # up per person and pack.
    if read is None:
        read = _read(here, codes, months)
    still_open = read.still_open & here.keys()
    closed_months = read.closed_months & here.keys()
    existing = {s: p for s, p in read.existing.items() if s in here}
    totals = read.totals
    for s in [s for s in totals if s not in here]:
        del totals[s]
    _refuse_open_months_elsewhere(sorted(still_open), months)
    packs: dict[int, Any] = {}
    by_category: dict[str, Any] = {}  # resolved once per category: None where no pack rates it
    for staff_id, standing in here.items():
        if staff_id in existing:
            packs[staff_id] = rules.registry.get(existing[staff_id])
            continue
        category = standing.category
        if category not in by_category:
            try:
                by_category[category] = inputs.resolve_pack(category, parsed)
            except rules.RuleInputError:
                by_category[category] = None  # no pack rates this category for this period
        if (pack := by_category[category]) is not None:
            packs[staff_id] = pack
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
        into = out if connection.vendor == "postgresql" else None
        out.created = _create_rows(new, here, packs, parsed, into=into, dry_run=dry_run)
    # The roll-ups (rows of packs that roll the period up) and the months beside a decree-90 year.
    by_pack: dict[str, list[int]] = defaultdict(list)
    made = set(new)  # a set: `new` is a city's year, 200,000 ids (a list here was quadratic)
    traces: dict[int, tuple[Any, str]] = {}  # `_graded`'s trace texts
    for staff_id, pack in packs.items():
        if staff_id in existing or staff_id in made:
            by_pack[pack.id].append(staff_id)
    for pack_id, ids in sorted(by_pack.items()):
        pack = rules.registry.get(pack_id)
        if rolls_up(pack, parsed):
            # From each person's count and total of their closed months under the pack; the
            # few with a quarter among them (an agency that changed its rhythm: months win
            # over the quarter that holds them) from their rows.
            summed = {s: t[pack_id] for s in ids if (t := totals.get(s)) and pack_id in t}
            rowed = [s for s, t in summed.items() if t.quarters]
            results = _results_of(rowed, codes) if rowed else {}
            for s in rowed:
                del summed[s]
            # Kept as the close stores them, each as it comes (not a city's `Rollup` objects).
            for staff_id, found in rollup.iter_rollups(
                ids, code, pack_id=pack_id, months=results, totals=summed, lines=False
            ):
                out.rolled[staff_id] = _graded(found, traces)
        elif pack_id == D90 and parsed.kind is rules.PeriodKind.YEAR:
            out.evidence.update(_evidence(ids, totals))
    return out


@dataclass
class _Read:
    """What `prepare` needs of people's rows of the rolled period, its months and quarters."""

    still_open: set[int] = field(default_factory=set)  # a month not closed yet
    closed_months: set[int] = field(default_factory=set)  # a month closed
    existing: dict[int, str] = field(default_factory=dict)  # the rolled period's row: its pack
    # staff id -> pack -> the closed results with a level under it, summed up
    totals: dict[int, dict[str, rollup.Totals]] = field(default_factory=dict)
    in_agencies: set[int] = field(default_factory=set)  # a month in one of `_read`'s periods


_LEVELS = tuple(level.value for level in rules.Level)


def _read(
    staff_ids: Iterable[int] | None,
    codes: list[str],
    months: list[str],
    agencies: list[int] | None = None,
) -> _Read:
    """One read of the rows of `codes` (the last: the rolled period's own) of these people, or
    of everyone (None), summed up by the database per person and pack (a city's year is 2.4M
    rows: read one by one, they were a fifth of its close); `agencies`: the people with a
    month in one of these agencies are noted."""
    out = _Read()
    sql, params = _totals_sql(codes, months, agencies)
    if staff_ids is None:
        parts: Iterable[tuple[str, list[Any]]] = [(sql.format(staff=""), params)]
    elif connection.vendor == "postgresql":
        parts = [(sql.format(staff="AND staff_id = ANY(%s)"), [*params, sorted(set(staff_ids))])]
    else:
        parts = (
            (
                sql.format(staff=f"AND staff_id IN ({', '.join(['%s'] * len(chunk))})"),
                params + chunk,
            )
            for chunk in chunks(staff_ids, 500)  # with the codes, under SQLite's 999 parameters
        )
    levels = len(_LEVELS)
    pg = connection.vendor == "postgresql"
    for query, args in parts:
        with connection.cursor() as cursor:
            if pg:
                # A city's 2.6M rows into 250,000 groups: in memory (the default 4 MB spilled
                # them to disk in 81 batches), and not compiled (JIT cost seconds here).
                cursor.execute("SET LOCAL work_mem = '128MB'")
                cursor.execute("SET LOCAL jit = off")
            cursor.execute(query, args)
            while batch := cursor.fetchmany(20_000):
                for staff_id, pack_id, open_, closed, own, noted, used, quarters, *rest in batch:
                    if own:
                        out.existing[staff_id] = pack_id
                    if noted:
                        out.in_agencies.add(staff_id)
                    if open_:
                        out.still_open.add(staff_id)
                    if closed:
                        out.closed_months.add(staff_id)
                    if used or quarters:
                        rated, rated_total, scored, scored_total, first = rest[:5]
                        out.totals.setdefault(staff_id, {})[pack_id] = rollup.Totals(
                            used=used,
                            rated=rated,
                            rated_total=_cents(rated_total),
                            scored=scored,
                            scored_total=_cents(scored_total),
                            first=first or "",
                            levels=tuple(rest[5 : 5 + levels]),
                            quarters=quarters,
                        )
            if pg:
                cursor.execute("RESET work_mem")
                cursor.execute("RESET jit")
    return out


def _totals_sql(
    codes: list[str], months: list[str], agencies: list[int] | None
) -> tuple[str, list[Any]]:
    """`_read`'s statement (`{staff}`: where the people's condition goes) and its parameters.
    Each period's facts are computed once and joined to its rows, which are counted and summed
    per person and pack."""
    q = connection.ops.quote_name
    evaluations = q(Evaluation._meta.db_table)
    periods = q(EvaluationPeriod._meta.db_table)
    code = codes[-1]
    quarters = [c for c in codes[:-1] if c not in set(months)] or [""]
    rated = [lv.value for lv in rules.Level if lv.rated]

    def marks(items: list[Any]) -> str:
        return ", ".join(["%s"] * len(items))

    # Each period's facts once (a few thousand periods), joined to its 2.6M rows: is it one of
    # the months, a quarter, the rolled period itself, in one of `agencies`.
    # The parameters in the order of their places: `c`, then `inner`'s, then the rows' codes.
    noted = "FALSE"
    params: list[Any] = [EvaluationStatus.CLOSED.value, *months, code, *quarters]
    if agencies:
        noted = f"code IN ({marks(months)}) AND agency_id IN ({marks(agencies)})"
        params += [*months, *agencies]
    params += [*codes, *codes]
    inner = (
        f"SELECT id, code IN ({marks(months)}) AS m, code = %s AS own,"
        f" code IN ({marks(quarters)}) AS qr, ({noted}) AS n"
        f" FROM {periods} WHERE code IN ({marks(codes)})"
    )
    source = (
        f"(SELECT e.staff_id, e.rule_pack, e.period_code, e.final_level, e.score, p.m, p.own,"
        f" p.qr, p.n, e.status = %s AS c FROM {evaluations} AS e JOIN ({inner}) AS p"
        f" ON p.id = e.period_id WHERE e.period_code IN ({marks(codes)}) {{staff}}) AS x"
    )
    result = "m AND c AND final_level <> ''"  # a closed result of a month
    by_level = ", ".join(
        f"count(*) FILTER (WHERE {result} AND final_level = %s)" for _lv in _LEVELS
    )
    sql = (
        "SELECT staff_id, rule_pack,"
        " count(*) FILTER (WHERE m AND NOT c), count(*) FILTER (WHERE m AND c),"
        " count(*) FILTER (WHERE own), count(*) FILTER (WHERE n),"
        f" count(*) FILTER (WHERE {result}),"
        " count(*) FILTER (WHERE qr AND c AND final_level <> ''),"
        f" count(score) FILTER (WHERE {result} AND final_level IN ({marks(rated)})),"
        f" sum(score) FILTER (WHERE {result} AND final_level IN ({marks(rated)})),"
        f" count(score) FILTER (WHERE {result}), sum(score) FILTER (WHERE {result}),"
        f" min(period_code) FILTER (WHERE {result}), {by_level}"
        f" FROM {source} GROUP BY staff_id, rule_pack"
    )
    return sql, [*rated, *rated, *_LEVELS, *params]


def _cents(value: Any) -> Decimal | None:
    """A sum of scores as the column would hold it (SQLite sums them as floats)."""
    return None if value is None else Decimal(value).quantize(CENT)


def _results_of(staff_ids: list[int], codes: list[str]) -> dict[int, list[Any]]:
    """The closed results with a level of these people (`_rows_of` rows), in period order: for
    the few whose roll-up needs them one by one."""
    out: dict[int, list[Any]] = defaultdict(list)
    closed = EvaluationStatus.CLOSED.value
    for r in _rows_of(staff_ids, codes[:-1]):
        if r[6] == closed and r[4]:
            out[r[0]].append(r)
    for rows in out.values():
        rows.sort(key=_code_of)
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
    after it: for many people one read of the codes kept in Python (`core.id_sets.WHOLE`), else by
    chunks.

    Streamed, each row made once, and the values that repeat (codes, packs, levels, statuses,
    scores) shared rather than one object per row: a city's year is 2.4M rows, held until the
    roll-ups are computed. On PostgreSQL the score comes as text made a Decimal once per
    distinct value (psycopg makes a new Decimal per row) through a server-side cursor (a
    client-side one would hold the whole result in libpq's memory)."""
    everyone = staff_ids is None
    wanted = set(staff_ids or ())
    base = Evaluation.objects.filter(period_code__in=codes).order_by()
    if everyone or is_whole(len(wanted)):
        queries: Iterable[Any] = [base]
    else:
        queries = (base.filter(staff_id__in=chunk) for chunk in id_sets(wanted))
    # Codes, packs, levels and statuses (strings), staff and period ids (ints: a str never equals
    # an int): each row's own objects would be ~150 bytes more a row.
    same: dict[Any, Any] = {}
    text = same.setdefault
    decimals: dict[Any, Decimal | None] = {None: None}
    pg = connection.vendor == "postgresql"
    for query in queries:
        rows: Iterator[tuple[Any, ...]]
        if pg:
            rows = _pg_rows(query, decimals)
        else:
            rows = query.values_list(*ROW_COLUMNS).iterator(chunk_size=20_000)
        for s, c, p, lv, sc, st, pk in rows:
            if everyone or s in wanted:
                yield (
                    text(s, s),
                    text(c, c),
                    "",
                    text(p, p),
                    text(lv, lv),
                    decimals.setdefault(sc, sc),
                    text(st, st),
                    text(pk, pk),
                )


def _pg_rows(query: Any, decimals: dict[Any, Decimal | None]) -> Iterator[tuple[Any, ...]]:
    """The rows through a server-side cursor, the score read as text and made a Decimal once
    per distinct value (kept in `decimals`, keyed by the text)."""
    sql, params = (
        query.annotate(score_text=Cast("score", TextField()))
        .values_list(*(c if c != "score" else "score_text" for c in ROW_COLUMNS))
        .query.sql_with_params()
    )
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(20_000):
            for s, c, p, lv, sc, st, pk in batch:
                if sc is not None and sc not in decimals:
                    decimals[sc] = Decimal(sc)
                yield s, c, p, lv, decimals[sc], st, pk


def _code_of(row: Any) -> str:
    return row[1]


def _refuse_open_months_elsewhere(staff_ids: list[int], months: list[str]) -> None:
    """The months of these people, in any agency, that are not closed yet: refused by name."""
    found: list[str] = []
    for chunk in id_sets(staff_ids):
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
    *,
    into: Prepared | None = None,
    dry_run: bool = False,
) -> int:
    """The agencies' period rows (when missing) and one approved evaluation per person: inserted
    here, or with `into` (PostgreSQL) handed to the close, which inserts them classified."""
    snap = tree()
    code = str(parsed)
    by_unit: dict[int, int] = {}  # each unit's agency once, not once per person
    for s in new:
        unit_id = standings[s].unit_id
        if unit_id not in by_unit:
            by_unit[unit_id] = snap.agency_of(unit_id, parsed.end)
    agency_of = {s: by_unit[standings[s].unit_id] for s in new}
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
    # per row), or on PostgreSQL not at all here (`into`).
    table = bulk.Table(Evaluation)
    names = [f.attname for f in table.fields]
    now = timezone.now()
    stamped = {
        f.attname
        for f in table.fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }
    drafts: dict[tuple[Any, ...], dict[str, Any]] = {}
    numbers: dict[tuple[Any, ...], int] = {}
    # One evaluation built per agency and pack; a draft per standing is a copy of it with the
    # standing's columns (`services.standing_columns`): a city has tens of thousands of them.
    templates: dict[tuple[Any, ...], dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    made_rows = 0
    kept: list[tuple[int, int]] = []  # (staff id, draft number) of the rows left to the close
    for s in new:
        period_row = periods[agency_of[s]]
        if period_row.status == PeriodStatus.CLOSED:
            continue
        key = (agency_of[s], standings[s], packs[s].id)
        draft = drafts.get(key)
        if draft is None:
            template = templates.get(key[::2])
            if template is None:
                made_one = services.evaluation_draft(
                    period_row=period_row,
                    staff_id=s,
                    standing=standings[s],
                    rule_pack=packs[s].id,
                    pack_version=packs[s].version,
                    status=EvaluationStatus.APPROVED,
                )
                template = templates[key[::2]] = {name: getattr(made_one, name) for name in names}
                template.update(dict.fromkeys(stamped, now))
            draft = drafts[key] = {**template, **services.standing_columns(standings[s])}
            numbers[key] = len(numbers)
        if into is not None:
            kept.append((s, numbers[key]))
            continue
        rows.append({**draft, "staff_id": s})
        if len(rows) == bulk.BATCH:  # written as they come: a city's 200,000 rows never held
            table.insert(rows)
            made_rows += len(rows)
            rows = []
    if into is not None:
        _keep_new(into, kept, list(drafts.values()), dry_run=dry_run)
        return len(kept)
    if rows:
        table.insert(rows)
    return made_rows + len(rows)


def _keep_new(
    into: Prepared, kept: list[tuple[int, int]], drafts: list[dict[str, Any]], *, dry_run: bool
) -> None:
    """The new rows handed to the close instead of inserted (PostgreSQL): each with its id —
    taken from the table's sequence, or negative for a dry run, which writes nothing — its
    draft, and the tuple `closing._fetch` would have read for it. The close's writer inserts
    them once classified (`close_writer`): inserting them approved and then updating them was
    a city's 200,000 rows written twice."""
    count = len(kept)
    ids = list(range(-1, -count - 1, -1)) if dry_run else reserve_ids(Evaluation, count)
    approved = EvaluationStatus.APPROVED.value
    # The columns after the id and the staff id are the draft's: made once per draft.
    tails = [
        (
            d["unit_id"],
            d["period_id"],
            d["category"],
            d["is_leader"],
            d["is_head"],
            d["rule_pack"],
            _text(d["reviewed_general_points"], d["general_points"]),
            _text(d["reviewed_task_points"], d["task_points"]),
            _text(d["reviewed_bonus_points"], d["bonus_points"]),
            d["quota_demoted"],
            approved,
            d["final_level"],
            d["score"],
        )
        for d in drafts
    ]
    for pk, (staff_id, number) in zip(ids, kept, strict=True):
        into.new_rows[pk] = number
        into.new_staff[pk] = staff_id
        into.new_values.append((pk, staff_id, *tails[number]))
    into.drafts = drafts


def _text(reviewed: Any, own: Any) -> str | None:
    """Points as `closing._fetch` reads them on PostgreSQL: the reviewed ones, else the own, as
    text with the column's two decimals."""
    value = reviewed if reviewed is not None else own
    return None if value is None else f"{Decimal(value):.2f}"


def _graded(found: rollup.Rollup, traces: dict[int, tuple[Any, str]] | None = None) -> Graded | str:
    """The roll-up as the close stores it. `traces`: the JSON of each trace met, by the trace
    object (kept with it, so that its id is not reused): people with the same inputs share
    one classification's trace (`rollup._from_totals`), encoded once."""
    c = found.classification
    if c is None:
        return found.error or _("no closed month to roll up")
    if traces is None:
        return Graded(c.level, c.score, c.is_leader, trace_json(c.trace))
    known = traces.get(id(c.trace))
    if known is None or known[0] is not c.trace:
        known = traces[id(c.trace)] = (c.trace, trace_json(c.trace))
    return Graded(c.level, c.score, c.is_leader, known[1])


def _evidence(
    staff_ids: list[int], totals: dict[int, dict[str, rollup.Totals]]
) -> dict[int, dict[str, object]]:
    """The closed months beside a decree-90 year: their mean (unrounded, shown to two decimals)
    and levels, as one trace line of the year's reasons (rules.md "Settled points" 3), from
    the people's closed months summed up per pack (`_read`); the pack shown is the first
    month's."""
    out: dict[int, dict[str, object]] = {}
    for staff_id in staff_ids:
        found = [t for t in totals.get(staff_id, {}).items() if t[1].used]
        if not found:
            continue
        count = sum(t.used for _p, t in found)
        scored = sum(t.scored for _p, t in found)
        total = sum((t.scored_total or Decimal(0) for _p, t in found), Decimal(0))
        mean = total / scored if scored else None
        counts = [sum(t.levels[i] for _p, t in found) for i in range(len(_LEVELS))]
        levels = ", ".join(f"{n} {lv}" for lv, n in zip(_LEVELS, counts, strict=True) if n)
        out[staff_id] = {
            "count": count,
            "pack": min(found, key=lambda t: t[1].first)[0],
            # graded nowhere: shown to two decimals (rules.md "Settled points" 3)
            "score": f"{rules.base.q2(mean):.2f}" if mean is not None else "—",
            "levels": levels,
        }
    return out
