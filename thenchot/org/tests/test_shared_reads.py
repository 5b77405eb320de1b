"""The reads of the tree other apps share: the days the tree changes, who may write to a unit's
records, and an export narrowed to a unit's subtree."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.core.errors import DomainError
from thenchot.core.interchange import ExportRequest
from thenchot.org.models import Unit
from thenchot.org.selectors import in_exported_unit, may_write_unit
from thenchot.org.testing import EPOCH, UnitFactory
from thenchot.org.tree import tree

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 10)
ANYWHERE = ("admin",)
IN_SUBTREE = ("personnel", "unit_head")


def test_change_days_are_every_start_and_the_day_after_every_end(world):
    UnitFactory.create(
        code="OLD", parent=world.snv, valid_from=dt.date(2022, 3, 1), valid_to=dt.date(2024, 6, 30)
    )
    days = tree().change_days()
    assert days == sorted(set(days))
    # The unit and its link start on 1 March 2022 and end on 30 June 2024: the tree changes
    # on the first day and on the day after the last.
    assert set(days) == {EPOCH, dt.date(2022, 3, 1), dt.date(2024, 7, 1)}


@pytest.mark.parametrize(
    ("persona", "unit", "expected"),
    [
        ("quan", "stc", True),  # admin: anywhere
        ("lan", "snv_tc", True),  # personnel of SNV: its subtree
        ("lan", "stc", False),  # ... not a sibling department
        ("minh", "stc_ns", True),  # head of STC: its subtree
        ("hoa", "snv_tc", False),  # division manager: not a writing role here
        ("an", "snv_tc", False),  # no role
        ("hung", "snv", False),  # city leadership: not in either list
    ],
)
def test_who_may_write_to_a_units_records(world, persona, unit, expected):
    scope = compute_scope(world.user(persona), TODAY)
    unit_id = getattr(world, unit).pk
    assert may_write_unit(scope, unit_id, anywhere=ANYWHERE, in_subtree=IN_SUBTREE) is expected


def test_nobody_writes_to_an_ended_unit_or_anonymously(world):
    ended = UnitFactory.create(code="GONE", parent=world.snv, valid_to=dt.date(2025, 12, 31))
    admin = compute_scope(world.user("quan"), TODAY)
    assert not may_write_unit(admin, ended.pk, anywhere=ANYWHERE, in_subtree=IN_SUBTREE)
    assert not may_write_unit(admin, 999_999, anywhere=ANYWHERE, in_subtree=IN_SUBTREE)
    nobody = compute_scope(None, TODAY)
    assert not may_write_unit(nobody, world.snv.pk, anywhere=ANYWHERE, in_subtree=IN_SUBTREE)


def test_an_export_is_narrowed_to_the_named_units_subtree(world):
    request = ExportRequest(as_of=TODAY, unit_code="SNV")
    codes = set(in_exported_unit(Unit.objects.all(), request, "id").values_list("code", flat=True))
    assert codes == {"SNV", "SNV-TC", "SNV-CC"}
    everything = ExportRequest(as_of=TODAY)
    assert in_exported_unit(Unit.objects.all(), everything, "id").count() == Unit.objects.count()


def test_an_export_naming_an_unknown_unit_is_refused(world):
    request = ExportRequest(as_of=TODAY, params={"unit": "NOPE"})
    with pytest.raises(DomainError, match="unknown unit code 'NOPE'"):
        in_exported_unit(Unit.objects.all(), request, "id")
