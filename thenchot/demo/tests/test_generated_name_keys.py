"""Generated staff carry their Vietnamese sort key (`Staff.name_key`), as a saved record would."""

from __future__ import annotations

import pytest

from thenchot.core.collation import name_sort_key
from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db


def test_it_writes_every_generated_persons_name_key(demo):
    rows = list(Staff.objects.values_list("full_name", "name_key"))
    assert len(rows) == demo.staff
    assert [key for _name, key in rows] == [name_sort_key(name) for name, _key in rows]
