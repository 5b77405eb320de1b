"""Factories for commendations (tests, the bench). They write rows directly (no service, no
audit): use them to arrange a situation, and the services to exercise a behaviour."""

from __future__ import annotations

import datetime as dt

import factory

from thenchot.commendations.models import Commendation
from thenchot.core.testing import CodeKeyedFactory


class CommendationFactory(CodeKeyedFactory[Commendation]):
    class Meta:
        model = Commendation

    code = factory.Sequence(lambda n: f"KTH-T-{n:04d}")
    kind = "certificate"
    decision_number = factory.Sequence(lambda n: f"{n + 100}/QĐ-UBND")
    decided_on = dt.date(2026, 1, 15)
    reason = "Hoàn thành xuất sắc nhiệm vụ"
