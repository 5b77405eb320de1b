"""The same change made through the services (which the pages and the API call) and through an
import leaves the same staff, assignments and headships, and audit lines with the same before
and after values: the import plans with the services' rules (`people.rules`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry
from thenchot.exchange.services import import_file
from thenchot.org.models import Unit
from thenchot.org.testing import EPOCH
from thenchot.people import services
from thenchot.people.models import Assignment, HeadAssignment, Staff

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 1)
TERM_START = dt.date(2025, 9, 1)
# Bookkeeping that differs between any two writes of the same thing.
NOISE = {"id", "created_at", "updated_at"}


def _import(world: Any, *rows: dict[str, Any]) -> None:
    data = {"format": "thenchot/1", "as_of": AS_OF.isoformat(), "staff": list(rows)}
    result = import_file(
        data=json.dumps(data).encode(),
        filename="parity.json",
        scope=compute_scope(world.user("quan")),
        actor=world.user("quan"),
    )
    assert result.ok, [str(p) for p in result.problems]


def _row(code: str, **changes: Any) -> dict[str, Any]:
    staff = Staff.objects.select_related("unit").get(code=code)
    row = {
        "code": staff.code,
        "full_name": staff.full_name,
        "category": staff.category,
        "unit": staff.unit.code,
    }
    row.update(changes)
    return row


def _state(since: int) -> dict[str, Any]:
    """Rows and audit lines written after audit entry `since`, with ids replaced by codes."""
    units = dict(Unit.objects.values_list("id", "code"))
    people = dict(Staff.objects.values_list("id", "code"))
    refs = {"unit_id": units, "staff_id": people}

    def plain(values: dict[str, Any] | None) -> str:
        if values is None:
            return "-"
        out = {k: refs[k].get(v, v) if k in refs else v for k, v in values.items()}
        return json.dumps(
            {k: v for k, v in out.items() if k not in NOISE}, sort_keys=True, default=str
        )

    staff = sorted(
        plain(row)
        for row in Staff.objects.values(*[f.attname for f in Staff._meta.concrete_fields])
    )
    assignments = sorted(
        (people[s], units[u], f, t, n)
        for s, u, f, t, n in Assignment.objects.values_list(
            "staff_id", "unit_id", "valid_from", "valid_to", "note"
        )
    )
    heads = sorted(
        (units[u], people[s], r, f, t)
        for u, s, r, f, t in HeadAssignment.objects.values_list(
            "unit_id", "staff_id", "role", "valid_from", "valid_to"
        )
    )
    lines = sorted(
        (e.model_label, e.action, plain(e.before), plain(e.after))
        for e in AuditEntry.objects.filter(id__gt=since)
    )
    return {"staff": staff, "assignments": assignments, "heads": heads, "audit": lines}


def _both(by_service: Callable[[], None], by_import: Callable[[], None]) -> list[dict[str, Any]]:
    since = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    states = []
    for path in (by_service, by_import):
        with transaction.atomic():
            path()
            states.append(_state(since))
            transaction.set_rollback(True)
    return states


def _fresh(code: str) -> Staff:
    return Staff.objects.get(code=code)


def test_it_creates_new_staff_alike(world) -> None:  # type: ignore[no-untyped-def]
    fields = {
        "position_title": "Chuyên viên",
        "joined_on": dt.date(2026, 2, 1),
        "email": "ha.dt@hanoi.gov.vn",
        "date_of_birth": dt.date(1990, 5, 17),
    }

    def by_service() -> None:
        services.staff_create(
            scope=compute_scope(world.user("quan")),
            code="CB900",
            full_name="Đặng Thu Hà",
            category="civil_servant",
            unit=world.snv_tc,
            **fields,
        )

    def by_import() -> None:
        row = {
            "code": "CB900",
            "full_name": "Đặng Thu Hà",
            "category": "civil_servant",
            "unit": "SNV-TC",
            **{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in fields.items()},
        }
        _import(world, row)

    service, imported = _both(by_service, by_import)
    assert service == imported
    assert ("CB900", "SNV-TC", dt.date(2026, 2, 1), None, "") in service["assignments"]
    assert [line[:2] for line in service["audit"]] == [
        ("people.assignment", "create"),
        ("people.staff", "create"),
    ]


def test_it_transfers_alike(world) -> None:  # type: ignore[no-untyped-def]
    code = world.staff["an"].code

    def by_service() -> None:
        an = _fresh(code)
        services.staff_transfer(
            scope=compute_scope(world.user("lan")),
            staff=an,
            unit=world.snv_cc,
            on=AS_OF,
            expected_version=an.version,
        )

    service, imported = _both(by_service, lambda: _import(world, _row(code, unit="SNV-CC")))
    assert service == imported
    mine = [a for a in service["assignments"] if a[0] == code]
    assert mine == [
        (code, "SNV-CC", AS_OF, None, ""),
        (code, "SNV-TC", world.staff["an"].joined_on, AS_OF - dt.timedelta(days=1), ""),
    ]


def test_the_api_transfer_matches_the_import(world, api_for) -> None:  # type: ignore[no-untyped-def]
    code = world.staff["an"].code

    def by_api() -> None:
        body = {"unit": "SNV-CC", "on": AS_OF.isoformat(), "version": _fresh(code).version}
        response = api_for("lan").post(f"/api/v1/staff/{code}/transfer/", body, format="json")
        assert response.status_code == 200, response.content

    api, imported = _both(by_api, lambda: _import(world, _row(code, unit="SNV-CC")))
    assert api == imported


def test_a_new_head_ends_the_previous_heads_term_alike(world) -> None:  # type: ignore[no-untyped-def]
    code = world.staff["an"].code

    def by_service() -> None:
        scope = compute_scope(world.user("quan"))
        an = _fresh(code)
        services.staff_update(
            scope=scope,
            staff=an,
            expected_version=an.version,
            data={"in_position_since": TERM_START},
        )
        services.head_assign(
            scope=scope, unit=world.snv_tc, staff=an, role="head", valid_from=TERM_START
        )

    def by_import() -> None:
        _import(world, _row(code, is_head=True, in_position_since=TERM_START.isoformat()))

    service, imported = _both(by_service, by_import)
    assert service == imported
    hoa = world.staff["hoa"].code
    # Hoa's term ends the day before An's begins: the unit never has two heads on a date.
    assert [h for h in service["heads"] if h[0] == "SNV-TC"] == [
        ("SNV-TC", hoa, "head", EPOCH, dt.date(2025, 8, 31)),
        ("SNV-TC", code, "head", TERM_START, None),
    ]


def test_a_deputy_is_left_alone_by_a_change_of_head_alike(world) -> None:  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("quan"))
    deputy = services.staff_create(
        scope=scope,
        code="CB901",
        full_name="Hoàng Minh Phó",
        category="civil_servant",
        unit=world.snv_tc,
        joined_on=dt.date(2020, 1, 1),
    )
    services.head_assign(
        scope=scope, unit=world.snv_tc, staff=deputy, role="deputy", valid_from=dt.date(2024, 1, 1)
    )
    code = world.staff["an"].code

    def by_service() -> None:
        services.head_assign(
            scope=compute_scope(world.user("quan")),
            unit=world.snv_tc,
            staff=_fresh(code),
            role="head",
            valid_from=AS_OF,
        )

    def by_import() -> None:
        # The deputy's row says she is not head: that ends no deputyship.
        _import(world, _row(code, is_head=True), _row("CB901", is_head=False))

    service, imported = _both(by_service, by_import)
    assert service == imported
    assert ("SNV-TC", "CB901", "deputy", dt.date(2024, 1, 1), None) in service["heads"]
    assert ("SNV-TC", code, "head", AS_OF, None) in service["heads"]
