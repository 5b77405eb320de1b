"""Demo evaluations on top of the demo organisation (`thenchot.demo`), for `load_demo`.

- Every month of the demo year before the current one is opened with the engine
  (`services.period_open`), filled with approved assessments and closed for the whole city with
  the engine (`closing.close_period`, quota resolved by score), so each level carries its trace.
  Scores follow a realistic spread: each person has a steady ability and a monthly variation —
  a few excellent (within the quota), most good or complete, a few not complete.
- A few civil servants have a reprimand taking effect in a closed month (Decree 335/2025: not
  complete whatever the score), recorded as discipline decisions when the discipline demo has
  none in the year.
- One department head with an excellent score is capped by the result of the department, whose
  tasks due that month were not all completed (rules.md "Unit result").
- Heads of departments are approved by a monthly collective decision of the City leadership.
- The current month is open: some people have self-assessed, a few are already reviewed; the
  persona logins (canbo...) are left to do it themselves.
- ONE quota conflict is left open for the demo: the last closed month of the Department of
  Finance (STC, head: persona `giamdoc`) has everyone approved but more excellent results than
  the quota allows, so closing it is refused until the head chooses who moves down or resolves
  by score.

Written with the engine's services and bulk paths and audited in bulk; deterministic for a seed;
a second run adds nothing. With a very large staff (benchmarks) only the last closed month is
generated, to keep the load bounded.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from thenchot.appraisal import closing, inputs, rules, services
from thenchot.appraisal.choices import EvaluationStatus, Level, PeriodKind
from thenchot.appraisal.models import CollectiveDecision, Evaluation, EvaluationPeriod
from thenchot.appraisal.services.periods import leadership_flags
from thenchot.core import auditing
from thenchot.core.bulk import column_of, concrete_field, write_audit
from thenchot.directives.models import Task
from thenchot.org.models import Unit, valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import Assignment, HeadAssignment, Staff

CONFLICT_AGENCY = "STC"
LARGE_STAFF = 20_000
DISCIPLINED = 3
WRITTEN = [
    "general_points",
    "task_points",
    "bonus_points",
    "reviewed_general_points",
    "reviewed_task_points",
    "evidence",
    "proposed_level",
    "self_assessed_at",
    "submitted_late",
    "reviewed_at",
    "review_comment",
    "handled_by_manager",
    "approved_at",
    "collective_decision",
    "status",
]
LIMITS = {  # the packs' maxima: general / tasks / bonus
    "decree-335-2025": (Decimal(30), Decimal(70), Decimal(0)),
    "hanoi-monthly-2018": (Decimal(20), Decimal(70), Decimal(10)),
}
EVIDENCE = (
    "Báo cáo kết quả công việc tháng",
    "Hồ sơ thẩm định đã trình đúng hạn",
    "Văn bản tham mưu đã ban hành",
    "Tổng hợp số liệu gửi Sở Nội vụ",
)


def _code(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _months(today: dt.date, large: bool) -> list[tuple[int, int]]:
    """The closed months of the demo year (the year of `today`), oldest first."""
    if today.month == 1:
        months = [(today.year - 1, 12)]
    else:
        months = [(today.year, m) for m in range(1, today.month)]
    return months[-1:] if large else months


def _agencies(on: dt.date) -> list[int]:
    snap = tree()
    units = set(
        Assignment.objects.filter(valid_on_q(on)).values_list("unit_id", flat=True).distinct()
    )
    agencies = {snap.agency_of(u, on) for u in units if u in snap.units}
    return sorted(a for a in agencies if snap.units[a].kind != "division")


def _open(code: str, agencies: Iterable[int]) -> None:
    """`services.period_open` for many agencies at once (the same periods, deadlines and draft
    evaluations, in a few set-based queries instead of a dozen per agency)."""

    period = rules.Period.parse(code)
    on = min(period.end, max(period.start, timezone.localdate()))
    snap = tree()
    wanted = sorted(set(agencies))
    existing = set(EvaluationPeriod.objects.filter(code=code).values_list("agency_id", flat=True))
    new_periods = [
        EvaluationPeriod(
            agency_id=agency_id,
            code=code,
            kind=PeriodKind.MONTH,
            starts_on=period.start,
            ends_on=period.end,
            self_due=period.end + dt.timedelta(days=services.SELF_DAYS),
            review_due=period.end + dt.timedelta(days=services.REVIEW_DAYS),
            approval_due=period.end + dt.timedelta(days=services.APPROVAL_DAYS),
        )
        for agency_id in wanted
        if agency_id not in existing
    ]
    EvaluationPeriod.objects.bulk_create(new_periods, batch_size=2000)
    write_audit(
        auditing.Change(p, auditing.CREATE, None, auditing.snapshot(p)) for p in new_periods
    )
    period_ids = dict(
        EvaluationPeriod.objects.filter(code=code, agency_id__in=wanted).values_list(
            "agency_id", "pk"
        )
    )
    unit_of: dict[int, int] = {}
    for staff_id, assigned_unit_id in (
        Assignment.objects.filter(valid_on_q(on))
        .order_by("staff_id", "-valid_from")
        .values_list("staff_id", "unit_id")
    ):
        unit_of.setdefault(staff_id, assigned_unit_id)
    have = set(Evaluation.objects.filter(period_code=code).values_list("staff_id", flat=True))
    head_roles: dict[int, set[str]] = defaultdict(set)
    for staff_id, role in HeadAssignment.objects.filter(valid_on_q(on)).values_list(
        "staff_id", "role"
    ):
        head_roles[staff_id].add(role)
    new: list[Evaluation] = []
    for staff_id, category, is_leader in Staff.objects.order_by("pk").values_list(
        "pk", "category", "is_leader"
    ):
        unit_id = unit_of.get(staff_id)
        if unit_id is None or staff_id in have or unit_id not in snap.units:
            continue
        period_id = period_ids.get(snap.agency_of(unit_id, on))
        if period_id is None:
            continue
        try:
            pack = inputs.resolve_pack(category, period)
        except rules.RuleInputError:
            continue
        if period.kind not in pack.classified_kinds:
            continue
        is_leader_flag, is_head_flag = leadership_flags(
            leader_post=bool(is_leader), roles=head_roles.get(staff_id, set())
        )
        new.append(
            Evaluation(
                period_id=period_id,
                period_code=code,
                staff_id=staff_id,
                unit_id=unit_id,
                category=category,
                is_leader=is_leader_flag,
                is_head=is_head_flag,
                rule_pack=pack.id,
                pack_version=pack.version,
            )
        )
    Evaluation.objects.bulk_create(new, batch_size=2000)
    write_audit(auditing.Change(e, auditing.CREATE, None, auditing.snapshot(e)) for e in new)


def _write(rows: list[Evaluation], fields: list[str]) -> None:
    """One UPDATE statement run for every row (executemany): `bulk_update`'s CASE WHEN over
    a dozen columns is far slower for thousands of rows."""
    if not rows:
        return
    q = connection.ops.quote_name
    columns = [concrete_field(Evaluation, name) for name in fields]
    sql = (
        f"UPDATE {q(Evaluation._meta.db_table)} SET "
        + ", ".join(f"{q(column_of(c))} = %s" for c in columns)
        + f" WHERE {q('id')} = %s"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 2000):
            cursor.executemany(
                sql,
                [
                    [c.get_db_prep_save(getattr(ev, c.attname), connection) for c in columns]
                    + [ev.pk]
                    for ev in rows[start : start + 2000]
                ],
            )


def _when(day: dt.date, hour: int) -> dt.datetime:
    """A step's time, never after now: the open month's steps dated from its end would lie in
    the future (steps keep their order: each is the earlier of its own time and now)."""
    return min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0))), timezone.now())


class _Scores:
    """Deterministic scores: a steady ability per person, a monthly variation."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.ability: dict[int, float] = {}

    def total(self, staff_id: int, code: str) -> Decimal:
        if staff_id not in self.ability:
            r = random.Random(self.seed * 1_000_003 + staff_id)
            self.ability[staff_id] = min(max(r.gauss(77, 6.5), 52), 93)
        r = random.Random(f"{self.seed}:{staff_id}:{code}")
        value = self.ability[staff_id] + r.gauss(0, 4)
        if r.random() < 0.02:  # a bad month
            value = r.uniform(38, 49)
        return Decimal(str(round(min(max(value, 35), 99), 1)))


def _split(pack: str, total: Decimal, rng: random.Random) -> tuple[Decimal, Decimal, Decimal]:
    g_max, t_max, b_max = LIMITS.get(pack, LIMITS["decree-335-2025"])
    bonus = min(Decimal(rng.choice([0, 0, 0, 1, 2, 3])), b_max, total)
    share = g_max / (g_max + t_max)
    general = min(g_max, ((total - bonus) * share).quantize(Decimal("0.1")))
    tasks = total - bonus - general
    if tasks > t_max:
        tasks, general = t_max, min(g_max, total - bonus - t_max)
    return general, max(tasks, Decimal(0)), bonus


def _level(total: Decimal) -> str:
    if total >= 90:
        return Level.EXCELLENT
    if total >= 70:
        return Level.GOOD
    if total >= 50:
        return Level.COMPLETE
    return Level.NOT_COMPLETE


def _fill(
    rows: list[Evaluation],
    scores: _Scores,
    *,
    approve: bool,
    overrides: dict[int, Decimal] | None = None,
    decisions: dict[int, CollectiveDecision] | None = None,
    share: float = 1.0,
) -> int:
    """Write points and the workflow state of `rows` in bulk, audited in one batch."""
    overrides = overrides or {}
    decisions = decisions or {}
    changed: list[Evaluation] = []
    changes: list[auditing.Change] = []
    for ev in rows:
        rng = random.Random(f"{scores.seed}:{ev.staff_id}:{ev.period_code}:fill")
        if rng.random() > share:
            continue
        before = auditing.snapshot(ev)
        total = overrides.get(ev.staff_id) or scores.total(ev.staff_id, ev.period_code)
        general, tasks, bonus = _split(ev.rule_pack, total, rng)
        end = ev.period.ends_on
        handled = approve and rng.random() < 0.03
        if handled:  # no self-assessment by the deadline: the manager's points stand
            ev.reviewed_general_points, ev.reviewed_task_points = general, tasks
            ev.handled_by_manager = True
            ev.review_comment = "Không tự đánh giá đúng hạn; lãnh đạo phòng đánh giá thay."
        else:
            ev.general_points, ev.task_points = general, tasks
            ev.bonus_points = bonus or None
            ev.evidence = rng.choice(EVIDENCE)
            ev.proposed_level = _level(total)
            late = rng.random() < 0.05
            ev.self_assessed_at = _when(end + dt.timedelta(days=5 if late else 2), 9)
            ev.submitted_late = late
        ev.status = EvaluationStatus.SELF_ASSESSED
        if approve or rng.random() < 0.2:
            ev.reviewed_at = _when(end + dt.timedelta(days=4), 14)
            ev.status = EvaluationStatus.REVIEWED
        if approve:
            ev.approved_at = _when(end + dt.timedelta(days=6), 10)
            ev.status = EvaluationStatus.APPROVED
            ev.collective_decision = decisions.get(ev.pk)
        changed.append(ev)
        changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
    now = timezone.now()
    for ev in changed:
        ev.version += 1
        ev.updated_at = now
    _write(changed, [*WRITTEN, "version", "updated_at"])
    write_audit(
        auditing.Change(c.instance, c.action, c.before, auditing.snapshot(c.instance))
        for c in changes
    )
    return len(changed)


def _rows(code: str, agencies: Iterable[int] | None = None) -> list[Evaluation]:
    qs = Evaluation.objects.select_related("period").filter(period_code=code)
    if agencies is not None:
        qs = qs.filter(period__agency_id__in=sorted(agencies))
    return list(qs.order_by("pk"))


def _collective(code: str, rows: list[Evaluation], today: dt.date) -> dict[int, CollectiveDecision]:
    """Heads of departments (agencies directly under the city): one collective decision."""
    snap = tree()
    year, month = int(code[:4]), int(code[5:7])
    end = _month_end(year, month)
    heads = []
    for ev in rows:
        if not ev.is_head:
            continue
        parent = snap.parent_on(ev.period.agency_id, end)
        if parent is not None and snap.units[parent].kind == "city":
            heads.append(ev)
    if not heads:
        return {}
    decision, made = CollectiveDecision.objects.get_or_create(
        number=f"{month}/{year}/QĐ-UBND-ĐG",
        defaults={
            "decided_on": min(end + dt.timedelta(days=8), today),
            "chaired_by": "Chủ tịch UBND Thành phố Hà Nội",
            "summary": "Tập thể lãnh đạo UBND Thành phố đánh giá, xếp loại người đứng đầu"
            " các sở, ngành.",
        },
    )
    if made:
        auditing.record(decision, action=auditing.CREATE)
    return {ev.pk: decision for ev in heads}


def _capped_head(rows: list[Evaluation], conflict_id: int | None) -> Evaluation | None:
    """A department head (not of the conflict agency) whose unit will cap them."""
    snap = tree()
    heads = [
        ev
        for ev in rows
        if ev.is_head
        and ev.period.agency_id != conflict_id
        and snap.units[ev.period.agency_id].kind == "department"
    ]
    return min(heads, key=lambda ev: snap.units[ev.period.agency_id].code) if heads else None


def _unit_tasks(unit_id: int, year: int, month: int) -> None:
    """Four tasks the unit led that fell due in the month: three done (one late), one not —
    75% completed gives the unit `complete` (rules.md "Unit result")."""

    start = dt.date(year, month, 1)
    due = dt.date(year, month, 15)
    done = [due - dt.timedelta(days=2), due, due + dt.timedelta(days=5), None]
    tasks = [
        Task(
            code=f"DG-DEMO-{year}{month:02d}-{i + 1}",
            title=title,
            lead_unit_id=unit_id,
            assigner_unit_id=tree().roots_on(start)[0] if tree().roots_on(start) else None,
            assigned_on=start,
            deadline=due,
            completed_on=completed,
            progress=100 if completed else 60,
        )
        for i, (title, completed) in enumerate(
            zip(
                (
                    "Báo cáo sơ kết công tác quý",
                    "Hoàn thiện đề án sắp xếp tổ chức",
                    "Tổng hợp kiến nghị của cử tri",
                    "Số hóa hồ sơ thủ tục hành chính",
                ),
                done,
                strict=True,
            )
        )
    ]
    Task.objects.bulk_create(tasks)
    write_audit(auditing.Change(t, auditing.CREATE, None, auditing.snapshot(t)) for t in tasks)


def _discipline(months: list[tuple[int, int]], rows_by_code: dict[str, list[Evaluation]]) -> None:
    """A few reprimands taking effect in closed months, when the discipline demo has none."""
    try:
        from thenchot.discipline.models import DisciplineDecision
    except ImportError:  # the discipline app is optional
        return
    first = dt.date(*months[0], 1)
    last = _month_end(*months[-1])
    if DisciplineDecision.objects.filter(effective_on__range=(first, last)).count() >= DISCIPLINED:
        return
    decisions = []
    for i, (year, month) in enumerate(months[-DISCIPLINED - 1 : -1] or months[:1]):
        candidates = [
            ev
            for ev in rows_by_code[_code(year, month)]
            if ev.category == "civil_servant" and not ev.is_leader and not ev.is_head
        ]
        if not candidates:
            continue
        ev = candidates[(7 * i + 3) % len(candidates)]
        on = dt.date(year, month, 10)
        decisions.append(
            DisciplineDecision(
                code=f"KL-DEMO-DG-{i + 1:03d}",
                staff_id=ev.staff_id,
                form="reprimand",
                track="administrative",
                violation=f"VP-DG-{year}-{i + 1:03d}",
                decision_number=f"{100 + i}/QĐ-KL",
                decided_on=on - dt.timedelta(days=2),
                effective_on=on,
            )
        )
    DisciplineDecision.objects.bulk_create(decisions)
    write_audit(auditing.Change(d, auditing.CREATE, None, auditing.snapshot(d)) for d in decisions)


def load_demo_appraisal(*, seed: int, today: dt.date) -> None:
    """Write the demo evaluations (see the module docstring); nothing when already there."""

    if EvaluationPeriod.objects.exists():
        return
    large = Staff.objects.count() > LARGE_STAFF
    months = _months(today, large)
    snap = tree()
    conflict_id = snap.by_code.get(CONFLICT_AGENCY)
    scores = _Scores(seed)
    roots = [u for u in snap.roots_on(today) if snap.units[u].kind == "city"]
    if not roots:
        return
    city = Unit.objects.get(pk=roots[0])
    rows_by_code: dict[str, list[Evaluation]] = {}
    for year, month in months:
        code = _code(year, month)
        agencies = _agencies(_month_end(year, month))
        last = (year, month) == months[-1]
        opened = [a for a in agencies if not (last and a == conflict_id)]
        _open(code, opened)
        rows_by_code[code] = _rows(code)
    _discipline(months, rows_by_code)
    cap_year, cap_month = months[-2] if len(months) > 1 else months[-1]
    capped = _capped_head(rows_by_code[_code(cap_year, cap_month)], conflict_id)
    if capped is not None:
        _unit_tasks(capped.period.agency_id, cap_year, cap_month)
    for year, month in months:
        code = _code(year, month)
        rows = rows_by_code[code]
        overrides: dict[int, Decimal] = {}
        if capped is not None and (year, month) == (cap_year, cap_month):
            overrides[capped.staff_id] = Decimal("95")
        _fill(
            rows,
            scores,
            approve=True,
            overrides=overrides,
            decisions=_collective(code, rows, today),
        )
        # Where a tie or a pack without scores needs a head's choice, the demo names them.
        move = closing.heads_naming_ties(unit=city, period=code)
        closing.close_period(unit=city, period=code, resolve_quota="by-score", move=move)
    _conflict(months[-1], conflict_id, scores, today)
    _current(today, scores)


def _conflict(
    month: tuple[int, int], conflict_id: int | None, scores: _Scores, today: dt.date
) -> None:
    """The open quota conflict: the conflict agency's last closed month, everyone approved,
    about half of its non-leaders excellent (the quota allows 20% of those rated good)."""
    if conflict_id is None:
        return
    code = _code(*month)
    _open(code, [conflict_id])
    rows = _rows(code, [conflict_id])
    top = [ev for ev in rows if not ev.is_leader and not ev.is_head]
    overrides = {ev.staff_id: Decimal(str(91 + i % 7)) for i, ev in enumerate(top[::2])}
    _fill(rows, scores, approve=True, overrides=overrides, decisions=_collective(code, rows, today))


def _current(today: dt.date, scores: _Scores) -> None:
    """The current month: open, some self-assessments in, the personas' left for them."""
    code = _code(today.year, today.month)
    _open(code, _agencies(today))
    rows = [
        ev
        for ev in Evaluation.objects.select_related("period", "staff")
        .filter(period_code=code)
        .order_by("pk")
        if ev.staff.user_id is None
    ]
    _fill(rows, scores, approve=False, share=0.45)
