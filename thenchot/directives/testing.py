"""Factories for documents and tasks (tests and the UI engineer's view tests).

`TaskFactory` writes rows directly (no service, no audit): use it to arrange a situation, and
the services to exercise a behaviour.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from thenchot.core.testing import CodeKeyedFactory
from thenchot.directives.models import ExtensionRequest, SourceDocument, Task
from thenchot.org.testing import UnitFactory

DAY = dt.timedelta(days=1)


class DocumentFactory(CodeKeyedFactory[SourceDocument]):
    class Meta:
        model = SourceDocument

    code = factory.Sequence(lambda n: f"KL-{n:04d}")
    kind = "conclusion"
    number = factory.Sequence(lambda n: f"{n}/KL-UBND")
    issued_on = dt.date(2025, 1, 6)
    issuer = factory.SubFactory(UnitFactory, code="HN", name="Thành phố Hà Nội", kind="city")
    signer = "Chủ tịch UBND Thành phố"
    title = factory.Sequence(lambda n: f"Kết luận số {n} của Chủ tịch UBND Thành phố")


class TaskFactory(CodeKeyedFactory[Task]):
    class Meta:
        model = Task

    code = factory.Sequence(lambda n: f"NV-{n:05d}")
    title = factory.Sequence(lambda n: f"Báo cáo kết quả thực hiện nhiệm vụ {n}")
    lead_unit = factory.SubFactory(UnitFactory)
    assigner_unit = None
    assigned_on = dt.date(2025, 3, 1)
    deadline = factory.LazyAttribute(lambda o: o.assigned_on + 30 * DAY)
    weight = Decimal(1)

    @factory.post_generation
    def coordinating_units(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.coordinating_units.set(extracted)  # type: ignore[attr-defined]


class ExtensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtensionRequest

    task = factory.SubFactory(TaskFactory)
    requested_on = factory.LazyAttribute(lambda o: o.task.deadline - 3 * DAY)
    previous_deadline = factory.LazyAttribute(lambda o: o.task.deadline)
    new_deadline = factory.LazyAttribute(lambda o: o.previous_deadline + 14 * DAY)
    reason = "Chờ ý kiến các sở, ngành phối hợp"
    status = "pending"


def sample_task(world: object, **overrides: object) -> Task:
    """Through the service: Minh (head of STC) assigns SNV a task, An (SNV-TC) as assignee,
    assigned 20 days ago, due in 10 days."""
    from django.utils import timezone

    from thenchot.directives.services import task_create

    today = timezone.localdate()
    w = world  # people.testing.World
    fields: dict[str, object] = {
        "by": w.user("minh"),  # type: ignore[attr-defined]
        "title": "Rà soát, sắp xếp biên chế công chức năm 2025",
        "lead_unit": w.snv,  # type: ignore[attr-defined]
        "assigner_unit": w.stc,  # type: ignore[attr-defined]
        "assigned_on": today - 20 * DAY,
        "deadline": today + 10 * DAY,
        "assignee": w.staff["an"],  # type: ignore[attr-defined]
    }
    fields.update(overrides)
    return task_create(**fields)  # type: ignore[arg-type]
