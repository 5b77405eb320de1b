"""Test helpers of org: units placed in the dated tree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from thenchot.org.models import Unit, UnitLink
from thenchot.org.tree import invalidate

# The day the test organisation begins: every factory-made unit and staff member exists from it.
EPOCH = dt.date(2020, 1, 1)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    kind = "department"
    valid_from = EPOCH

    @factory.post_generation
    def parent(self, create: bool, extracted: Unit | None, **kwargs: Any) -> None:
        from thenchot.core.text import fold

        self.search_text = f"{fold(self.name)} {fold(self.code)}"
        self.save(update_fields=["search_text"])
        if extracted is not None:
            UnitLink.objects.create(
                unit=self, parent=extracted, valid_from=self.valid_from, valid_to=self.valid_to
            )
        invalidate()
