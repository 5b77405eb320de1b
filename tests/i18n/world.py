"""A small but complete world for rendering every page: the persona world plus one record of
each kind a page shows (a task with a progress report, an extension and a comment; a document;
an inspection with a finding, a recommendation, a remediation report and a checklist answer;
an inspection plan; a discipline case and decision; a rotation plan, a rotation and a
postponement; an evaluation period with evaluations in several states; a notification; a
procedure with two steps and an ISO form, a case half-way through it and a late completed one).

Records are written through the services where a page reads what a service leaves behind (the
audit history, a task's code), and directly otherwise: the pages only need the rows to exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.closing import close_period
from thenchot.appraisal.models import CollectiveDecision, Evaluation, EvaluationPeriod
from thenchot.appraisal.testing import (
    approved,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)
from thenchot.directives.models import DocumentAttachment, SourceDocument, Task
from thenchot.directives.services import extension_request, progress_report, task_comment
from thenchot.directives.testing import DocumentFactory, sample_task
from thenchot.discipline import services as discipline_services
from thenchot.discipline.models import DisciplineCase, DisciplineDecision
from thenchot.inspections.models import (
    ChecklistAnswer,
    ChecklistItem,
    Finding,
    Inspection,
    InspectionPlan,
    PlanItem,
    Recommendation,
    RemediationReport,
    TeamMember,
)
from thenchot.notifications.models import Notification
from thenchot.notifications.services import notify
from thenchot.people.models import JobPosition, Staff
from thenchot.people.testing import World, build_world
from thenchot.processes import services as process_services
from thenchot.processes.models import Case as ProcessCase
from thenchot.processes.models import Process, ProcessDocument
from thenchot.rotation.models import PlanItem as RotationPlanItem
from thenchot.rotation.models import Postponement, Rotation, RotationPlan

DAY = dt.timedelta(days=1)


@dataclass
class PageWorld:
    people: World
    task: Task
    document: SourceDocument
    inspection: Inspection
    recommendation: Recommendation
    report: RemediationReport
    inspection_plan: InspectionPlan
    inspection_plan_item: PlanItem
    case: DisciplineCase
    decision: DisciplineDecision
    rotation_plan: RotationPlan
    rotation_plan_item: RotationPlanItem
    period: EvaluationPeriod
    evaluations: dict[str, Evaluation]
    closed_evaluation: Evaluation
    notification: Notification
    process: Process
    process_case: ProcessCase
    late_case: ProcessCase
    # Records of the apps that bring their own pages (tests/i18n/plugins.py): key -> record.
    extra: dict[str, Any] = field(default_factory=dict)


def build_page_world() -> PageWorld:
    w = build_world()
    today = timezone.localdate()
    with_snv_head(w)
    city_wide = compute_scope(w.user("quan"))

    document = DocumentFactory.create(
        code="KL-0001", number="12/KL-UBND", issuer=w.city, title="Kết luận kiểm tra công vụ"
    )
    DocumentAttachment.objects.create(
        document=document,
        file="documents/ket-luan.pdf",
        name="ket-luan.pdf",
        size=1024,
        content_type="application/pdf",
        uploaded_by=w.user("lan"),
    )
    task = sample_task(w, document=document)
    progress_report(by=w.user("an"), task=task, percent=40, note="Đã lập danh sách")
    extension_request(
        by=w.user("an"), task=task, new_deadline=task.deadline + 14 * DAY, reason="Chờ số liệu"
    )
    task_comment(by=w.user("minh"), task=task, text="Đề nghị báo cáo đúng hạn")
    task.refresh_from_db()

    inspection_plan = InspectionPlan.objects.create(
        code="KHKT-STC-2026", conducted_by=w.stc, year=today.year, title="Kế hoạch kiểm tra"
    )
    inspection_plan_item = PlanItem.objects.create(
        plan=inspection_plan, target_unit=w.snv, planned_month=3, topics=["discipline"]
    )
    inspection = Inspection.objects.create(
        code="KT-0001",
        kind="planned",
        title="Kiểm tra công vụ Sở Nội vụ",
        ordered_by=document,
        plan_item=inspection_plan_item,
        conducted_by=w.stc,
        target_unit=w.snv,
        started_on=today - 60 * DAY,
        ended_on=today - 30 * DAY,
        topics=["discipline", "work_results"],
        conclusion_number="15/KL-STC",
        conclusion_on=today - 20 * DAY,
        conclusion_text="Chấp hành tốt kỷ luật hành chính",
        created_by=w.user("binh"),
    )
    TeamMember.objects.create(inspection=inspection, staff=w.staff["binh"], is_lead=True)
    item = ChecklistItem.objects.create(
        code="KL-01", topic="discipline", text="Niêm yết thời giờ làm việc"
    )
    ChecklistAnswer.objects.create(inspection=inspection, item=item, result="not_met", note="Thiếu")
    Finding.objects.create(
        inspection=inspection, text="Chưa niêm yết thời giờ làm việc", severity="moderate"
    )
    recommendation = Recommendation.objects.create(
        code="KN-0001",
        inspection=inspection,
        text="Niêm yết thời giờ làm việc tại trụ sở",
        responsible_unit=w.snv,
        due_on=today + 30 * DAY,
    )
    report = RemediationReport.objects.create(
        recommendation=recommendation,
        reported_on=today - 2 * DAY,
        text="Đã niêm yết",
        reported_by=w.user("lan"),
    )

    case = discipline_services.case_open(
        scope=city_wide,
        staff=w.staff["an"],
        detected_on=today - 10 * DAY,
        summary="Đi muộn nhiều lần",
        violation="Vi phạm thời giờ làm việc",
    )
    decided = discipline_services.case_open(
        scope=city_wide,
        staff=w.staff["hoa"],
        detected_on=today - 40 * DAY,
        summary="Chậm báo cáo",
    )
    decision = discipline_services.decision_record(
        scope=city_wide,
        staff=w.staff["hoa"],
        form="reprimand",
        decided_on=today - 5 * DAY,
        effective_on=today - 5 * DAY,
        decision_number="07/QĐ-SNV",
        case=decided,
    )

    job = JobPosition.objects.create(
        code="KETOAN", name="Kế toán", rotation_subject=True, rotation_period_months=36
    )
    Staff.objects.filter(pk__in=[w.staff["an"].pk, w.staff["lan"].pk]).update(
        job_position=job, in_position_since=dt.date(2021, 1, 1)
    )
    rotation_plan = RotationPlan.objects.create(
        code="KHCD-SNV-2026", agency=w.snv, year=today.year, title="Kế hoạch chuyển đổi"
    )
    rotation = Rotation.objects.create(
        code="CD-0001",
        staff=w.staff["lan"],
        kind="between_divisions_same_specialty",
        from_unit=w.snv_tc,
        to_unit=w.snv_cc,
        effective_on=today - 100 * DAY,
        decision_number="09/QĐ-SNV",
    )
    rotation_plan_item = RotationPlanItem.objects.create(
        plan=rotation_plan,
        staff=w.staff["an"],
        kind="between_divisions_same_specialty",
        target_unit=w.snv_cc,
        planned_on=today + 20 * DAY,
    )
    RotationPlanItem.objects.create(
        plan=rotation_plan,
        staff=w.staff["lan"],
        kind="between_divisions_same_specialty",
        target_unit=w.snv_cc,
        planned_on=today - 100 * DAY,
        rotation=rotation,
    )
    Postponement.objects.create(
        staff=w.staff["an"], reason="serious_illness", date_from=today - 3 * DAY, note="Nằm viện"
    )

    # Last month, closed: results with their levels and the reasons the rule pack gives.
    closed = open_period(w, month_before(this_month()))
    for evaluation in closed.evaluations.all():
        approved(evaluation, general="25", tasks="55")
    close_period(unit=w.snv, period=closed.code, by=w.user("son"))

    period = open_period(w)
    evaluations = {
        e.staff.user.username: e
        for e in Evaluation.objects.filter(period=period).select_related("staff__user")
        if e.staff.user is not None
    }
    collective = CollectiveDecision.objects.create(
        number="03/BB-SNV", decided_on=today, chaired_by="Đặng Quốc Sơn", summary="Họp xét"
    )
    # Several states on one board: An has submitted, Hoa is reviewed, Lan approved.
    states = {
        "an": (EvaluationStatus.SELF_ASSESSED, "good", None),
        "hoa": (EvaluationStatus.REVIEWED, "good", None),
        "lan": (EvaluationStatus.APPROVED, "excellent", collective),
    }
    for name, (status, level, decided_by) in states.items():
        Evaluation.objects.filter(pk=evaluations[name].pk).update(
            status=status,
            general_points=Decimal("45"),
            task_points=Decimal("42.5"),
            proposed_level=level,
            reviewed_level=level if status != EvaluationStatus.SELF_ASSESSED else "",
            final_level=level if status == EvaluationStatus.APPROVED else "",
            self_assessed_at=timezone.now(),
            evidence="Hoàn thành 5/5 nhiệm vụ",
            collective_decision=decided_by,
        )
    for evaluation in evaluations.values():
        evaluation.refresh_from_db()

    notification = notify(
        recipients=[w.user("an"), w.user("quan"), w.user("hung")],
        title="Nhiệm vụ sắp đến hạn",
        body="Rà soát, sắp xếp biên chế công chức năm 2025",
        url=f"/directives/tasks/{task.code}/",
        email=False,
    )[0]

    process, process_case, late_case = _procedure(w, today)

    page_world = PageWorld(
        people=w,
        task=task,
        document=document,
        inspection=inspection,
        recommendation=recommendation,
        report=report,
        inspection_plan=inspection_plan,
        inspection_plan_item=inspection_plan_item,
        case=case,
        decision=decision,
        rotation_plan=rotation_plan,
        rotation_plan_item=rotation_plan_item,
        period=period,
        evaluations=evaluations,
        closed_evaluation=Evaluation.objects.get(period=closed, staff=w.staff["an"]),
        notification=notification,
        process=process,
        process_case=process_case,
        late_case=late_case,
    )
    from tests.i18n.plugins import page_modules

    for module in page_modules():
        build = getattr(module, "build", None)
        if build is not None:
            build(page_world)
    return page_world


def _procedure(w: World, today: dt.date) -> tuple[Process, ProcessCase, ProcessCase]:
    """SNV's procedure: step 1 by SNV-TC (An's division), step 2 by SNV's personnel officer
    (Lan); one case with step 1 done, and one completed late with its reason and apology."""
    lan, an = w.user("lan"), w.user("an")
    process = process_services.process_create(
        scope=compute_scope(lan),
        by=lan,
        code="QT-SNV-01",
        name="Thẩm định hồ sơ tuyển dụng công chức",
        level="department",
        owner_unit=w.snv,
        approved_on=today - 100 * DAY,
        decision_number="11/QĐ-SNV",
        steps=[
            process_services.StepSpec("Tiếp nhận và kiểm tra hồ sơ", 3, w.snv_tc.pk),
            process_services.StepSpec("Trình lãnh đạo phê duyệt", 2, w.snv.pk, "personnel"),
        ],
    )
    ProcessDocument.objects.create(
        process=process,
        kind="form",
        file="processes/mau-to-khai.pdf",
        name="mau-to-khai.pdf",
        size=2048,
        content_type="application/pdf",
        uploaded_by=lan,
    )

    def advance(user: Any, case: ProcessCase, position: int, on: dt.date, **late: Any) -> None:
        case.refresh_from_db()
        process_services.case_advance(
            by=user, case=case, position=position, on=on, expected_version=case.version, **late
        )

    scope = compute_scope(an)
    case = process_services.case_start(
        scope=scope, by=an, process=process, received_on=today - 3 * DAY, applicant="Trần Thị Mai"
    )
    advance(an, case, 1, today - DAY)
    late = process_services.case_start(
        scope=scope, by=an, process=process, received_on=today - 60 * DAY, applicant="Lê Văn Tâm"
    )
    advance(an, late, 1, today - 58 * DAY)
    advance(
        lan,
        late,
        2,
        today - 30 * DAY,
        late_reason="Chờ ý kiến của cơ quan có thẩm quyền",
        apology_number="05/TXL-SNV",
        apology_on=today - 31 * DAY,
    )
    case.refresh_from_db()
    late.refresh_from_db()
    return process, case, late
