"""An export imported into an empty database exports again to the same file; a second import
of the same file changes nothing."""

from __future__ import annotations

import pytest
from django.db import connection

from thenchot.audit.models import AuditEntry
from thenchot.exchange.services import export_data
from thenchot.exchange.tests.conftest import AS_OF, run_import, sheet_values
from thenchot.org.models import Unit, UnitLink, UnitSuccession
from thenchot.people.models import Assignment, HeadAssignment, JobPosition, Staff


def _richer_world(world) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    old = Unit.objects.create(
        code="Q-BADINH",
        name="Quận Ba Đình",
        kind="district",
        valid_from=dt.date(2000, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    UnitLink.objects.create(unit=old, parent=world.city, valid_from=None, valid_to=old.valid_to)
    UnitSuccession.objects.create(
        predecessor=old, successor=world.ward, effective_on=dt.date(2025, 7, 1)
    )
    job = JobPosition.objects.create(
        code="VTVL-TC", name="Tổ chức cán bộ", rotation_subject=True, rotation_period_months=36
    )
    an = world.staff["an"]
    an.job_position = job
    an.position_title = "Chuyên viên"
    an.email = "an@hanoi.gov.vn"
    an.date_of_birth = dt.date(1990, 5, 17)
    an.save()
    from thenchot.org.tree import invalidate

    invalidate()


def _wipe() -> None:
    from thenchot.accounts.models import RoleGrant, User

    HeadAssignment.objects.all().delete()
    Assignment.objects.all().delete()
    Staff.objects.all().delete()
    JobPosition.objects.all().delete()
    RoleGrant.objects.all().delete()
    User.objects.all().delete()
    UnitSuccession.objects.all().delete()
    UnitLink.objects.all().delete()
    Unit.objects.all().delete()
    from thenchot.org.tree import invalidate

    invalidate()


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_it_round_trips_an_export_through_an_empty_database(world, fmt) -> None:  # type: ignore[no-untyped-def]
    _richer_world(world)
    first = export_data(fmt=fmt, as_of=AS_OF)
    _wipe()
    assert Staff.objects.count() == 0
    result = run_import(first, filename=f"export.{fmt}")
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["staff"].created == 7
    second = export_data(fmt=fmt, as_of=AS_OF)
    if fmt == "json":
        assert second == first
        assert second.endswith(b"\n")
        assert '"Quận Ba Đình"'.encode() in second  # no \u escapes
    else:
        assert sheet_values(second) == sheet_values(first)
        assert sheet_values(first)["staff"][0][0] == "code"


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_it_changes_nothing_on_a_second_import(world, fmt) -> None:  # type: ignore[no-untyped-def]
    _richer_world(world)
    data = export_data(fmt=fmt, as_of=AS_OF)
    audit_before = AuditEntry.objects.count()
    result = run_import(data, filename=f"again.{fmt}")
    assert result.ok, [str(p) for p in result.problems]
    for key, counts in result.counts.items():
        assert (counts.created, counts.updated) == (0, 0), key
    assert result.counts["staff"].unchanged == 7
    assert result.counts["units"].unchanged == 8
    assert AuditEntry.objects.count() == audit_before


def test_it_exports_every_documented_field_with_null_when_empty(world) -> None:  # type: ignore[no-untyped-def]
    import json

    doc = json.loads(export_data(fmt="json", as_of=AS_OF, sections=["units", "staff"]))
    assert list(doc)[:2] == ["format", "as_of"]
    assert doc["as_of"] == AS_OF.isoformat()
    hn = next(u for u in doc["units"] if u["code"] == "HN")
    assert hn["parent"] is None and hn["successors"] == [] and hn["valid_to"] is None
    assert list(hn) == sorted(hn)
    assert [u["code"] for u in doc["units"]] == sorted(u["code"] for u in doc["units"])
    minh = next(s for s in doc["staff"] if s["username"] == "minh")
    assert minh["is_head"] is True and minh["unit"] == "STC" and minh["job_position"] is None
    assert len(minh) == 15  # the 15 fields of the spec, left_on included
    assert connection.vendor in {"sqlite", "postgresql"}
