"""The services and the import refuse the same changes to staff history, in the same words
(the import at its row and column), and correct a same-day move or headship alike."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry
from thenchot.exchange.services import import_file
from thenchot.people import rules, services
from thenchot.people.models import Assignment, HeadAssignment, Staff

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 1)
LATER = dt.date(2026, 5, 1)


def _import(*rows: dict[str, Any]) -> list[str]:
    data = {"format": "thenchot/1", "as_of": AS_OF.isoformat(), "staff": list(rows)}
    result = import_file(data=json.dumps(data).encode(), filename="rules.json")
    return [str(p) for p in result.problems]


def _row(staff: Staff, **changes: Any) -> dict[str, Any]:
    row = {
        "code": staff.code,
        "full_name": staff.full_name,
        "category": staff.category,
        "unit": staff.unit.code,
    }
    row.update(changes)
    return row


def _quan(world: Any) -> Any:
    return compute_scope(world.user("quan"))


def test_both_refuse_a_transfer_before_the_current_assignment_in_the_same_words(world) -> None:  # type: ignore[no-untyped-def]
    an = world.staff["an"]
    services.staff_transfer(
        scope=_quan(world), staff=an, unit=world.snv_cc, on=LATER, expected_version=an.version
    )
    an.refresh_from_db()
    clause = "the current assignment starts on 2026-05-01; a transfer must come after it"
    with pytest.raises(rules.Refused) as refused:
        services.staff_transfer(
            scope=_quan(world), staff=an, unit=world.snv_tc, on=AS_OF, expected_version=an.version
        )
    assert refused.value.clause == clause
    # The file says An is in SNV-TC on AS_OF, which he was: no move, nothing refused.
    assert _import(_row(an, unit="SNV-TC")) == []
    # Another unit on AS_OF would rewrite the history after the move.
    problems = _import(_row(an, unit="STC"))
    assert problems == [
        "staff[0].unit: the person was in unit 'SNV-TC' on 2026-03-01 and has moved since;"
        " history before the last move cannot be rewritten here"
    ]


def test_the_import_refuses_a_move_before_an_open_assignment_that_starts_later(world) -> None:  # type: ignore[no-untyped-def]
    an = world.staff["an"]
    # History with a gap: An's open assignment starts after AS_OF, no assignment covers it.
    Assignment.objects.filter(staff=an).update(valid_from=LATER)
    assert _import(_row(an, unit="SNV-CC")) == [
        "staff[0].unit: the current assignment starts on 2026-05-01; a transfer must come after it"
    ]
    assert Assignment.objects.get(staff=an).unit == world.snv_tc


def test_both_correct_a_transfer_made_the_same_day(world) -> None:  # type: ignore[no-untyped-def]
    an, binh = world.staff["an"], world.staff["binh"]
    for person in (an, binh):
        services.staff_transfer(
            scope=_quan(world),
            staff=person,
            unit=world.snv_cc,
            on=AS_OF,
            expected_version=person.version,
        )
    an.refresh_from_db()
    services.staff_transfer(
        scope=_quan(world), staff=an, unit=world.stc, on=AS_OF, expected_version=an.version
    )
    binh.refresh_from_db()
    assert _import(_row(binh, unit="STC")) == []
    for person in (an, binh):
        history = list(
            Assignment.objects.filter(staff=person)
            .order_by("valid_from")
            .values_list("unit__code", "valid_to")
        )
        assert history[-1] == ("STC", None)
        assert ("SNV-CC", None) not in history
        assert AuditEntry.objects.filter(
            model_label="people.assignment", action="delete", before__staff_id=person.pk
        ).exists()


def test_both_refuse_a_new_head_before_the_current_heads_term(world) -> None:  # type: ignore[no-untyped-def]
    an = world.staff["an"]
    HeadAssignment.objects.filter(staff=world.staff["hoa"]).update(valid_from=LATER)
    clause = "the current head's term starts on 2026-05-01; a new head must come after it"
    with pytest.raises(rules.Refused) as refused:
        services.head_assign(
            scope=_quan(world), unit=world.snv_tc, staff=an, role="head", valid_from=AS_OF
        )
    assert refused.value.clause == clause
    assert refused.value.field_errors == {"valid_from": [refused.value.message]}
    assert _import(_row(an, is_head=True)) == [f"staff[0].is_head: {clause}"]
    assert HeadAssignment.objects.filter(unit=world.snv_tc, role="head").count() == 1


def test_both_end_a_head_term_with_a_planned_end_after_the_new_head_starts(world) -> None:  # type: ignore[no-untyped-def]
    planned_end = dt.date(2026, 12, 31)
    HeadAssignment.objects.filter(staff=world.staff["hoa"]).update(valid_to=planned_end)
    services.head_assign(
        scope=_quan(world),
        unit=world.snv_tc,
        staff=world.staff["an"],
        role="head",
        valid_from=AS_OF,
    )
    assert HeadAssignment.objects.get(staff=world.staff["hoa"]).valid_to == dt.date(2026, 2, 28)
    # A deputy is no head: naming one leaves the head's term as it is.
    services.head_assign(
        scope=_quan(world),
        unit=world.snv_tc,
        staff=world.staff["lan"],
        role="deputy",
        valid_from=dt.date(2026, 4, 1),
    )
    assert HeadAssignment.objects.get(staff=world.staff["an"]).valid_to is None


def test_both_refuse_a_unit_that_did_not_exist_in_the_same_words(world) -> None:  # type: ignore[no-untyped-def]
    # A unit created later (an ended one is refused earlier, by the writer's scope).
    world.snv_cc.valid_from = dt.date(2026, 6, 1)
    world.snv_cc.save()
    an = world.staff["an"]
    with pytest.raises(rules.Refused) as refused:
        services.staff_transfer(
            scope=_quan(world), staff=an, unit=world.snv_cc, on=AS_OF, expected_version=an.version
        )
    clause = "unit 'SNV-CC' did not exist on 2026-03-01"
    assert refused.value.clause == clause
    assert str(refused.value.message) == "Unit 'SNV-CC' did not exist on 2026-03-01"
    assert _import(_row(an, unit="SNV-CC")) == [f"staff[0].unit: {clause}"]
    with pytest.raises(rules.Refused):
        services.head_assign(
            scope=_quan(world), unit=world.snv_cc, staff=an, role="deputy", valid_from=AS_OF
        )
