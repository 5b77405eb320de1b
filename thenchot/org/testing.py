"""Test helpers of org: units placed in the dated tree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from thenchot.core.testing import CodeKeyedFactory
from thenchot.org.models import Unit, UnitLink
from thenchot.org.tree import invalidate

# The day the test organisation begins: every factory-made unit and staff member exists from it.
EPOCH = dt.date(2020, 1, 1)


def _link_to_parent(unit: Unit, create: bool, extracted: Unit | None, **kwargs: Any) -> None:
    """After a unit is made: its search text, and its link under `parent=` when given."""
    from thenchot.core.text import fold

    unit.search_text = f"{fold(unit.name)} {fold(unit.code)}"
    unit.save(update_fields=["search_text"])
    if extracted is not None:
        UnitLink.objects.create(
            unit=unit, parent=extracted, valid_from=unit.valid_from, valid_to=unit.valid_to
        )
    invalidate()


class UnitFactory(CodeKeyedFactory[Unit]):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = "department"
    valid_from = EPOCH

    parent = factory.PostGeneration(_link_to_parent)
