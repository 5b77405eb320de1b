"""A bulk write's audit lines tell the `bulk_written` receivers which models they named, so
that caches of figures drop what an import or a close changed."""

from __future__ import annotations

import pytest

from thenchot.core import bulk
from thenchot.core.changes import CREATE
from thenchot.core.registry import bulk_written
from thenchot.org.models import Unit

pytestmark = pytest.mark.django_db


def test_it_names_the_models_of_the_batch(world) -> None:  # type: ignore[no-untyped-def]
    heard: list[frozenset[str]] = []
    bulk_written.register("probe", heard.append)
    try:
        unit = Unit.objects.get(code="SNV")
        bulk.write_audit([bulk.Change(unit, CREATE, None, {"code": "SNV"})])
        bulk.write_audit([])
    finally:
        bulk_written.unregister("probe")
    assert heard == [frozenset({"org.unit"})]
