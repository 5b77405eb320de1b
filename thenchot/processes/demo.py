"""Demo procedures and a year of cases on top of the demo organisation.

The procedures keep the proportions of the levels Hanoi published (305 department, 1,688
district, 3,755 commune and 111 inter-level procedures), scaled down by `SCALE`. The district
level ended on 30/6/2025 (the two-level local government): the district procedures were
approved before and retired on 1/7/2025, the first day without districts; the commune-level
procedures belong to the wards and communes of the new organisation, approved from July 2025.
A few department procedures have a second version.

Cases are received on working days over the twelve months before `today`, under the version in
force that day; each step takes a realistic share of its limit, and about one step in twelve
runs over it, so some cases are completed late (with the reason and the apology letter the
one-stop shop sends) and some are open and overdue on `today`. The officers of the demo see
some of them: the ward P-BADINH (the commune personnel officer's) and the STC department
(the department head's) own procedures.

Written in bulk and audited in bulk (source "command", reason "demo data"); a second run adds
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from django.db import models

from thenchot.core import auditing
from thenchot.core.calendar import WorkingCalendar
from thenchot.org.demo import demo_city
from thenchot.org.tree import TreeSnapshot, tree
from thenchot.processes import services
from thenchot.processes.choices import Level
from thenchot.processes.models import Case, CaseStep, Process, ProcessStep, process_search_text
from thenchot.processes.services import plan_steps
from thenchot.processes.workdays import calendar, due_after

REASON = "demo data"
ARTICLE = {Level.DEPARTMENT: 305, Level.DISTRICT: 1688, Level.COMMUNE: 3755, Level.INTER_LEVEL: 111}
SCALE = 20
PREFIX = {
    Level.DEPARTMENT: "QT-SO",
    Level.DISTRICT: "QT-HUYEN",
    Level.COMMUNE: "QT-XA",
    Level.INTER_LEVEL: "QT-LT",
}
DISTRICTS_ENDED = dt.date(2025, 6, 30)
DISTRICTS_RETIRED = DISTRICTS_ENDED + dt.timedelta(days=1)
NEW_COMMUNES = dt.date(2025, 7, 1)
CASES_PER_DAY = 24
LATE_STEP_SHARE = 1 / 12
FIRST_PICKS = {Level.COMMUNE: "P-BADINH", Level.DEPARTMENT: "STC", Level.INTER_LEVEL: "STC"}

NAMES = {
    Level.DEPARTMENT: (
        "Cấp giấy phép hoạt động",
        "Thẩm định hồ sơ đề nghị hỗ trợ",
        "Cấp chứng chỉ hành nghề",
        "Phê duyệt dự toán kinh phí",
        "Giải quyết kiến nghị của doanh nghiệp",
    ),
    Level.DISTRICT: (
        "Cấp giấy chứng nhận đăng ký hộ kinh doanh",
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Đăng ký thành lập hợp tác xã",
        "Thẩm định hồ sơ cấp đổi giấy chứng nhận",
    ),
    Level.COMMUNE: (
        "Chứng thực bản sao từ bản chính",
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Xác nhận tình trạng hôn nhân",
        "Đăng ký thường trú",
        "Giải quyết chế độ trợ cấp xã hội",
    ),
    Level.INTER_LEVEL: (
        "Liên thông đăng ký khai sinh, thường trú, cấp thẻ bảo hiểm y tế",
        "Liên thông giải quyết chế độ tử tuất",
    ),
}
STEP_NAMES = ("Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Trình lãnh đạo phê duyệt", "Trả kết quả")


def load_demo_processes(*, seed: int, today: dt.date) -> None:
    """Write the demo procedures and cases (inside the loader's transaction and context)."""
    if Process.objects.filter(code__startswith="QT-SO-").exists():
        return
    snap = tree()
    demo_city(snap)
    rng = random.Random(seed)
    processes, steps = _procedures(rng, snap, today)
    Process.objects.bulk_create(processes, batch_size=2000)
    for step in steps:
        step.process_id = step.process.pk
    ProcessStep.objects.bulk_create(steps, batch_size=2000)
    days: dict[int, list[ProcessStep]] = {}
    for step in steps:
        days.setdefault(step.process_id, []).append(step)
    cases, case_steps = _cases(rng, processes, days, today, calendar())
    Case.objects.bulk_create(cases, batch_size=2000)
    for row in case_steps:
        row.case_id = row.case.pk
    CaseStep.objects.bulk_create(case_steps, batch_size=5000)
    auditing.record_many(_created([*processes, *steps, *cases]), reason=REASON)


def _owners(snap: TreeSnapshot, kinds: set[str], on: dt.date, first: str | None) -> list[int]:
    city = snap.by_code["HN"]
    found = sorted(
        (
            uid
            for uid in snap.subtree_on(city, on)
            if snap.units[uid].kind in kinds and snap.units[uid].valid_on(on)
        ),
        key=lambda uid: snap.units[uid].code,
    )
    head = snap.by_code.get(first or "")
    if head in found:
        found.remove(head)
        found.insert(0, head)
    return found


def _procedures(
    rng: random.Random, snap: TreeSnapshot, today: dt.date
) -> tuple[list[Process], list[ProcessStep]]:
    owners = {
        Level.DEPARTMENT: _owners(snap, {"department"}, today, FIRST_PICKS[Level.DEPARTMENT]),
        Level.INTER_LEVEL: _owners(snap, {"department"}, today, FIRST_PICKS[Level.INTER_LEVEL]),
        Level.DISTRICT: _owners(snap, {"district"}, DISTRICTS_ENDED, None),
        Level.COMMUNE: _owners(snap, {"commune", "ward"}, today, FIRST_PICKS[Level.COMMUNE]),
    }
    processes: list[Process] = []
    steps: list[ProcessStep] = []
    for level, total in ARTICLE.items():
        units = owners[level]
        if not units:
            continue
        for n in range(1, round(total / SCALE) + 1):
            owner = units[(n - 1) % len(units)]
            if level == Level.COMMUNE:
                approved = NEW_COMMUNES + dt.timedelta(days=rng.randrange(60))
            else:
                approved = dt.date(2020, 1, 2) + dt.timedelta(days=rng.randrange(5 * 365))
            name = f"{rng.choice(NAMES[level])} ({snap.units[owner].name})"
            versions = [approved]
            if level == Level.DEPARTMENT and n % 5 == 0:
                versions.append(dt.date(2025, 3, 3) + dt.timedelta(days=rng.randrange(200)))
            for number, on in enumerate(versions, start=1):
                retired = versions[number] if number < len(versions) else None
                if level == Level.DISTRICT:
                    retired = DISTRICTS_RETIRED
                process = Process(
                    code=f"{PREFIX[level]}-{n:04d}",
                    number=number,
                    name=name[:500],
                    level=level,
                    owner_unit_id=owner,
                    decision_number=f"{rng.randrange(100, 9999)}/QĐ-UBND",
                    approved_on=on,
                    retired_on=retired,
                )
                limits = _limits(rng, level, rng.randint(2, 4))
                names = [*STEP_NAMES[: len(limits) - 1], STEP_NAMES[-1]]
                for position, (days, step_name) in enumerate(zip(limits, names, strict=True), 1):
                    steps.append(
                        ProcessStep(
                            process=process,
                            position=position,
                            name=step_name,
                            # the leader approves; the other steps are the owner's staff's
                            responsible_role="unit_head" if step_name == STEP_NAMES[2] else "",
                            days=days,
                        )
                    )
                process.total_days = sum(limits)
                process.search_text = process_search_text(process.code, process.name)
                processes.append(process)
    return processes, steps


def _limits(rng: random.Random, level: str, count: int) -> list[int]:
    top = 2 if level == Level.COMMUNE else 5
    return [rng.randint(1, top) for _ in range(count)]


def _cases(
    rng: random.Random,
    processes: list[Process],
    steps: dict[int, list[ProcessStep]],
    today: dt.date,
    cal: WorkingCalendar,
) -> tuple[list[Case], list[CaseStep]]:
    cases: list[Case] = []
    rows: list[CaseStep] = []
    start = today - dt.timedelta(days=365)
    serial = 0
    # Commune procedures receive most of the cases (civil status, certification).
    weights = [6 if p.level == Level.COMMUNE else 1 for p in processes]
    day = start
    while day < today:
        if cal.is_working_day(day):
            in_force = [
                (p, w) for p, w in zip(processes, weights, strict=True) if p.in_force_on(day)
            ]
            if in_force:
                picks = rng.choices(
                    [p for p, _w in in_force], [w for _p, w in in_force], k=CASES_PER_DAY
                )
                for process in picks:
                    serial += 1
                    case, case_rows = _one_case(
                        rng, process, steps[process.pk], day, today, cal, serial
                    )
                    cases.append(case)
                    rows.extend(case_rows)
        day += dt.timedelta(days=1)
    return cases, rows


def _one_case(
    rng: random.Random,
    process: Process,
    steps: list[ProcessStep],
    received: dt.date,
    today: dt.date,
    cal: WorkingCalendar,
    serial: int,
) -> tuple[Case, list[CaseStep]]:
    completions: list[dt.date | None] = []
    anchor = received
    for step in steps:
        if rng.random() < LATE_STEP_SHARE:
            taken = step.days + rng.randint(1, 3)
        else:
            taken = rng.randint(max(1, step.days // 2), step.days)
        done = due_after(anchor, taken, cal)
        if done >= today:
            break
        completions.append(done)
        anchor = done
    limit = sum(s.days for s in steps)
    due = due_after(received, limit, cal)
    completed = completions[-1] if len(completions) == len(steps) else None
    late = (completed or today) > due
    case = Case(
        code=f"HS-{received.year}-{serial:06d}",
        process_id=process.pk,
        unit_id=process.owner_unit_id,
        applicant=f"Công dân số {serial}",
        received_on=received,
        due_on=due,
        completed_on=completed,
        current_position=0 if completed else len(completions) + 1,
    )
    if late and completed is not None:
        case.late_reason = "Hồ sơ phải lấy ý kiến của cơ quan liên quan"
        case.apology_number = f"{serial % 900 + 100}/TB-XL"
        case.apology_on = completed
    planned = plan_steps(received, [s.days for s in steps], completions, cal)
    rows = [
        CaseStep(
            case=case,
            step_id=step.pk,
            position=step.position,
            started_on=start,
            due_on=step_due,
            completed_on=completions[i] if i < len(completions) else None,
        )
        for i, (step, (start, step_due)) in enumerate(zip(steps, planned, strict=True))
    ]
    return case, rows


def _created(objs: Iterable[models.Model]) -> Iterable[auditing.Change]:
    for obj in objs:
        yield auditing.Change(obj, auditing.CREATE, None, services.snap(obj))
