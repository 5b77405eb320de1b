"""`core.id_sets.rows_for`: the rows of some ids, whether the ids go with the query or the
query is read whole beyond `WHOLE` ids and the rows kept in Python."""

from __future__ import annotations

import pytest

from thenchot.core import id_sets
from thenchot.people.models import Staff


@pytest.mark.parametrize("whole", [False, True])
def test_it_gives_the_rows_of_the_ids_and_no_other(world, monkeypatch, whole) -> None:  # type: ignore[no-untyped-def]
    if whole:
        monkeypatch.setattr(id_sets, "WHOLE", 0)
    everyone = list(Staff.objects.order_by("pk").values_list("pk", "unit_id"))
    assert len(everyone) > 3
    some = {pk for pk, _ in everyone[::2]}
    assert id_sets.is_whole(len(some)) is whole
    found = list(id_sets.rows_for(some, Staff.objects.order_by("pk"), "pk", "pk", "unit_id"))
    assert found == [row for row in everyone if row[0] in some]
    assert list(id_sets.rows_for(set(), Staff.objects.all(), "pk", "pk")) == []
