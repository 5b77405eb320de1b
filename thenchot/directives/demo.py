"""Demo documents and tasks: a year of direction tracking on top of the demo organisation
(`thenchot.demo.generator`), in bulk, deterministic for a seed and a `today`.

The City (HN) issues conclusions, directives, notices, plans and decisions that assign tasks to
departments and to communes and wards; departments issue their own plans and assign tasks to
communes and to their divisions; some tasks are given ad hoc. Measured on `today`, the mix is
about 70% completed on time, 12% completed late, 8% overdue and 10% in progress; about one task
in ten has extension requests, most approved, some made after the deadline had passed (the
delay stays on record). Open tasks carry progress reports; a few carry urging comments.

The demo personas get tasks of their own: the staff personas in "my tasks" (as assignee), the
heads (STC's director, the SNV division head, the City's vice-chairman) through the units they
head, and the department-head persona (`giamdoc`, STC) has assigned tasks to communes — one
with an extension request waiting for him.

Everything is written with `bulk_create` and audited with `core.auditing.record_many` (source
"command", reason "demo data"). A second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from thenchot.accounts.models import User
from thenchot.core import auditing
from thenchot.core.context import acting
from thenchot.directives.models import (
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
    TaskComment,
    task_search_text,
)
from thenchot.org.demo import demo_city
from thenchot.org.tree import TreeSnapshot, tree
from thenchot.people.models import Assignment, Staff

REASON = "demo data"
DAY = dt.timedelta(days=1)
CODE_PREFIX = "NV-"
BATCH = 2000
# (share, category) drawn for each task. Tasks assigned in the last weeks cannot be finished
# yet and the personas' own tasks are mostly open, so fewer are drawn "in progress" than the
# ~10% the year ends with (70% on time, 12% late, 8% overdue).
MIX = ((0.75, "on_time"), (0.125, "late"), (0.075, "overdue"), (0.05, "in_progress"))
EXTENDED_SHARE = 0.10

CITY_DOCS = (
    ("conclusion", "KL-UBND", "Kết luận của Chủ tịch UBND Thành phố tại buổi làm việc với {}"),
    ("directive", "CT-UBND", "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính trong {}"),
    ("notice", "TB-UBND", "Thông báo kết luận giao ban công tác {}"),
    ("plan", "KH-UBND", "Kế hoạch triển khai {} năm {}"),
    ("decision", "QĐ-UBND", "Quyết định giao chỉ tiêu {} năm {}"),
)
TOPICS = (
    "cải cách hành chính",
    "chuyển đổi số",
    "giải phóng mặt bằng các dự án trọng điểm",
    "giải ngân vốn đầu tư công",
    "sắp xếp đơn vị hành chính cấp xã",
    "quản lý trật tự xây dựng",
    "bảo vệ môi trường và xử lý rác thải",
    "phòng cháy, chữa cháy",
    "an toàn thực phẩm",
    "thu ngân sách nhà nước",
)
TASK_TITLES = (
    "Triển khai thực hiện Kết luận số {doc}",
    "Báo cáo kết quả rà soát thủ tục hành chính lĩnh vực {topic}",
    "Đẩy nhanh tiến độ giải phóng mặt bằng dự án {project}",
    "Xây dựng kế hoạch thực hiện {topic} năm {year}",
    "Rà soát, đánh giá tình hình {topic}, đề xuất giải pháp",
    "Tham mưu UBND Thành phố ban hành văn bản về {topic}",
    "Kiểm tra, xử lý dứt điểm các vi phạm về {topic}",
    "Tổng hợp, báo cáo kết quả thực hiện {topic} quý {quarter}",
)
PROJECTS = (
    "đường Vành đai 4 - Vùng Thủ đô",
    "cải tạo, chỉnh trang sông Tô Lịch",
    "xây dựng cầu Trần Hưng Đạo",
    "mở rộng đường Nguyễn Văn Cừ",
    "nhà ở xã hội tại Đông Anh",
    "trường THPT công lập mới",
)
PRODUCTS = (
    "Báo cáo kết quả thực hiện",
    "Kế hoạch triển khai",
    "Tờ trình UBND Thành phố",
    "Văn bản hướng dẫn",
    "Đề án trình UBND Thành phố",
)
REASONS = (
    "Chờ ý kiến tham gia của các sở, ngành phối hợp",
    "Khối lượng hồ sơ lớn, cần thêm thời gian rà soát",
    "Vướng mắc về giải phóng mặt bằng, đang xin ý kiến Thành phố",
    "Chờ kết quả thẩm định của cơ quan chuyên môn",
)
NOTES = (
    "Đã xây dựng dự thảo, đang lấy ý kiến các đơn vị",
    "Đã hoàn thành rà soát, đang tổng hợp báo cáo",
    "Đang phối hợp với các phòng chuyên môn triển khai",
    "Đã tổ chức hội nghị triển khai, đang theo dõi kết quả",
)
URGES = (
    "Đề nghị đơn vị khẩn trương hoàn thành, báo cáo kết quả trước hạn.",
    "Nhiệm vụ đã quá hạn, đề nghị báo cáo rõ nguyên nhân và đề xuất thời hạn hoàn thành.",
    "Đề nghị bổ sung số liệu phân tích theo từng địa bàn.",
)


@dataclass
class Facts:
    """One task's dates as the demo draws them, relative to `today`."""

    assigned_on: dt.date
    deadline: dt.date
    completed_on: dt.date | None = None
    extensions: list[dict[str, Any]] = field(default_factory=list)


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + DAY * rng.randint(0, max((hi - lo).days, 0))


def draw_facts(rng: random.Random, category: str, today: dt.date, earliest: dt.date) -> Facts:
    """Dates that give `category` (on_time, late, overdue, in_progress) on `today`, with an
    extension story for about one task in ten. `earliest`: the first possible assigned date."""
    duration = DAY * rng.choice((15, 20, 30, 45, 60, 90))
    extended = rng.random() < EXTENDED_SHARE
    if category == "in_progress":
        assigned = _day(rng, max(earliest, today - 100 * DAY), today - 5 * DAY)
        deadline = max(assigned + duration, today + DAY * rng.randint(3, 45))
        facts = Facts(assigned, deadline)
        if extended and (deadline - assigned).days > 10:
            # an earlier deadline, extended on time; or a request still waiting
            if rng.random() < 0.5 and assigned + 8 * DAY < today:
                original = _day(rng, assigned + 5 * DAY, min(today, deadline) - 3 * DAY)
                asked = original - DAY * rng.randint(1, 3)
                if asked > assigned:
                    facts.deadline = original
                    facts.extensions.append(_ext(rng, asked, deadline, "approved", today))
            else:
                asked = _day(rng, max(assigned + DAY, today - 10 * DAY), today)
                facts.extensions.append(
                    _ext(rng, asked, deadline + DAY * rng.randint(10, 30), "pending", today)
                )
        return facts
    if category == "overdue":
        if earliest + duration >= today:
            duration = 15 * DAY
        if earliest + duration >= today:
            return draw_facts(rng, "in_progress", today, earliest)
        deadline = _day(rng, max(earliest + duration, today - 120 * DAY), today - DAY)
        facts = Facts(deadline - duration, deadline)
        if extended:  # asked after the deadline, and refused
            asked = min(deadline + DAY * rng.randint(1, 5), today)
            if asked > deadline:
                facts.extensions.append(
                    _ext(rng, asked, deadline + DAY * rng.randint(10, 20), "rejected", today)
                )
        return facts
    # completed: on time or late
    if earliest + duration + 5 * DAY > today:
        duration = 15 * DAY
    if earliest + duration + 5 * DAY > today:
        return draw_facts(rng, "in_progress", today, earliest)
    assigned = _day(rng, earliest, today - duration - 5 * DAY)
    deadline = assigned + duration
    if category == "on_time":
        facts = Facts(assigned, deadline, _day(rng, assigned + duration // 2, deadline))
        if extended:  # on time thanks to an extension asked before the deadline
            new = deadline + DAY * rng.randint(10, 30)
            asked = deadline - DAY * rng.randint(1, 4)
            done = _day(rng, deadline + DAY, new)
            if done <= today and asked > assigned:
                facts.extensions.append(_ext(rng, asked, new, "approved", today))
                facts.completed_on = done
        return facts
    done = min(deadline + DAY * rng.randint(1, 25), today)
    facts = Facts(assigned, deadline, done)
    if extended:
        # asked after the deadline had passed: the delay stays on record. An approval moves
        # the deadline, but not as far as the completion (the task is still late).
        asked = deadline + DAY * rng.randint(1, 5)
        if asked < done:
            approved = (done - asked).days >= 2 and rng.random() < 0.6
            new = asked + DAY * rng.randint(1, (done - asked).days - 1) if approved else done
            facts.extensions.append(
                _ext(rng, asked, new, "approved" if approved else "rejected", today)
            )
    return facts


def _ext(
    rng: random.Random, asked: dt.date, new: dt.date, status: str, today: dt.date
) -> dict[str, Any]:
    decided = None if status == "pending" else min(asked + DAY * rng.randint(0, 3), today)
    return {
        "requested_on": asked,
        "new_deadline": new,
        "status": status,
        "decided_on": decided,
        "reason": rng.choice(REASONS),
    }


def load_demo_directives(*, seed: int, today: dt.date) -> None:
    """Write a year of demo documents and tasks, in one transaction (a second run adds
    nothing)."""
    with transaction.atomic(), acting(source="command", reason=REASON):
        if Task.objects.filter(code__startswith=CODE_PREFIX).exists():
            return
        _Builder(seed=seed, today=today).build()


class _Builder:
    def __init__(self, *, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.start = today - 365 * DAY
        self.snap: TreeSnapshot = tree()
        self.city = demo_city(self.snap)
        self.documents: list[SourceDocument] = []
        self.tasks: list[tuple[Task, Facts, list[int]]] = []  # task, dates, coordinating units
        self.serial = 0
        self.users = dict(
            User.objects.filter(
                username__in=["lanhdao", "giamdoc", "truongphong", "noivu", "noivu.phuong"]
            ).values_list("username", "id")
        )
        self.persona_staff = dict(
            Staff.objects.filter(user__username__isnull=False).values_list("user__username", "id")
        )
        # open assignments: unit -> [(staff id, since)], sorted by staff code
        self.people: dict[int, list[tuple[int, dt.date | None]]] = {}
        rows = (
            Assignment.objects.filter(valid_to__isnull=True)
            .order_by("staff__code")
            .values_list("unit_id", "staff_id", "valid_from")
        )
        for unit_id, staff_id, since in rows:
            self.people.setdefault(unit_id, []).append((staff_id, since))
        valid = [
            u
            for u in self.snap.subtree_on(self.city, today)
            if self.snap.units[u].valid_on(today) and self.snap.units[u].valid_on(self.start)
        ]
        by_code = sorted(valid, key=lambda u: self.snap.units[u].code)
        self.departments = [u for u in by_code if self.snap.units[u].kind == "department"]
        self.communes = [u for u in by_code if self.snap.units[u].kind in {"commune", "ward"}]

    # -- drawing ------------------------------------------------------------------------------
    def unit(self, code: str) -> int | None:
        unit_id = self.snap.by_code.get(code)
        if unit_id is None or not self.snap.units[unit_id].valid_on(self.today):
            return None
        return unit_id

    def category(self) -> str:
        roll, total = self.rng.random(), 0.0
        for share, name in MIX:
            total += share
            if roll < total:
                return name
        return MIX[-1][1]

    def document(
        self, kind: str, symbol: str, issuer: int, title: str, issued_on: dt.date
    ) -> SourceDocument:
        n = len(self.documents) + 1
        number = f"{100 + n}/{symbol}"
        doc = SourceDocument(
            code=f"VB-{issued_on.year}-{n:04d}",
            kind=kind,
            number=number,
            issued_on=issued_on,
            issuer_id=issuer,
            signer="Chủ tịch UBND Thành phố" if issuer == self.city else "Giám đốc Sở",
            title=title,
        )
        self.documents.append(doc)
        return doc

    def assignee(self, lead: int, on: dt.date) -> int | None:
        """Somebody in the lead unit's subtree on `on` who is still there today."""
        units = sorted(self.snap.subtree_on(lead, on), key=lambda u: self.snap.units[u].code)
        candidates = [
            staff
            for unit in units
            for staff, since in self.people.get(unit, ())
            if since is None or since <= on
        ]
        return self.rng.choice(candidates) if candidates else None

    def add_task(
        self,
        *,
        lead: int,
        assigner: int,
        category: str,
        document: SourceDocument | None = None,
        assignee: Any = "draw",
        assigned_by: str | None = None,
        title: str | None = None,
        earliest: dt.date | None = None,
    ) -> Task | None:
        rng = self.rng
        first = max(earliest or self.start, self.start)
        if document is not None:
            first = max(first, document.issued_on)
        facts = draw_facts(rng, category, self.today, first)
        if assignee == "draw":
            assignee = self.assignee(lead, facts.assigned_on) if rng.random() < 0.6 else None
        self.serial += 1
        topic = rng.choice(TOPICS)
        title = title or rng.choice(TASK_TITLES).format(
            doc=document.number if document is not None else f"{self.serial}/KL-UBND",
            topic=topic,
            project=rng.choice(PROJECTS),
            year=facts.assigned_on.year,
            quarter=(facts.assigned_on.month - 1) // 3 + 1,
        )
        code = f"{CODE_PREFIX}{facts.assigned_on.year}-{self.serial:05d}"
        quality, errors = None, 0
        if facts.completed_on is not None:
            on_time = facts.completed_on <= max(
                [facts.deadline]
                + [e["new_deadline"] for e in facts.extensions if e["status"] == "approved"]
            )
            quality = rng.choices(
                ("exceeds", "meets", "below"), (25, 70, 5) if on_time else (0, 60, 40)
            )[0]
            errors = rng.choice((1, 1, 2)) if quality == "below" else 0
        task = Task(
            code=code,
            title=title[:500],
            document=document,
            lead_unit_id=lead,
            assignee_id=assignee,
            assigner_unit_id=assigner,
            assigned_by_id=self.users.get(assigned_by or ""),
            assigned_on=facts.assigned_on,
            deadline=facts.deadline,
            priority=rng.choices(("normal", "high", "urgent", "low"), (70, 20, 5, 5))[0],
            weight=rng.choices(
                (Decimal(1), Decimal("1.5"), Decimal(2), Decimal("0.5")), (70, 12, 10, 8)
            )[0],
            expected_product=rng.choice(PRODUCTS),
            completed_on=facts.completed_on,
            product="Đã hoàn thành, có báo cáo kết quả gửi đơn vị giao."
            if facts.completed_on
            else "",
            quality=quality,
            major_errors=errors,
            progress=100 if facts.completed_on else 0,
            search_text=task_search_text(code, title[:500]),
        )
        coordinating = []
        if rng.random() < 0.3:
            pool = [u for u in self.departments if u != lead]
            coordinating = sorted(rng.sample(pool, k=min(len(pool), rng.randint(1, 2))))
        self.tasks.append((task, facts, coordinating))
        return task

    # -- the year -----------------------------------------------------------------------------
    def build(self) -> None:
        rng, today = self.rng, self.today
        leads = self.departments + self.communes
        if not leads:
            return
        # City documents, about three a month, each assigning tasks across the city.
        for month in range(12):
            for _ in range(3):
                issued = _day(
                    rng, self.start + 30 * DAY * month, self.start + 30 * DAY * month + 27 * DAY
                )
                kind, symbol, pattern = rng.choice(CITY_DOCS)
                subject = (
                    self.snap.units[rng.choice(leads)].name
                    if kind in ("conclusion", "directive")
                    else rng.choice(TOPICS)
                )
                title = pattern.format(subject, issued.year)
                doc = self.document(kind, symbol, self.city, title, issued)
                for lead in rng.sample(leads, k=min(len(leads), rng.randint(6, 18))):
                    self.add_task(
                        lead=lead,
                        assigner=self.city,
                        category=self.category(),
                        document=doc,
                        assigned_by="lanhdao",
                    )
        # Department plans assigning communes and their own divisions.
        for dept in self.departments:
            for _ in range(rng.randint(1, 3)):
                issued = _day(rng, self.start, today - 20 * DAY)
                symbol = f"KH-{self.snap.units[dept].code}"
                topic = rng.choice(TOPICS)
                doc = self.document("plan", symbol, dept, f"Kế hoạch thực hiện {topic}", issued)
                divisions = sorted(
                    (
                        u
                        for u in self.snap.subtree_on(dept, today) - {dept}
                        if self.snap.units[u].valid_on(self.start)
                    ),
                    key=lambda u: self.snap.units[u].code,
                )
                targets = rng.sample(self.communes, k=min(len(self.communes), rng.randint(2, 6)))
                targets += rng.sample(divisions, k=min(len(divisions), rng.randint(0, 2)))
                for lead in targets:
                    self.add_task(lead=lead, assigner=dept, category=self.category(), document=doc)
        # Ad hoc tasks from the City.
        for _ in range(2 * len(leads)):
            self.add_task(
                lead=rng.choice(leads),
                assigner=self.city,
                category=self.category(),
                assigned_by="lanhdao",
            )
        self.persona_tasks()
        self.write()

    def persona_tasks(self) -> None:
        """What the demo personas see first: their own tasks, and tasks they assigned."""
        rng = self.rng
        mix = ("in_progress", "in_progress", "overdue", "on_time", "late")
        pinned = (
            ("canbo", "SNV-CCVC", "SNV"),
            ("noivu", "SNV", "HN"),
            ("thanhtra", "TTTP", "HN"),
            ("noivu.phuong", "P-BADINH", "HN"),
            ("quantri", "SNV", "HN"),
        )
        for username, lead_code, assigner_code in pinned:
            staff, lead = self.persona_staff.get(username), self.unit(lead_code)
            assigner = self.unit(assigner_code)
            if staff is None or lead is None or assigner is None:
                continue
            for category in mix[: 3 if username == "quantri" else 5]:
                task = self.add_task(
                    lead=lead,
                    assigner=assigner,
                    category=category,
                    assignee=None,
                    assigned_by="lanhdao" if assigner == self.city else None,
                )
                if task is not None and self._staff_within(staff, lead, task.assigned_on):
                    task.assignee_id = staff
        # Heads: tasks of the unit they head, nobody named (theirs in "my tasks").
        for lead_code, assigner_code in (("STC", "HN"), ("SNV-CCVC", "SNV"), ("HN", "HN")):
            lead, assigner = self.unit(lead_code), self.unit(assigner_code)
            if lead is None or assigner is None:
                continue
            for category in mix:
                self.add_task(
                    lead=lead,
                    assigner=assigner,
                    category=category,
                    assignee=None,
                    assigned_by="lanhdao" if assigner == self.city else None,
                )
        # The department-head persona assigns communes from a plan of STC; one commune asks
        # him for more time.
        stc = self.unit("STC")
        if stc is None or not self.communes:
            return
        doc = self.document(
            "plan",
            "KH-STC",
            stc,
            "Kế hoạch kiểm tra công tác quyết toán ngân sách xã năm " + str(self.today.year),
            self.today - 60 * DAY,
        )
        for i, lead in enumerate(rng.sample(self.communes, k=min(6, len(self.communes)))):
            task = self.add_task(
                lead=lead,
                assigner=stc,
                category=("in_progress", "on_time", "overdue", "late")[i % 4]
                if i
                else "in_progress",
                document=doc,
                assigned_by="giamdoc",
                title="Báo cáo quyết toán ngân sách xã năm " + str(self.today.year - 1),
            )
            if i == 0 and task is not None:
                facts = self.tasks[-1][1]
                facts.extensions = [
                    _ext(
                        rng, self.today - 2 * DAY, facts.deadline + 20 * DAY, "pending", self.today
                    )
                ]

    def _staff_within(self, staff: int, lead: int, on: dt.date) -> bool:
        sub = self.snap.subtree_on(lead, on)
        return any(
            s == staff and (since is None or since <= on)
            for u in sub
            for s, since in self.people.get(u, ())
        )

    # -- writing ------------------------------------------------------------------------------
    def write(self) -> None:
        rng, today = self.rng, self.today
        SourceDocument.objects.bulk_create(self.documents, batch_size=BATCH)
        for task, _facts, _coord in self.tasks:
            task.document_id = task.document.pk if task.document is not None else None
        tasks = [t for t, _f, _c in self.tasks]
        Task.objects.bulk_create(tasks, batch_size=BATCH)
        through = Task.coordinating_units.through
        links = [through(task_id=t.pk, unit_id=u) for t, _f, coord in self.tasks for u in coord]
        through.objects.bulk_create(links, batch_size=BATCH)
        extensions: list[ExtensionRequest] = []
        reports: list[ProgressReport] = []
        comments: list[TaskComment] = []
        for task, facts, _coord in self.tasks:
            in_force = facts.deadline
            for ext in sorted(facts.extensions, key=lambda e: e["requested_on"]):
                extensions.append(ExtensionRequest(task=task, previous_deadline=in_force, **ext))
                if ext["status"] == "approved":
                    in_force = ext["new_deadline"]
            reports += self._reports(task, facts)
            overdue = facts.completed_on is None and in_force < today
            if rng.random() < (0.3 if overdue else 0.02):
                comments.append(
                    TaskComment(task=task, author_id=task.assigned_by_id, text=rng.choice(URGES))
                )
        ExtensionRequest.objects.bulk_create(extensions, batch_size=BATCH)
        ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
        reported = [t for t, f, _c in self.tasks if f.completed_on is None and t.progress]
        Task.objects.bulk_update(reported, ["progress"], batch_size=BATCH)
        TaskComment.objects.bulk_create(comments, batch_size=BATCH)
        auditing.record_many(
            _created([*self.documents, *tasks, *extensions, *reports, *comments]), reason=REASON
        )

    def _reports(self, task: Task, facts: Facts) -> list[ProgressReport]:
        end = facts.completed_on or self.today
        days = (end - facts.assigned_on).days
        if days < 4 or self.rng.random() < 0.3:
            return []
        count = self.rng.randint(1, 3)
        out = []
        percent = 0
        for i in range(count):
            on = facts.assigned_on + DAY * (days * (i + 1) // (count + 1))
            percent = min(95, percent + self.rng.randint(15, 40))
            out.append(
                ProgressReport(
                    task=task, reported_on=on, percent=percent, note=self.rng.choice(NOTES)
                )
            )
        if facts.completed_on is None:
            task.progress = percent
        return out


def _created(objs: Iterable[models.Model]) -> Iterable[auditing.Change]:
    for obj in objs:
        yield auditing.Change(obj, auditing.CREATE, None, auditing.snapshot(obj))
