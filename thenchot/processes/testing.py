"""Factories for procedures (tests, the bench). They write rows directly (no service, no audit):
use them to arrange a situation, and the services to exercise a behaviour."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from thenchot.core.testing import CodeKeyedFactory
from thenchot.org.testing import UnitFactory
from thenchot.processes.models import Process, ProcessStep


class ProcessFactory(CodeKeyedFactory[Process]):
    class Meta:
        model = Process
        django_get_or_create = ("code", "number")  # a procedure is keyed by code and version

    code = factory.Sequence(lambda n: f"QT-{n:04d}")
    number = 1
    name = factory.Sequence(lambda n: f"Quy trình cấp giấy phép {n}")
    level = "department"
    owner_unit = factory.SubFactory(UnitFactory)
    approved_on = dt.date(2024, 1, 2)


def with_steps(process: Process, *steps: tuple[str, int] | tuple[str, int, Any, str]) -> Process:
    """Give `process` its steps ((name, days) or (name, days, unit, role)) and total limit."""
    for position, spec in enumerate(steps, start=1):
        unit = spec[2] if len(spec) > 2 else None
        role = spec[3] if len(spec) > 3 else ""
        ProcessStep.objects.create(
            process=process,
            position=position,
            name=spec[0],
            days=spec[1],
            responsible_unit=unit,
            responsible_role=role,
        )
    process.total_days = sum(s[1] for s in steps)
    process.save(update_fields=["total_days"])
    return process
