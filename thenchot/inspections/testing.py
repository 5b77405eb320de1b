"""Factories for inspections and recommendations (tests, the bench, the demo's checks).

They write rows directly (no service, no audit): use them to arrange a situation, and the
services to exercise a behaviour.
"""

from __future__ import annotations

import datetime as dt

import factory

from thenchot.core.testing import CodeKeyedFactory
from thenchot.inspections.models import Inspection, Recommendation
from thenchot.org.testing import UnitFactory


class InspectionFactory(CodeKeyedFactory[Inspection]):
    class Meta:
        model = Inspection

    code = factory.Sequence(lambda n: f"KT-{n:05d}")
    kind = "planned"
    conducted_by = factory.SubFactory(UnitFactory)
    target_unit = factory.SubFactory(UnitFactory)
    started_on = dt.date(2023, 3, 1)
    topics = factory.LazyFunction(lambda: ["discipline"])


class RecommendationFactory(CodeKeyedFactory[Recommendation]):
    class Meta:
        model = Recommendation

    code = factory.Sequence(lambda n: f"KN-{n:05d}")
    inspection = factory.SubFactory(InspectionFactory)
    text = "Chấn chỉnh việc chấp hành giờ giấc làm việc"
    responsible_unit = factory.LazyAttribute(lambda o: o.inspection.target_unit)
    due_on = dt.date(2023, 6, 30)
