"""The ids a year close reserves for its new rows (`core.id_sets.reserve_ids`, the sequence looked
up once for all of them) are new, distinct, and never given again by the table's own inserts."""

from __future__ import annotations

import pytest
from django.db import connection

from thenchot.appraisal.models import EvaluationPeriod
from thenchot.core.id_sets import reserve_ids

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL sequence")
def test_it_reserves_new_distinct_ids_the_table_never_gives_again(world) -> None:  # type: ignore[no-untyped-def]
    from thenchot.appraisal.testing import open_period

    first = open_period(world, "2026-01")
    ids = reserve_ids(EvaluationPeriod, 500)
    assert len(ids) == len(set(ids)) == 500
    assert min(ids) > first.pk
    later = open_period(world, "2026-02")
    assert later.pk > max(ids)
    assert reserve_ids(EvaluationPeriod, 0) == []


@pytest.mark.skipif(connection.vendor == "postgresql", reason="elsewhere there is no sequence")
def test_it_refuses_without_a_sequence(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotImplementedError):
        reserve_ids(EvaluationPeriod, 3)
