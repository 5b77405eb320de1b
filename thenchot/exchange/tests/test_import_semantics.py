"""What an import does to history: moves, headships, parent links, successions, accounts,
and the audit trail."""

from __future__ import annotations

import datetime as dt

from thenchot.accounts.models import User
from thenchot.audit.models import AuditEntry
from thenchot.exchange.tests.conftest import AS_OF, json_file, messages, run_import
from thenchot.org.models import Unit, UnitLink, UnitSuccession
from thenchot.org.tree import tree
from thenchot.people.models import Assignment, HeadAssignment, Staff

DAY_BEFORE = AS_OF - dt.timedelta(days=1)


def _staff_row(staff: Staff, **changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "code": staff.code,
        "full_name": staff.full_name,
        "category": staff.category,
        "unit": staff.unit.code,
    }
    row.update(changes)
    return row


def test_it_moves_a_person_from_as_of_and_keeps_the_history(world) -> None:  # type: ignore[no-untyped-def]
    an = world.staff["an"]
    result = run_import(json_file(staff=[_staff_row(an, unit="SNV-CC")]), filename="moves.json")
    assert result.ok, messages(result)
    assert result.counts["staff"].updated == 1
    an.refresh_from_db()
    assert an.unit == world.snv_cc
    history = list(Assignment.objects.filter(staff=an).order_by("valid_from"))
    assert [(a.unit.code, a.valid_to) for a in history] == [
        ("SNV-TC", DAY_BEFORE),
        ("SNV-CC", None),
    ]
    assert history[1].valid_from == AS_OF
    entries = AuditEntry.objects.filter(source="import", reason="moves.json")
    assert {e.model_label for e in entries} == {"people.staff", "people.assignment"}
    assert all(e.actor is None for e in entries)


def test_it_derives_headships_from_is_head(world) -> None:  # type: ignore[no-untyped-def]
    an, minh = world.staff["an"], world.staff["minh"]
    rows = [
        _staff_row(an, is_head=True, in_position_since="2025-09-01"),
        _staff_row(minh, is_head=False),
    ]
    result = run_import(json_file(staff=rows))
    assert result.ok, messages(result)
    new = HeadAssignment.objects.get(staff=an)
    assert (new.unit, new.role, new.valid_from, new.valid_to) == (
        world.snv_tc,
        "head",
        dt.date(2025, 9, 1),
        None,
    )
    # Hoa was head of SNV-TC: her term ends the day before An's begins (`people.rules`, as
    # `head_assign` does), so the unit never has two heads on one date.
    hoa_head = HeadAssignment.objects.get(staff=world.staff["hoa"])
    assert hoa_head.valid_to == dt.date(2025, 8, 31)
    assert HeadAssignment.objects.get(staff=minh).valid_to == DAY_BEFORE


def test_it_moves_a_unit_to_a_new_parent_with_dated_links(world) -> None:  # type: ignore[no-untyped-def]
    row = {"code": "SNV-CC", "name": "Phòng Công chức", "kind": "division", "parent": "STC"}
    result = run_import(json_file(units=[row]))
    assert result.ok, messages(result)
    assert result.counts["units"].updated == 1
    links = list(UnitLink.objects.filter(unit=world.snv_cc).order_by("valid_from"))
    assert [(ln.parent.code, ln.valid_from, ln.valid_to) for ln in links] == [
        ("SNV", world.snv_cc.valid_from, DAY_BEFORE),
        ("STC", AS_OF, None),
    ]
    snap = tree()
    assert snap.parent_on(world.snv_cc.pk, AS_OF) == world.stc.pk
    assert snap.parent_on(world.snv_cc.pk, DAY_BEFORE) == world.snv.pk


def test_it_creates_units_with_links_and_successions(world) -> None:  # type: ignore[no-untyped-def]
    units = [
        {
            "code": "Q-HK",
            "name": "Quận Hoàn Kiếm",
            "kind": "district",
            "parent": "HN",
            "valid_to": "2025-06-30",
            "successors": ["P-HK", "P-BADINH"],
        },
        {
            "code": "P-HK",
            "name": "Phường Hoàn Kiếm",
            "kind": "ward",
            "parent": "HN",
            "valid_from": "2025-07-01",
        },
    ]
    result = run_import(json_file(units=units))
    assert result.ok, messages(result)
    assert result.counts["units"].created == 2
    q_hk = Unit.objects.get(code="Q-HK")
    link = UnitLink.objects.get(unit=q_hk)
    assert (link.parent.code, link.valid_from, link.valid_to) == ("HN", None, dt.date(2025, 6, 30))
    succ = {
        s.successor.code: s.effective_on for s in UnitSuccession.objects.filter(predecessor=q_hk)
    }
    # The successor's first day, else the day after the predecessor's last.
    assert succ == {"P-HK": dt.date(2025, 7, 1), "P-BADINH": dt.date(2020, 1, 1)}
    assert tree().by_code["P-HK"] == Unit.objects.get(code="P-HK").pk


def test_it_creates_accounts_without_a_usable_password(world) -> None:  # type: ignore[no-untyped-def]
    row = {
        "code": "CB9",
        "full_name": "Hoàng Thị Mai",
        "category": "public_employee",
        "unit": "SNV-TC",
        "username": "mai.ht",
        "email": "mai@hanoi.gov.vn",
    }
    result = run_import(json_file(staff=[row]))
    assert result.ok, messages(result)
    user = User.objects.get(username="mai.ht")
    assert not user.has_usable_password()
    assert user.email == "mai@hanoi.gov.vn"
    staff = Staff.objects.get(code="CB9")
    assert staff.user == user
    assert staff.search_text.startswith("hoang thi mai")
    assert Assignment.objects.get(staff=staff).valid_from is None  # since the unit began


def test_it_keeps_values_of_fields_the_file_leaves_out(world) -> None:  # type: ignore[no-untyped-def]
    an = world.staff["an"]
    an.position_title = "Chuyên viên"
    an.save()
    result = run_import(json_file(staff=[_staff_row(an, full_name="Nguyễn Văn Ân")]))
    assert result.ok, messages(result)
    an.refresh_from_db()
    assert (an.full_name, an.position_title, an.version) == ("Nguyễn Văn Ân", "Chuyên viên", 2)
    entry = AuditEntry.objects.get(model_label="people.staff", object_id=str(an.pk))
    assert entry.changed_fields == ["full_name"]


def test_it_writes_nothing_on_a_dry_run(world) -> None:  # type: ignore[no-untyped-def]
    before = (Staff.objects.count(), AuditEntry.objects.count())
    row = {"code": "CB9", "full_name": "Mai", "category": "cadre", "unit": "SNV"}
    result = run_import(json_file(staff=[row]), dry_run=True)
    assert result.ok and result.dry_run and not result.written
    assert result.counts["staff"].created == 1
    assert (Staff.objects.count(), AuditEntry.objects.count()) == before
