"""Opening evaluation periods: one agency's period on demand, and this month's period of every
agency from the hourly job, each creating the draft evaluations of the people assigned.

What a new evaluation takes from the person's record — unit, category, `is_leader`, `is_head` —
is decided here once, for batches (`evaluation_standings`, `evaluation_draft`), and the
evaluations import (`appraisal.interchange`) creates its rows through the same functions: an
imported head is capped by the unit result exactly like a head whose period was opened."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import inputs, rules, summary
from thenchot.appraisal.choices import PeriodKind
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.services.base import _refuse, _today
from thenchot.appraisal.services.lines import _roles
from thenchot.core import auditing
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.id_sets import rows_for
from thenchot.org.models import Unit, valid_on_q
from thenchot.org.tree import tree
from thenchot.people.choices import HeadRole
from thenchot.people.models import Assignment, HeadAssignment, Staff
from thenchot.people.selectors import assignment_units

# *default* step deadlines, in days after the period's last day (the texts leave them to the
# agency; an administrator changes a period's dates).
SELF_DAYS = 3
REVIEW_DAYS = 5
APPROVAL_DAYS = 7


@dataclass
class Opened:
    period: EvaluationPeriod
    created: int  # evaluations created now


def reference_day(period: rules.Period) -> dt.date:
    """The day a period's evaluations read the person's unit and headships on: its last day, or
    today while it runs (the rest of it has not happened yet)."""
    return min(period.end, max(period.start, _today()))


def period_defaults(period: rules.Period) -> dict[str, Any]:
    """The columns of a new `EvaluationPeriod` row for `period`, deadlines at their defaults: a
    year's rating is due before 15 December (rules.md, Decree 335 and Decree 90 "Timing"), its
    self-assessments ten days and its reviews five days before."""
    if period.kind is rules.PeriodKind.YEAR:
        return {
            "kind": PeriodKind.YEAR,
            "starts_on": period.start,
            "ends_on": period.end,
            **_year_dues(rules.year_deadline(period.start.year)),
        }
    return {
        "kind": PeriodKind(period.kind.value),
        "starts_on": period.start,
        "ends_on": period.end,
        "self_due": period.end + dt.timedelta(days=SELF_DAYS),
        "review_due": period.end + dt.timedelta(days=REVIEW_DAYS),
        "approval_due": period.end + dt.timedelta(days=APPROVAL_DAYS),
    }


# -- what an evaluation takes from the person's record -------------------------------------------
@dataclass(frozen=True)
class Standing:
    """A person's standing in a period, copied onto their evaluation when it is created."""

    unit_id: int  # who reviews, and which agency's period holds the evaluation
    category: str  # which rule pack binds
    is_leader: bool  # the quota group (leaders and non-leaders)
    is_head: bool  # the unit-result ceiling (rules.md "Unit result")


def leadership_flags(*, leader_post: bool, roles: Collection[str]) -> tuple[bool, bool]:
    """(`is_leader`, `is_head`) of an evaluation, from the staff record's undated leadership
    flag and the roles of the dated headships covering the period's reference day.

    `is_head` comes from the dated headships alone (rules.md "Organisation history": a staff
    record's `is_head` is derived from them); a deputy headship makes a leader too, as it does
    for discipline (rules.md "Settled points" 13) and as Decree 335/2025 assesses deputies
    "the same way within the fields assigned to them" (rules.md, decree-335-2025)."""
    is_head = HeadRole.HEAD in roles
    return bool(leader_post) or is_head or HeadRole.DEPUTY in roles, is_head


def evaluation_standings(
    *,
    pairs: Iterable[tuple[int, rules.Period]],
    units: Mapping[tuple[int, str], int] | None = None,
) -> dict[tuple[int, str], Standing]:
    """(staff id, period code) -> the person's standing on the period's reference day.

    The unit is `units`' (the caller already knows it: opening a period selects the people by
    it), else the person's assignment that day, else their current unit. Set-based: one query
    per chunk of people for the staff rows, and per reference day for assignments and
    headships — an import of a city's year makes a few hundred queries, not one per row."""
    given = units or {}
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    unit_unknown: dict[dt.date, set[int]] = defaultdict(set)
    wanted: list[tuple[int, str, dt.date]] = []
    days: dict[rules.Period, tuple[str, dt.date]] = {}  # a city's year: 200,000 pairs, 1 period
    for staff_id, period in pairs:
        found = days.get(period)
        if found is None:
            found = days[period] = (str(period), reference_day(period))
        code, on = found
        by_day[on].add(staff_id)
        if (staff_id, code) not in given:
            unit_unknown[on].add(staff_id)
        wanted.append((staff_id, code, on))
    people = {
        pk: (category, is_leader, unit_id)
        for pk, category, is_leader, unit_id in rows_for(
            {s for ids in by_day.values() for s in ids},
            Staff.objects.order_by(),
            "pk",
            "pk",
            "category",
            "is_leader",
            "unit_id",
        )
    }
    roles: dict[tuple[int, dt.date], set[str]] = defaultdict(set)
    assigned: dict[tuple[int, dt.date], int] = {}
    for on, ids in by_day.items():
        for staff_id, role in headship_roles(staff_ids=ids, on=on):
            roles[(staff_id, on)].add(role)
        if unit_unknown.get(on):
            for staff_id, unit_id in assignment_units(unit_unknown[on], on, on).items():
                assigned[(staff_id, on)] = unit_id
    out: dict[tuple[int, str], Standing] = {}
    for staff_id, code, on in wanted:
        if staff_id not in people:
            continue
        category, leader_post, current_unit = people[staff_id]
        is_leader, is_head = leadership_flags(
            leader_post=leader_post, roles=roles.get((staff_id, on), ())
        )
        unit_id = given.get((staff_id, code)) or assigned.get((staff_id, on), current_unit)
        out[(staff_id, code)] = Standing(unit_id, category, is_leader, is_head)
    return out


def headship_roles(*, staff_ids: Iterable[int], on: dt.date) -> list[tuple[int, str]]:
    """(staff id, role) of every headship or deputy headship covering `on`."""
    return list(
        rows_for(
            staff_ids,
            HeadAssignment.objects.filter(valid_on_q(on)).order_by(),
            "staff_id",
            "staff_id",
            "role",
        )
    )


def evaluation_draft(
    *,
    period_row: EvaluationPeriod,
    staff_id: int,
    standing: Standing,
    rule_pack: str,
    pack_version: str,
    **fields: Any,
) -> Evaluation:
    """A new (unsaved) evaluation of `staff_id` in `period_row`, its derived columns from
    `standing`; `fields` are the entered ones (points, levels, status: an import's history)."""
    return Evaluation(
        period=period_row,
        period_code=period_row.code,
        staff_id=staff_id,
        rule_pack=rule_pack,
        pack_version=pack_version,
        **standing_columns(standing),
        **fields,
    )


def standing_columns(standing: Standing) -> dict[str, Any]:
    """The columns an evaluation takes from the person's standing (`evaluation_draft`): a bulk
    writer copies a draft for another standing with these replaced."""
    return {
        "unit_id": standing.unit_id,
        "category": standing.category,
        "is_leader": standing.is_leader,
        "is_head": standing.is_head,
    }


def period_open(
    *,
    agency: Unit,
    code: str,
    self_due: dt.date | None = None,
    review_due: dt.date | None = None,
    approval_due: dt.date | None = None,
) -> Opened:
    """Open `code` ("2026-03", or "2026-Q1" where the agency rates by quarter) for `agency` and
    create a draft evaluation for each person assigned inside it on the period's reference day
    (its last day, or today while it runs) who has none for that period yet, under the pack
    binding their category. Idempotent: run again, it only adds newcomers."""
    try:
        period = rules.Period.parse(code)
    except rules.RuleInputError as exc:
        raise _refuse(str(exc), "period") from None
    if period.kind is rules.PeriodKind.YEAR:
        raise _refuse(_("A year is rolled up from its periods, not opened."), "period")
    if period.start > _today():
        raise _refuse(_("The period %(period)s has not begun.") % {"period": code}, "period")
    snap = tree()
    if snap.units[agency.pk].kind == "division":
        raise _refuse(_("Periods are opened per agency; a division is part of one."), "unit")
    with transaction.atomic():
        row, made = EvaluationPeriod.objects.get_or_create(
            agency=agency,
            code=str(period),
            defaults=_given_dues(
                period_defaults(period),
                self_due=self_due,
                review_due=review_due,
                approval_due=approval_due,
            ),
        )
        if made:
            auditing.record(row, action=auditing.CREATE)
        if row.is_closed:
            return Opened(row, 0)
        created = _create_evaluations(row, period)
    return Opened(row, created)


def _year_dues(deadline: dt.date) -> dict[str, dt.date]:
    return {
        "self_due": deadline - dt.timedelta(days=10),
        "review_due": deadline - dt.timedelta(days=5),
        "approval_due": deadline,
    }


def year_deadline_set(
    *,
    agency: Unit,
    year: int,
    by: Any,
    special_functions: bool = False,
    set_by_head: dt.date | None = None,
) -> EvaluationPeriod:
    """Schedule the year's rating of `agency` ahead of its close (rules.md "Timing"): 15
    December by default, 15 January of the next year for an agency with special functions
    (Decree 335), or the date the agency's head sets (Decree 90: education and similar units).
    Creates the year's period row when it does not exist yet (its evaluations come with the
    close) or moves an open one's deadlines; the personnel office of the agency's subtree, an
    administrator, or — for a date of their own — the agency's head. Audited."""
    scope = compute_scope(by)
    heads_it = HeadAssignment.objects.filter(
        valid_on_q(_today()), unit=agency, role=HeadRole.HEAD, staff__user_id=by.pk
    ).exists()
    if not (scope.can_write_unit(agency.pk) or (heads_it and set_by_head is not None)):
        raise OutOfScope(
            _(
                "Only the personnel office or, for a date of their own, the head of %(unit)s sets it."
            )
            % {"unit": agency.name}
        )
    if tree().units[agency.pk].kind == "division":
        raise _refuse(_("Periods are opened per agency; a division is part of one."), "unit")
    try:
        deadline = rules.year_deadline(
            year, special_functions=special_functions, set_by_head=set_by_head
        )
    except rules.RuleInputError as exc:
        raise _refuse(
            _("The deadline %(value)s lies outside %(start)s to %(end)s.")
            % {
                "value": set_by_head.strftime("%d/%m/%Y") if set_by_head else "",
                "start": dt.date(year, 1, 1).strftime("%d/%m/%Y"),
                "end": rules.year_deadline(year, special_functions=True).strftime("%d/%m/%Y"),
            },
            "deadline",
        ) from exc
    period = rules.Period.parse(str(year))
    with transaction.atomic():
        row = EvaluationPeriod.objects.select_for_update().filter(agency=agency, code=str(year))
        found = row.first()
        dues = _year_dues(deadline)
        if found is None:
            made = EvaluationPeriod.objects.create(
                agency=agency, code=str(year), **{**period_defaults(period), **dues}
            )
            auditing.record(made, action=auditing.CREATE)
            return made
        if found.is_closed:
            raise _refuse(
                _(
                    "The period %(period)s is closed: its deadlines and quota can no longer "
                    "change. Reopen it first."
                )
                % {"period": found.code}
            )
        before = auditing.snapshot(found)
        for name, value in dues.items():
            setattr(found, name, value)
        save_versioned(found, expected_version=found.version, fields=list(dues))
        auditing.record(found, action=auditing.UPDATE, before=before)
        return found


def late_years(*, code: str, closed_since: Any) -> list[tuple[EvaluationPeriod, int]]:
    """The year periods `code` closed since `closed_since` after their deadline, with the days
    late (rules.md "Timing": a late rating stands, and is reported late)."""
    out = []
    rows = EvaluationPeriod.objects.select_related("agency").filter(
        code=code, kind=PeriodKind.YEAR, closed_at__gte=closed_since
    )
    for row in rows.order_by("agency__code"):
        assert row.closed_at is not None
        late = rules.days_late(row.approval_due, timezone.localdate(row.closed_at))
        if late:
            out.append((row, late))
    return out


def _given_dues(defaults: dict[str, Any], **dues: dt.date | None) -> dict[str, Any]:
    return defaults | {name: day for name, day in dues.items() if day is not None}


def _create_evaluations(row: EvaluationPeriod, period: rules.Period) -> int:
    snap = tree()
    on = reference_day(period)
    units = {
        u for u in snap.subtree_on(row.agency_id, on) if snap.agency_of(u, on) == row.agency_id
    }
    assigned = list(
        Assignment.objects.filter(valid_on_q(on), unit_id__in=sorted(units))
        .order_by("staff_id", "-valid_from")
        .values_list("staff_id", "unit_id")
    )
    unit_of: dict[int, int] = {}
    for staff_id, unit_id in assigned:
        unit_of.setdefault(staff_id, unit_id)
    have = {
        staff_id
        for (staff_id,) in rows_for(
            unit_of, Evaluation.objects.filter(period_code=str(period)), "staff_id", "staff_id"
        )
    }
    todo = sorted(set(unit_of) - have)
    code = str(period)
    standings = evaluation_standings(
        pairs=[(s, period) for s in todo], units={(s, code): unit_of[s] for s in todo}
    )
    new: list[Evaluation] = []
    for staff_id in todo:
        standing = standings.get((staff_id, code))
        if standing is None:
            continue
        try:
            pack = inputs.resolve_pack(standing.category, period)
        except rules.RuleInputError:
            continue  # no pack rates this category for this period
        if period.kind not in pack.classified_kinds:
            continue  # this pack rolls the period up from its months (rollup.py)
        new.append(
            evaluation_draft(
                period_row=row,
                staff_id=staff_id,
                standing=standing,
                rule_pack=pack.id,
                pack_version=pack.version,
            )
        )
    with summary.writing([row.pk]):
        Evaluation.objects.bulk_create(new, batch_size=2000)
        auditing.record_many(
            auditing.Change(e, auditing.CREATE, None, auditing.snapshot(e)) for e in new
        )
    return len(new)


def open_current_periods(*, on: dt.date | None = None) -> int:
    """Open this month's period of every agency that has people (the hourly job); returns the
    number of evaluations created. Safe to run twice and with several workers (the unique
    constraints refuse a duplicate; the loser's transaction is retried next hour)."""
    on = on or _today()
    code = f"{on.year:04d}-{on.month:02d}"
    snap = tree()
    unit_ids = set(
        Assignment.objects.filter(valid_on_q(on)).values_list("unit_id", flat=True).distinct()
    )
    agencies = {snap.agency_of(u, on) for u in unit_ids if u in snap.units}
    created = 0
    for agency_id in sorted(agencies):
        if snap.units[agency_id].kind == "division":
            continue
        agency = Unit(pk=agency_id)
        created += period_open(agency=agency, code=code).created
    return created


# What an administrator may change on an open period: its step deadlines. A different quota is
# a `QuotaOverride` record (`services.quota_override_record`, the `quota_overrides` section).
# Dates, status and what the close wrote are never edited by hand.
PERIOD_SETTINGS = (
    "self_due",
    "review_due",
    "approval_due",
)


def period_update(
    *, period: EvaluationPeriod, expected_version: int, data: Mapping[str, Any], by: Any
) -> EvaluationPeriod:
    """Change an open period's deadlines or quota decision. A closed period is refused
    whatever the path (the admin included): its results were computed with these settings, and
    only reopening it (`appraisal.reopening`, by a recorded decision) may change them."""
    if Role.ADMIN.value not in _roles(by):
        raise OutOfScope(_("Only an administrator changes a period's deadlines and quota."))
    unknown = set(data) - set(PERIOD_SETTINGS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        row = EvaluationPeriod.objects.select_for_update().get(pk=period.pk)
        if row.is_closed:
            raise _refuse(
                _(
                    "The period %(period)s is closed: its deadlines and quota can no longer "
                    "change. Reopen it first."
                )
                % {"period": row.code}
            )
        if not data:
            return period
        before = auditing.snapshot(row)
        for name, value in data.items():
            setattr(row, name, value)
        try:
            row.full_clean(validate_unique=False)
        except ValidationError as exc:
            raise DomainError(
                "; ".join(exc.messages), field_errors=getattr(exc, "message_dict", {})
            ) from None
        save_versioned(row, expected_version=expected_version, fields=list(data))
        auditing.record(row, action=auditing.UPDATE, before=before)
    for name in (*data, "version"):
        setattr(period, name, getattr(row, name))
    return period
