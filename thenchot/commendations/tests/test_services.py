"""Recording, correcting and deleting commendations: audited with before and after, guarded by
the version read, and refused for a person and a unit at once or for neither (nothing written)."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.audit.models import AuditEntry
from thenchot.commendations import services
from thenchot.commendations.models import Commendation
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError
from thenchot.org.models import Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 15)


def _lines(item: Commendation) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            model_label="commendations.commendation", object_id=str(item.pk)
        ).order_by("id")
    )


def test_it_records_a_commendation_of_a_person_with_its_audit_line(world, scope_of) -> None:
    item = services.commendation_create(
        scope=scope_of("lan"),
        staff=world.staff["an"],
        kind="certificate",
        decided_on=DAY,
        decision_number="12/QĐ-SNV",
        reason="Hoàn thành xuất sắc nhiệm vụ",
        innovation=True,
    )
    assert item.code == "KTH-2026-0001"
    assert (item.staff_id, item.unit_id, item.innovation) == (world.staff["an"].pk, None, True)
    [line] = _lines(item)
    assert line.action == "create"
    assert line.after["decision_number"] == "12/QĐ-SNV"
    assert line.after["innovation"] is True


def test_it_numbers_the_next_commendation_of_the_year(world, scope_of) -> None:
    scope = scope_of("quan")
    first = services.commendation_create(
        scope=scope, unit=world.snv, kind="emulation_flag", decided_on=DAY
    )
    second = services.commendation_create(scope=scope, unit=world.stc, kind="other", decided_on=DAY)
    assert (first.code, second.code) == ("KTH-2026-0001", "KTH-2026-0002")


@pytest.mark.parametrize("who", ["staff_and_unit", "neither"])
def test_it_refuses_both_or_neither_naming_the_values_and_writes_nothing(
    world, scope_of, who
) -> None:
    subjects = {"staff": world.staff["an"], "unit": world.snv} if who == "staff_and_unit" else {}
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        services.commendation_create(
            scope=scope_of("quan"), kind="certificate", decided_on=DAY, **subjects
        )
    message = str(caught.value.message)
    if who == "staff_and_unit":
        assert "not both" in message
        assert f"'{world.staff['an'].code}'" in message and "'SNV'" in message
        assert set(caught.value.field_errors) == {"staff", "unit"}
    else:
        assert "neither a staff member nor a unit" in message
    assert not Commendation.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_database_refuses_both_as_well(world) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Commendation.objects.create(
            code="X-1", staff=world.staff["an"], unit=world.snv, kind="other", decided_on=DAY
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Commendation.objects.create(code="X-2", kind="other", decided_on=DAY)


def test_it_refuses_an_unknown_form_and_a_future_decision(world, scope_of) -> None:
    with pytest.raises(DomainError, match="'plaque' is not a form of commendation"):
        services.commendation_create(
            scope=scope_of("quan"), unit=world.snv, kind="plaque", decided_on=DAY
        )
    future = dt.date.today() + dt.timedelta(days=3)
    with pytest.raises(DomainError, match=future.isoformat()):
        services.commendation_create(
            scope=scope_of("quan"), unit=world.snv, kind="other", decided_on=future
        )
    assert not Commendation.objects.exists()


def test_it_refuses_a_code_already_used(world, scope_of) -> None:
    services.commendation_create(
        scope=scope_of("quan"), code="05/QĐ-KT", unit=world.snv, kind="other", decided_on=DAY
    )
    with pytest.raises(DomainError, match="'05/QĐ-KT' already exists"):
        services.commendation_create(
            scope=scope_of("quan"), code="05/QĐ-KT", unit=world.stc, kind="other", decided_on=DAY
        )


def test_it_corrects_a_commendation_with_before_and_after(world, scope_of) -> None:
    scope = scope_of("lan")
    item = services.commendation_create(
        scope=scope, staff=world.staff["an"], kind="certificate", decided_on=DAY
    )
    services.commendation_update(
        scope=scope,
        commendation=item,
        expected_version=1,
        staff=world.staff["an"],
        kind="merit_certificate",
        decided_on=DAY,
        reason="Sáng kiến cải cách",
        innovation=True,
    )
    item.refresh_from_db()
    assert (item.kind, item.innovation, item.version) == ("merit_certificate", True, 2)
    line = _lines(item)[-1]
    assert line.action == "update"
    assert line.before["kind"] == "certificate" and line.after["kind"] == "merit_certificate"
    assert set(line.changed_fields) >= {"kind", "innovation", "reason"}


def test_a_stale_correction_is_refused(world, scope_of) -> None:
    scope = scope_of("lan")
    item = services.commendation_create(
        scope=scope, staff=world.staff["an"], kind="certificate", decided_on=DAY
    )
    values = {"staff": world.staff["an"], "kind": "other", "decided_on": DAY}
    services.commendation_update(scope=scope, commendation=item, expected_version=1, **values)
    with pytest.raises(ConcurrentUpdate):
        services.commendation_update(
            scope=scope, commendation=item, expected_version=1, **{**values, "reason": "x"}
        )
    item.refresh_from_db()
    assert item.reason == ""


def test_a_correction_to_both_subjects_is_refused_and_changes_nothing(world, scope_of) -> None:
    scope = scope_of("quan")
    item = services.commendation_create(scope=scope, unit=world.snv, kind="other", decided_on=DAY)
    with pytest.raises(DomainError, match="not both"):
        services.commendation_update(
            scope=scope,
            commendation=item,
            expected_version=1,
            staff=world.staff["an"],
            unit=world.snv,
            kind="other",
            decided_on=DAY,
        )
    item.refresh_from_db()
    assert (item.staff_id, item.version) == (None, 1)


def test_it_deletes_with_an_audit_line_keeping_the_values(world, scope_of) -> None:
    scope = scope_of("quan")
    item = services.commendation_create(scope=scope, unit=world.snv, kind="other", decided_on=DAY)
    pk = item.pk
    with pytest.raises(ConcurrentUpdate):
        services.commendation_delete(scope=scope, commendation=item, expected_version=7)
    services.commendation_delete(scope=scope, commendation=item, expected_version=1)
    assert not Commendation.objects.exists()
    line = AuditEntry.objects.filter(object_id=str(pk), action="delete").get()
    assert line.before["unit_id"] == Unit.objects.get(code="SNV").pk
