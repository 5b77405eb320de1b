"""The due list: who has reached the period (or will within N months), who is exempt and who is
postponed — with the reason and dates taken from the records that already say so."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.discipline.models import DisciplineCase
from thenchot.people.models import Child, Leave, Staff
from thenchot.people.testing import StaffFactory
from thenchot.rotation.models import Postponement
from thenchot.rotation.selectors import due_list
from thenchot.rotation.tests.conftest import ON

pytestmark = pytest.mark.django_db


def _line(world, on=ON, within=0):  # type: ignore[no-untyped-def]
    lines = due_list(scope=None, unit_id=world.city.pk, on=on, within_months=within)
    return {ln.code: ln for ln in lines}


def test_it_lists_a_non_leader_who_reached_the_period(world, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.period."""
    lines = _line(world)
    assert set(lines) == {"P005"}  # hoa (P004) is a leader: cadre rotation, not this list
    line = lines["P005"]
    assert (line.status, line.due_on, line.entry.months_in_position) == (
        "due",
        dt.date(2025, 1, 1),
        38,
    )


def test_it_lists_who_is_due_within_n_months(world, listed) -> None:  # type: ignore[no-untyped-def]
    early = dt.date(2024, 9, 1)
    assert _line(world, on=early, within=3) == {}
    assert _line(world, on=early, within=4)["P005"].status == "upcoming"


def test_it_exempts_under_18_months_to_retirement(world, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.exempt."""
    Staff.objects.filter(code="P005").update(retirement_on=dt.date(2026, 8, 1))
    assert _line(world)["P005"].status == "exempt"
    Staff.objects.filter(code="P005").update(retirement_on=dt.date(2026, 9, 2))
    assert _line(world)["P005"].status == "due"


def test_it_postpones_while_a_discipline_case_is_open(world, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.postponed."""
    DisciplineCase.objects.create(
        code="KL-1", staff=world.staff["an"], detected_on=dt.date(2025, 2, 1), summary="x"
    )
    line = _line(world)["P005"]
    assert line.status == "postponed"
    assert [(r["reason"], r["from"], r["source"]) for r in line.reasons] == [
        ("disciplinary_review", dt.date(2025, 2, 1), "KL-1")
    ]


@pytest.mark.parametrize(
    ("kind", "start", "end", "postponed"),
    [
        ("sick", dt.date(2025, 2, 1), dt.date(2025, 5, 1), True),
        ("secondment", dt.date(2024, 1, 1), dt.date(2026, 1, 1), True),
        ("study", dt.date(2024, 9, 1), dt.date(2025, 8, 31), True),
        ("study", dt.date(2025, 1, 1), dt.date(2025, 6, 30), False),  # under 12 months
        ("unpaid", dt.date(2025, 1, 1), dt.date(2025, 6, 30), False),
        ("sick", dt.date(2024, 1, 1), dt.date(2024, 2, 1), False),  # over before the day
    ],
)
def test_it_postpones_for_the_leaves_the_law_names(
    world, listed, kind, start, end, postponed
) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.postponed."""
    Leave.objects.create(
        code="L1", staff=world.staff["an"], kind=kind, date_from=start, date_to=end
    )
    line = _line(world)["P005"]
    assert (line.status == "postponed") == postponed


def test_it_postpones_a_mother_of_a_child_under_36_months(world, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.postponed."""
    an = world.staff["an"]
    Child.objects.create(staff=an, born_on=dt.date(2023, 6, 1))
    assert _line(world)["P005"].status == "due"  # nothing says An bore or solely raises the child
    Leave.objects.create(
        code="TS",
        staff=an,
        kind="maternity",
        date_from=dt.date(2023, 5, 1),
        date_to=dt.date(2023, 10, 31),
    )
    line = _line(world)["P005"]
    assert line.status == "postponed"
    assert line.reasons[0]["reason"] == "young_child"
    assert line.reasons[0]["to"] == dt.date(2026, 5, 31)


def test_it_postpones_a_father_only_as_sole_carer(world, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.postponed."""
    Child.objects.create(staff=world.staff["an"], born_on=dt.date(2024, 6, 1), sole_carer=True)
    assert _line(world)["P005"].status == "postponed"
    Child.objects.update(born_on=dt.date(2022, 2, 1))  # 36 months reached before the day
    assert _line(world)["P005"].status == "due"


def test_it_postpones_for_a_recorded_inspection(world, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.postponed."""
    Postponement.objects.create(
        staff=world.staff["an"],
        reason="inspection",
        date_from=dt.date(2025, 2, 15),
        date_to=dt.date(2025, 4, 15),
    )
    assert _line(world)["P005"].reasons[0]["reason"] == "inspection"
    assert _line(world, on=dt.date(2025, 4, 16))["P005"].status == "due"


def test_it_keeps_to_the_unit_subtree_and_the_readers_discipline_scope(
    world, listed, scope_of
) -> None:  # type: ignore[no-untyped-def]
    StaffFactory(
        code="STC-9", unit=world.stc_ns, job_position=listed, in_position_since=dt.date(2020, 1, 1)
    )
    codes = lambda **kw: {ln.code for ln in due_list(on=ON, **kw)}  # noqa: E731
    assert codes(scope=None, unit_id=None) == {"P005", "STC-9"}
    assert codes(scope=None, unit_id=world.snv.pk) == {"P005"}
    assert codes(scope=scope_of("lan"), unit_id=None) == {"P005"}
    assert codes(scope=scope_of("minh"), unit_id=None) == {"STC-9"}
    assert codes(scope=scope_of("hoa"), unit_id=None) == set()
    assert codes(scope=scope_of("binh"), unit_id=None) == set()
