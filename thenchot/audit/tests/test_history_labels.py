"""The history page reads like the record's own page: names, labels and "—", never "#5",
"civil_servant" or "[]" (issue 11)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from thenchot.audit.views import entry_rows
from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db


def _rows(**after: object) -> dict[str, str]:
    entry = SimpleNamespace(before={}, after=after, changed_fields=None)
    return {row["name"]: row["after"] for row in entry_rows(Staff, entry)}


def test_it_names_a_referenced_record_instead_of_its_id(world):
    user = world.user("an")
    assert _rows(user_id=user.pk)["user_id"] == str(user)


def test_it_shows_an_empty_list_as_a_dash(world):
    assert _rows(tags=[])["tags"] == "—"
