"""Demo inspections on top of the demo organisation (`thenchot.demo.generator`).

The first nine months of 2023 match the figures Hanoi published: the City's public-service
reform inspection team — the administrative-reform division of Sở Nội vụ (`SNV-CCHC`) —
inspected 9 units under its annual plan, made 28 surprise inspections and 3 verifications
ordered by the City; the agencies themselves (departments and districts, over their own
divisions and communes) ran 995 more. So `thenchot report --unit HN --from 2023-01-01
--to 2023-09-30` counts 1,035 inspections, of which 40 by the team. The rest of 2023 and 2026
add inspections whose recommendations are done, open and overdue (relative to `today`).

Everything is written in bulk and audited in bulk (source "command", reason "demo data").
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from django.db import models, transaction

from thenchot.core import auditing
from thenchot.core.context import acting
from thenchot.directives.models import SourceDocument
from thenchot.inspections.choices import InspectionKind, Severity, Topic
from thenchot.inspections.models import (
    ChecklistItem,
    Finding,
    Inspection,
    InspectionPlan,
    PlanItem,
    Recommendation,
    TeamMember,
)
from thenchot.org.demo import demo_city
from thenchot.org.tree import TreeSnapshot, tree
from thenchot.people.models import Staff

REASON = "demo data"
TEAM_CODE = "SNV-CCHC"
YEAR = 2023
NINE_MONTHS = (dt.date(2023, 1, 1), dt.date(2023, 9, 30))
TEAM_PLANNED, TEAM_SURPRISE, TEAM_VERIFICATIONS = 9, 28, 3
AGENCY_INSPECTIONS = 995

FINDINGS = (
    ("Một số công chức đến muộn, về sớm so với giờ làm việc quy định", Severity.MINOR),
    ("Chưa niêm yết công khai đầy đủ thủ tục hành chính tại bộ phận một cửa", Severity.MODERATE),
    ("Hồ sơ trễ hạn chưa có văn bản xin lỗi người dân", Severity.MODERATE),
    ("Cán bộ không đeo thẻ công chức khi thi hành công vụ", Severity.MINOR),
    ("Sổ theo dõi hồ sơ không cập nhật, thiếu chữ ký người nhận", Severity.MINOR),
    ("Chậm giải quyết đơn thư khiếu nại quá thời hạn luật định", Severity.SERIOUS),
    ("Chưa đánh giá, xếp loại hằng tháng theo kết quả công việc", Severity.MODERATE),
)
RECOMMENDATIONS = (
    "Chấn chỉnh việc chấp hành kỷ luật, kỷ cương hành chính",
    "Niêm yết công khai đầy đủ thủ tục hành chính, báo cáo kết quả",
    "Kiểm điểm trách nhiệm cá nhân để hồ sơ trễ hạn",
    "Rà soát, xử lý dứt điểm đơn thư tồn đọng",
    "Thực hiện đánh giá, xếp loại theo kết quả công việc hằng tháng",
)
CHECKLIST = (
    (Topic.DISCIPLINE, "Chấp hành giờ giấc làm việc"),
    (Topic.DISCIPLINE, "Đeo thẻ công chức, trang phục công sở"),
    (Topic.WORK_RESULTS, "Đánh giá, xếp loại theo kết quả công việc hằng tháng"),
    (Topic.ADMINISTRATIVE_PROCEDURES, "Niêm yết công khai thủ tục hành chính"),
    (Topic.ADMINISTRATIVE_PROCEDURES, "Xin lỗi người dân khi hồ sơ trễ hạn"),
    (Topic.COMPLAINTS_DENUNCIATIONS, "Giải quyết khiếu nại, tố cáo đúng thời hạn"),
    (Topic.PETITIONS, "Tiếp nhận, xử lý phản ánh, kiến nghị của người dân"),
)


def _valid(snap: TreeSnapshot, unit_id: int, on: dt.date) -> bool:
    return snap.units[unit_id].valid_on(on)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def load_demo_inspections(*, seed: int, today: dt.date) -> None:
    """Write the demo inspections, in one transaction (a second run adds nothing)."""
    with transaction.atomic(), acting(source="command", reason=REASON):
        _build(seed=seed, today=today)


def _build(*, seed: int, today: dt.date) -> None:

    snap = tree()
    city = demo_city(snap)
    if Inspection.objects.filter(code__startswith="KTCV-").exists():
        return
    rng = random.Random(seed)
    team = snap.by_code.get(TEAM_CODE) or snap.by_code.get("SNV") or city
    on_2023 = dt.date(2023, 6, 30)
    agencies = sorted(
        (
            uid
            for uid in snap.subtree_on(city, on_2023)
            if snap.units[uid].kind in {"department", "district"} and _valid(snap, uid, on_2023)
        ),
        key=lambda u: snap.units[u].code,
    )
    under = {
        a: sorted(snap.subtree_on(a, on_2023) - {a}, key=lambda u: snap.units[u].code)
        for a in agencies
    }
    inspections: list[Inspection] = []
    findings: list[tuple[str, str, str]] = []  # (inspection code, text, severity)
    recs: list[tuple[str, str, int, dt.date, dt.date | None]] = []
    serial = [0]

    def add(
        kind: str,
        conductor: int,
        target: int,
        started: dt.date,
        *,
        ordered_by: int | None = None,
        n_findings: int = 1,
        n_recs: int = 1,
        done_share: float = 0.85,
    ) -> str:
        serial[0] += 1
        code = f"KTCV-{started.year}-{serial[0]:04d}"
        ended = started + dt.timedelta(days=rng.choice((0, 1, 2, 5)))
        topics = sorted(rng.sample(list(Topic.values), k=rng.randint(1, 3)), key=Topic.values.index)
        inspections.append(
            Inspection(
                code=code,
                kind=kind,
                title="",
                ordered_by_id=ordered_by,
                conducted_by_id=conductor,
                target_unit_id=target,
                started_on=started,
                ended_on=ended if ended <= today else None,
                topics=topics,
                conclusion_number=f"{serial[0]}/KL-KTCV"
                if ended + dt.timedelta(days=7) <= today
                else "",
                conclusion_on=ended + dt.timedelta(days=7)
                if ended + dt.timedelta(days=7) <= today
                else None,
            )
        )
        for text, severity in rng.sample(FINDINGS, k=min(n_findings, len(FINDINGS))):
            findings.append((code, text, severity))
        for i in range(n_recs):
            due = ended + dt.timedelta(days=rng.choice((30, 45, 60, 90)))
            done = None
            if rng.random() < done_share:
                done = due - dt.timedelta(days=rng.randint(0, 25))
                if rng.random() < 0.1:
                    done = due + dt.timedelta(days=rng.randint(1, 20))  # done late
                if done > today or done < started:
                    done = None
            recs.append((f"{code}-KN{i + 1}", rng.choice(RECOMMENDATIONS), target, due, done))
        return code

    # -- the City's team, 9 months of 2023 -------------------------------------------------------
    documents = []
    for n in range(1, TEAM_VERIFICATIONS + 1):
        documents.append(
            SourceDocument(
                code=f"KTCV-TB-2023-{n:02d}",
                kind="notice",
                number=f"{100 + n}/TB-UBND",
                issued_on=dt.date(2023, 2 + 2 * n, 10),
                issuer_id=city,
                signer="Chủ tịch UBND Thành phố",
                title=f"Thông báo giao xác minh, kiểm tra công vụ số {n}",
            )
        )
    SourceDocument.objects.bulk_create(documents)
    plan = InspectionPlan.objects.create(
        code=f"KH-KTCV-{YEAR}",
        conducted_by_id=team,
        year=YEAR,
        title="Kế hoạch kiểm tra công vụ năm 2023",
        published_on=dt.date(2023, 1, 10),
    )
    planned_targets = rng.sample(agencies, k=TEAM_PLANNED)
    items = [
        PlanItem(plan=plan, target_unit_id=target, planned_month=2 + i % 7, topics=["discipline"])
        for i, target in enumerate(planned_targets)
    ]
    PlanItem.objects.bulk_create(items)
    plan_item_of: dict[str, PlanItem] = {}
    for item in items:
        started = _day(
            rng, dt.date(2023, item.planned_month, 1), dt.date(2023, item.planned_month, 25)
        )
        plan_item_of[
            add(InspectionKind.PLANNED, team, item.target_unit_id, started, n_findings=3, n_recs=3)
        ] = item
    targets = [u for a in agencies for u in [a, *under[a]] if _valid(snap, u, on_2023)]
    for _ in range(TEAM_SURPRISE):
        add(
            InspectionKind.SURPRISE,
            team,
            rng.choice(targets),
            _day(rng, *NINE_MONTHS),
            n_findings=2,
            n_recs=2,
        )
    for doc in documents:
        start = doc.issued_on + dt.timedelta(days=rng.randint(5, 20))
        add(
            InspectionKind.VERIFICATION,
            team,
            rng.choice(targets),
            start,
            ordered_by=doc.pk,
            n_findings=2,
        )
    # -- the agencies themselves ---------------------------------------------------------------
    for n in range(AGENCY_INSPECTIONS):
        agency = agencies[n % len(agencies)]
        target = rng.choice(under[agency] or [agency])
        kind = InspectionKind.SURPRISE if rng.random() < 0.2 else InspectionKind.PLANNED
        add(
            kind,
            agency,
            target,
            _day(rng, *NINE_MONTHS),
            n_findings=rng.randint(0, 1),
            n_recs=rng.randint(0, 1),
        )
    # -- the last quarter of 2023 and this year --------------------------------------------------
    for _ in range(60):
        agency = rng.choice(agencies)
        add(
            InspectionKind.PLANNED,
            agency,
            rng.choice(under[agency] or [agency]),
            _day(rng, dt.date(2023, 10, 1), dt.date(2023, 12, 20)),
        )
    now_agencies = [
        uid
        for uid in snap.subtree_on(city, today)
        if snap.units[uid].kind in {"department", "commune", "ward"} and _valid(snap, uid, today)
    ]
    if now_agencies:
        year_start = dt.date(today.year, 1, 1)
        for _ in range(40):
            started = _day(rng, year_start, max(year_start, today - dt.timedelta(days=20)))
            add(
                rng.choice((InspectionKind.PLANNED, InspectionKind.SURPRISE)),
                team,
                rng.choice(now_agencies),
                started,
                n_findings=2,
                n_recs=2,
                done_share=0.4,
            )
        # One announced surprise the target must not see yet.
        add(
            InspectionKind.SURPRISE,
            team,
            rng.choice(now_agencies),
            today + dt.timedelta(days=12),
            n_findings=0,
            n_recs=0,
        )

    if True:  # already inside the transaction of load_demo_inspections
        Inspection.objects.bulk_create(inspections, batch_size=2000)
        by_code = {i.code: i for i in Inspection.objects.filter(code__startswith="KTCV-")}
        for code, item in plan_item_of.items():
            by_code[code].plan_item = item
        Inspection.objects.bulk_update([by_code[c] for c in plan_item_of], ["plan_item"])
        finding_rows = []
        position: dict[str, int] = {}
        for code, text, severity in findings:
            position[code] = position.get(code, 0) + 1
            finding_rows.append(
                Finding(
                    inspection=by_code[code], position=position[code], text=text, severity=severity
                )
            )
        Finding.objects.bulk_create(finding_rows, batch_size=2000)
        rec_rows = [
            Recommendation(
                code=code,
                inspection=by_code[code.rsplit("-KN", 1)[0]],
                text=text,
                responsible_unit_id=unit,
                due_on=due,
                done_on=done,
            )
            for code, text, unit, due, done in recs
        ]
        Recommendation.objects.bulk_create(rec_rows, batch_size=2000)
        members = []
        team_staff = list(
            Staff.objects.filter(unit_id=team).order_by("code").values_list("pk", flat=True)[:6]
        )
        if team_staff:
            for inspection in by_code.values():
                if inspection.conducted_by_id == team:
                    picked = rng.sample(team_staff, k=min(3, len(team_staff)))
                    members += [
                        TeamMember(inspection=inspection, staff_id=s, is_lead=i == 0)
                        for i, s in enumerate(picked)
                    ]
        TeamMember.objects.bulk_create(members, batch_size=2000)
        checklist = [
            ChecklistItem(code=f"CL-{n:02d}", topic=topic, text=text, position=n)
            for n, (topic, text) in enumerate(CHECKLIST, start=1)
            if not ChecklistItem.objects.filter(code=f"CL-{n:02d}").exists()
        ]
        ChecklistItem.objects.bulk_create(checklist)
        auditing.record_many(
            _created(
                [
                    *documents,
                    plan,
                    *items,
                    *by_code.values(),
                    *finding_rows,
                    *rec_rows,
                    *members,
                    *checklist,
                ]
            ),
            reason=REASON,
        )


def _created(objs: Iterable[models.Model]) -> Iterable[auditing.Change]:
    from thenchot.inspections.services import snap

    for obj in objs:
        yield auditing.Change(obj, auditing.CREATE, None, snap(obj))
