"""Staff writes: transfers keep history, scope is re-checked, stale edits are refused."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.people import services
from thenchot.people.models import Staff
from thenchot.people.selectors import staff_queryset

pytestmark = pytest.mark.django_db


def test_it_transfers_within_scope_and_keeps_history(world):
    an = world.staff["an"]
    scope = compute_scope(world.user("lan"))
    on = dt.date(2026, 2, 1)
    services.staff_transfer(
        scope=scope, staff=an, unit=world.snv_cc, on=on, expected_version=an.version
    )
    history = list(an.assignments.order_by("valid_from").values_list("unit__code", "valid_to"))
    assert history == [("SNV-TC", dt.date(2026, 1, 31)), ("SNV-CC", None)]
    assert Staff.objects.get(pk=an.pk).unit_id == world.snv_cc.pk
    assert AuditEntry.objects.filter(model_label="people.staff", object_id=str(an.pk)).exists()


def test_it_refuses_to_move_a_record_out_of_the_writers_scope(world):
    an = world.staff["an"]
    scope = compute_scope(world.user("lan"))
    with pytest.raises(OutOfScope):
        services.staff_transfer(
            scope=scope,
            staff=an,
            unit=world.stc,
            on=dt.date(2026, 2, 1),
            expected_version=an.version,
        )
    assert Staff.objects.get(pk=an.pk).unit_id == world.snv_tc.pk
    assert an.assignments.count() == 1


def test_it_refuses_a_unit_that_did_not_exist_on_the_date(world):
    an = world.staff["an"]
    scope = compute_scope(world.user("quan"))
    world.snv_cc.valid_from = dt.date(2027, 1, 1)
    world.snv_cc.save()
    with pytest.raises(DomainError):
        services.staff_transfer(
            scope=scope,
            staff=an,
            unit=world.snv_cc,
            on=dt.date(2026, 2, 1),
            expected_version=an.version,
        )


def test_it_refuses_a_stale_edit(world):
    scope = compute_scope(world.user("lan"))
    an = world.staff["an"]
    services.staff_update(
        scope=scope,
        staff=Staff.objects.get(pk=an.pk),
        expected_version=an.version,
        data={"position_title": "Chuyên viên chính"},
    )
    with pytest.raises(ConcurrentUpdate):
        services.staff_update(
            scope=scope,
            staff=an,
            expected_version=an.version,
            data={"position_title": "Chuyên viên"},
        )
    assert Staff.objects.get(pk=an.pk).position_title == "Chuyên viên chính"


def test_it_derives_is_head_from_dated_headships(world):
    """rules.md: org-history.is-head."""
    scope = compute_scope(world.user("hung"))
    rows = dict(staff_queryset(scope).values_list("code", "is_head"))
    assert rows[world.staff["minh"].code] is True
    assert rows[world.staff["an"].code] is False
    past = dict(staff_queryset(scope, on=dt.date(2019, 1, 1)).values_list("code", "is_head"))
    assert past[world.staff["minh"].code] is False


def test_it_finds_names_without_diacritics(world):
    scope = compute_scope(world.user("hung"))
    from thenchot.people.selectors import staff_search_q

    found = list(staff_queryset(scope).filter(staff_search_q("nguyen van an")))
    assert found == [world.staff["an"]]
    assert list(staff_queryset(scope).filter(staff_search_q("DO THANH binh"))) == [
        world.staff["binh"]
    ]
