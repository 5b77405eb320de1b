"""Demo discipline records on top of the demo organisation (`thenchot.demo.generator`).

The first nine months of 2023 match what Hanoi published: over 270 cadres disciplined — here
274 people, some by a Party and an administrative decision on the same act (one violation
code), so `thenchot report --unit HN --from 2023-01-01 --to 2023-09-30` counts 274 people and
a few more decisions. Later years add a thinner stream, and a handful of cases are under review
on `today` (some paused, one overdue), several of them people whose periodic rotation is due —
the due list shows them postponed, with the case as the reason.

Written in bulk and audited in bulk (source "command", reason "demo data"); a second run adds
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable

from django.db import transaction

from thenchot.core import auditing
from thenchot.core.context import acting
from thenchot.core.registry import Registry
from thenchot.discipline import rules
from thenchot.discipline.models import CasePause, DisciplineCase, DisciplineDecision
from thenchot.discipline.selectors import headships_of
from thenchot.people.models import Staff

REASON = "demo data"
NINE_MONTHS = (dt.date(2023, 1, 1), dt.date(2023, 9, 30))
PEOPLE_2023 = 274
BOTH_TRACKS_2023 = 31  # acts decided on both tracks: one violation, two decisions
LATER_PER_YEAR = 60
OPEN_CASES = 8

# Who carries the open cases first, in order: apps above discipline register a
# callable(today) -> staff ids in `AppConfig.ready()` (rotation: people whose rotation is due,
# so its due list shows them postponed). discipline cannot import them.
open_case_candidates: Registry[Callable[[dt.date], list[int]]] = Registry(
    "demo open-case candidates"
)

SUMMARIES = (
    "Vi phạm quy định về giờ giấc làm việc, tự ý bỏ vị trí trong giờ hành chính",
    "Để hồ sơ thủ tục hành chính quá hạn nhiều lần không có lý do chính đáng",
    "Nhũng nhiễu, gây phiền hà cho người dân khi giải quyết công việc",
    "Vi phạm quy định về kê khai tài sản, thu nhập",
    "Thiếu trách nhiệm trong quản lý, để xảy ra sai phạm trong thu chi ngân sách",
    "Sử dụng thông tin, tài liệu của cơ quan vào mục đích cá nhân",
)
WEIGHTS = {
    rules.REPRIMAND: 60,
    rules.WARNING: 30,
    rules.SALARY_STEP_DOWN: 4,
    rules.DEMOTION: 2,
    rules.REMOVAL_FROM_POST: 3,
    rules.FORCED_DISMISSAL: 1,
}


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def _form(rng: random.Random, category: str, leader: bool, on: dt.date) -> str:
    allowed = rules.allowed_forms(category=category, is_leader=leader, on=on).forms
    forms = [f for f in allowed if f in WEIGHTS]
    return rng.choices(forms, weights=[WEIGHTS[f] for f in forms])[0]


def _heavier_if_running(
    history: list[rules.PastDecision],
    staff: tuple[int, str, bool],
    form: str,
    on: dt.date,
    violation: str,
) -> str:
    """The drawn form, raised to the minimum a decision still running sets (Decree 172/2025),
    so the demo history passes its own import."""
    allowed = rules.allowed_forms(category=staff[1], is_leader=staff[2], on=on).forms
    need = rules.repeat_minimum(history=history, act=violation, on=on, allowed=allowed)
    return form if need.allows(form) or need.minimum is None else need.minimum


def load_demo_discipline(*, seed: int, today: dt.date) -> None:
    """Write the demo discipline records in one transaction (nothing when already there)."""

    if DisciplineDecision.objects.filter(code__startswith="KL-DEMO-").exists():
        return
    rng = random.Random(seed * 7 + 172)
    people = list(
        Staff.objects.filter(
            joined_on__lte=dt.date(2022, 12, 31),
            category__in=["cadre", "civil_servant", "public_employee"],
        )
        .order_by("code")
        .values_list("id", "category", "is_leader")
    )
    if not people:
        return
    with transaction.atomic(), acting(source="command", reason=REASON):
        decisions: list[DisciplineDecision] = []
        number = 0

        history: dict[int, list[rules.PastDecision]] = {}

        heads = headships_of(pk for pk, _category, _flag in people)

        def add(person: tuple[int, str, bool], on: dt.date, track: str, violation: str) -> None:
            nonlocal number
            number += 1
            decided = on
            # The post on the decision date, as the services and the import judge it
            # (rules.md Settled point 13), so the history passes its own import.
            leader = rules.leader_on(on=on, headships=heads.get(person[0], []), flag=person[2])
            staff = (person[0], person[1], leader.is_leader)
            form = _form(rng, staff[1], staff[2], decided)
            effective = (
                min(decided + dt.timedelta(days=rng.randrange(4)), NINE_MONTHS[1])
                if decided <= NINE_MONTHS[1]
                else decided + dt.timedelta(days=rng.randrange(4))
            )
            form = _heavier_if_running(
                history.setdefault(staff[0], []), staff, form, decided, violation
            )
            code = f"KL-DEMO-{number:05d}"
            history[staff[0]].append(rules.PastDecision(code, form, violation, decided, effective))
            decisions.append(
                DisciplineDecision(
                    code=code,
                    staff_id=staff[0],
                    form=form,
                    track=track,
                    violation=violation,
                    decision_number=f"{number}/QĐ-KL"
                    if track == "administrative"
                    else f"{number}-QĐ/UBKT",
                    decided_on=decided,
                    effective_on=effective,
                )
            )

        chosen = rng.sample(people, min(PEOPLE_2023, len(people)))
        for i, staff in enumerate(chosen):
            on = _day(rng, NINE_MONTHS[0], NINE_MONTHS[1] - dt.timedelta(days=5))
            violation = f"VP-2023-{i + 1:04d}"
            add(staff, on, "administrative", violation)
            if i < BOTH_TRACKS_2023:
                add(staff, _day(rng, on, NINE_MONTHS[1]), "party", violation)
        for year in range(2023, today.year + 1):
            start = dt.date(2023, 10, 1) if year == 2023 else dt.date(year, 1, 1)
            end = min(dt.date(year, 12, 31), today - dt.timedelta(days=30))
            if end < start:
                continue
            count = LATER_PER_YEAR // 4 if year == 2023 else LATER_PER_YEAR
            for staff in rng.sample(people, min(count, len(people))):
                add(staff, _day(rng, start, end), "administrative", f"VP-{year}-{number + 1:04d}")
        DisciplineDecision.objects.bulk_create(decisions, batch_size=2000)
        cases, pauses = _open_cases(rng, today)
        auditing.record_many(_created([*decisions, *cases, *pauses]), reason=REASON)


def _open_cases(rng: random.Random, today: dt.date) -> tuple[list[DisciplineCase], list[CasePause]]:
    """Cases under review on `today`, first among the registered candidates (`rotation`: people
    whose rotation is due)."""
    due = [
        staff_id
        for _key, candidates in open_case_candidates.items()
        for staff_id in candidates(today)
    ]
    # No discipline record for a contract worker (rules.md Settled point 12).
    workers = set(Staff.objects.filter(category="contract_worker").values_list("pk", flat=True))
    picked = [staff_id for staff_id in due if staff_id not in workers][: OPEN_CASES - 2]
    if len(picked) < OPEN_CASES:
        others = list(
            Staff.objects.filter(category="civil_servant", is_leader=False)
            .exclude(pk__in=picked)
            .order_by("code")
            .values_list("id", flat=True)[: OPEN_CASES * 5]
        )
        picked += rng.sample(others, min(OPEN_CASES - len(picked), len(others)))
    cases = []
    for i, staff_id in enumerate(picked):
        detected = today - dt.timedelta(days=(100 if i == 0 else rng.randrange(5, 60)))
        cases.append(
            DisciplineCase(
                code=f"KL-{detected.year}-DEMO{i + 1:02d}",
                staff_id=staff_id,
                detected_on=detected,
                violation_on=detected - dt.timedelta(days=rng.randrange(10, 200)),
                violation=f"VP-OPEN-{i + 1:02d}",
                summary=SUMMARIES[i % len(SUMMARIES)],
                extended=i == 1,
                extension_reason="Cần xác minh, làm rõ thêm" if i == 1 else "",
            )
        )
    DisciplineCase.objects.bulk_create(cases)
    pauses = []
    for case in cases[2:4]:
        start = case.detected_on + dt.timedelta(days=3)
        pauses.append(
            CasePause(
                case=case,
                reason="serious_illness",
                date_from=start,
                date_to=start + dt.timedelta(days=20),
                note="Điều trị nội trú",
            )
        )
    CasePause.objects.bulk_create(pauses)
    return cases, pauses


def _created(objs: Iterable[object]) -> Iterable[auditing.Change]:
    for obj in objs:
        yield auditing.Change(obj, auditing.CREATE, None, auditing.snapshot(obj))  # type: ignore[arg-type]
