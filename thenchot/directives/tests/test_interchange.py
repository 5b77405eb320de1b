"""The `documents` and `tasks` interchange sections: round trips through an empty database,
upserts that change nothing twice, extensions replaced with their task, bad rows (every error
with its place, nothing written), scope, and export limits."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from thenchot.audit.models import AuditEntry
from thenchot.directives.models import ExtensionRequest, SourceDocument, Task
from thenchot.directives.testing import DocumentFactory, ExtensionFactory, TaskFactory
from thenchot.exchange.services import export_data, import_file
from thenchot.exchange.tests.conftest import sheet_values, xlsx_file

AS_OF = dt.date(2026, 3, 1)
d = dt.date


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def _file(**sections: Any) -> bytes:
    return json.dumps({"format": "thenchot/1", "as_of": AS_OF.isoformat(), **sections}).encode()


def _messages(result: Any) -> list[str]:
    return [str(p) for p in result.problems]


def _task(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "code": "NV-1",
        "title": "Báo cáo kết quả rà soát thủ tục hành chính năm 2025",
        "document": "KL-1",
        "lead_unit": "SNV",
        "assigned_on": "2025-03-01",
        "deadline": "2025-03-31",
    }
    row.update(changes)
    return row


def _history(world) -> None:  # type: ignore[no-untyped-def]
    """Documents and tasks of every kind: open, completed on time and late, extended (in time
    and after the deadline), rejected, pending, with coordinators and assignees."""
    kl = DocumentFactory(code="KL-1", issuer=world.city, number="125/KL-UBND")
    ct = DocumentFactory(code="CT-2", kind="directive", issuer=world.stc, number="")
    t1 = TaskFactory(
        code="NV-1",
        title="Triển khai thực hiện Kết luận số 125/KL-UBND",
        document=kl,
        lead_unit=world.snv,
        assigner_unit=world.city,
        assignee=world.staff["an"],
        assigned_on=d(2025, 3, 1),
        deadline=d(2025, 3, 31),
        coordinating_units=[world.stc, world.ward],
        weight=Decimal("1.5"),
    )
    ExtensionFactory(
        task=t1,
        requested_on=d(2025, 3, 25),
        new_deadline=d(2025, 4, 15),
        status="approved",
        decided_on=d(2025, 3, 27),
    )
    ExtensionFactory(  # after the first extension, requested late: the delay stays
        task=t1,
        requested_on=d(2025, 4, 20),
        previous_deadline=d(2025, 4, 15),
        new_deadline=d(2025, 5, 10),
        status="rejected",
        decided_on=d(2025, 4, 22),
        reason="",
    )
    ExtensionFactory(
        task=t1,
        requested_on=d(2025, 4, 25),
        previous_deadline=d(2025, 4, 15),
        new_deadline=d(2025, 5, 30),
        status="pending",
    )
    TaskFactory(
        code="NV-2",
        title="Báo cáo quyết toán ngân sách quý I",
        document=ct,
        lead_unit=world.stc_ns,
        assigner_unit=world.stc,
        assigned_on=d(2025, 4, 1),
        deadline=d(2025, 4, 20),
        completed_on=d(2025, 4, 25),
        quality="below",
        major_errors=2,
        progress=100,
    )
    TaskFactory(
        code="NV-3",
        title="Đẩy nhanh tiến độ giải phóng mặt bằng dự án đường Vành đai 4",
        lead_unit=world.ward,
        assigned_on=d(2025, 6, 1),
        deadline=d(2025, 9, 30),
        completed_on=d(2025, 9, 1),
        quality="exceeds",
    )


def _wipe_tasks() -> None:
    ExtensionRequest.objects.all().delete()
    Task.objects.all().delete()
    SourceDocument.objects.all().delete()


def _wipe_everything() -> None:
    from thenchot.accounts.models import RoleGrant, User
    from thenchot.org.models import Unit, UnitLink, UnitSuccession
    from thenchot.org.tree import invalidate
    from thenchot.people.models import Assignment, HeadAssignment, JobPosition, Staff

    _wipe_tasks()
    for model in (
        HeadAssignment,
        Assignment,
        Staff,
        JobPosition,
        RoleGrant,
        User,
        UnitSuccession,
        UnitLink,
        Unit,
    ):
        model.objects.all().delete()
    invalidate()


SECTIONS = ["units", "job_positions", "staff", "documents", "tasks"]


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_it_round_trips_through_an_empty_database(world, fmt) -> None:  # type: ignore[no-untyped-def]
    _history(world)
    first = export_data(fmt=fmt, sections=SECTIONS, as_of=AS_OF)
    _wipe_everything()
    result = import_file(data=first, filename=f"export.{fmt}")
    assert result.ok, _messages(result)
    assert (result.counts["documents"].created, result.counts["tasks"].created) == (2, 3)
    second = export_data(fmt=fmt, sections=SECTIONS, as_of=AS_OF)
    if fmt == "json":
        assert second == first
    else:
        sheets = sheet_values(second)
        assert sheets == sheet_values(first)
        assert sheets["extensions"][0] == (
            "task",
            "requested_on",
            "new_deadline",
            "reason",
            "status",
            "decided_on",
        )
        assert [row[0] for row in sheets["extensions"][1:]] == ["NV-1", "NV-1", "NV-1"]
        assert "extensions" not in sheets["tasks"][0]
    task = Task.objects.get(code="NV-1")
    assert task.search_text.startswith("nv-1 trien khai thuc hien ket luan")
    assert task.weight == Decimal("1.50")
    assert sorted(u.code for u in task.coordinating_units.all()) == ["P-BADINH", "STC"]
    assert list(task.extensions.values_list("previous_deadline", flat=True)) == [
        d(2025, 3, 31),
        d(2025, 4, 15),
        d(2025, 4, 15),
    ]
    assert Task.objects.get(code="NV-2").progress == 100


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_it_changes_nothing_on_a_second_import(world, fmt) -> None:  # type: ignore[no-untyped-def]
    _history(world)
    data = export_data(fmt=fmt, sections=["documents", "tasks"], as_of=AS_OF)
    audit_before = AuditEntry.objects.count()
    versions = dict(Task.objects.values_list("code", "version"))
    result = import_file(data=data, filename=f"again.{fmt}")
    assert result.ok, _messages(result)
    assert result.counts["tasks"].as_dict() == {"created": 0, "updated": 0, "unchanged": 3}
    assert result.counts["documents"].unchanged == 2
    assert AuditEntry.objects.count() == audit_before
    assert dict(Task.objects.values_list("code", "version")) == versions


def test_it_computes_the_deadline_in_force_for_each_extension(world) -> None:  # type: ignore[no-untyped-def]
    DocumentFactory(code="KL-1", issuer=world.city)
    extensions = [
        # listed out of order: they are taken in request order
        {"requested_on": "2025-04-20", "new_deadline": "2025-05-10", "status": "pending"},
        {
            "requested_on": "2025-03-25",
            "new_deadline": "2025-04-15",
            "reason": "Chờ ý kiến Sở Tài chính",
            "status": "approved",
            "decided_on": "2025-03-27",
        },
        {
            "requested_on": "2025-03-26",
            "new_deadline": "2025-04-05",
            "status": "rejected",
            "decided_on": "2025-03-28",
        },
    ]
    result = import_file(data=_file(tasks=[_task(extensions=extensions)]), filename="ext.json")
    assert result.ok, _messages(result)
    rows = list(
        ExtensionRequest.objects.order_by("requested_on").values_list(
            "requested_on", "previous_deadline", "status"
        )
    )
    assert rows == [
        (d(2025, 3, 25), d(2025, 3, 31), "approved"),
        # the approval of 27 March was not yet in force on 26 March
        (d(2025, 3, 26), d(2025, 3, 31), "rejected"),
        # requested after the extended deadline had passed: the delay stays on record
        (d(2025, 4, 20), d(2025, 4, 15), "pending"),
    ]
    task = Task.objects.get(code="NV-1")
    assert task.assigner_unit == world.city  # the document's issuer
    entries = AuditEntry.objects.filter(source="import", reason="ext.json")
    assert {e.model_label for e in entries} == {"directives.task", "directives.extensionrequest"}
    created = entries.get(model_label="directives.task")
    assert created.after["coordinating_units"] == [] and created.actor is None


def test_it_decides_a_stored_request_in_place(world) -> None:  # type: ignore[no-untyped-def]
    _history(world)
    doc = json.loads(export_data(fmt="json", sections=["tasks"], as_of=AS_OF))
    nv1 = next(t for t in doc["tasks"] if t["code"] == "NV-1")
    nv1["extensions"][2]["status"] = "approved"
    nv1["extensions"][2]["decided_on"] = "2025-04-28"
    old_ids = set(ExtensionRequest.objects.values_list("id", flat=True))
    result = import_file(data=json.dumps(doc).encode(), filename="decided.json")
    assert result.ok, _messages(result)
    assert result.counts["tasks"].as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
    extensions = ExtensionRequest.objects.filter(task__code="NV-1")
    # the decided request is the same row, as `extension_decide` leaves it
    assert set(extensions.values_list("id", flat=True)) == old_ids
    assert list(extensions.order_by("requested_on").values_list("status", flat=True)) == [
        "approved",
        "rejected",
        "approved",
    ]
    entries = AuditEntry.objects.filter(reason="decided.json")
    assert list(entries.values_list("action", "changed_fields")) == [
        ("update", ["decided_on", "status"])
    ]
    assert Task.objects.get(code="NV-1").version == 1  # the task row itself did not change


def test_it_keeps_what_the_file_leaves_out_and_updates_what_it_gives(world) -> None:  # type: ignore[no-untyped-def]
    _history(world)
    row = {
        "code": "NV-1",
        "title": "Triển khai thực hiện Kết luận số 125/KL-UBND (bổ sung)",
        "lead_unit": "SNV",
        "assigned_on": "2025-03-01",
        "deadline": "2025-03-31",
        "completed_on": "2025-05-02",
        "quality": "meets",
        "coordinating_units": ["STC"],
    }
    result = import_file(data=_file(tasks=[row]), filename="done.json")
    assert result.ok, _messages(result)
    task = Task.objects.get(code="NV-1")
    assert (task.completed_on, task.quality, task.progress, task.version) == (
        d(2025, 5, 2),
        "meets",
        100,
        2,
    )
    assert task.assignee == world.staff["an"] and task.document.code == "KL-1"
    assert task.extensions.count() == 3
    assert [u.code for u in task.coordinating_units.all()] == ["STC"]
    entry = AuditEntry.objects.get(reason="done.json", model_label="directives.task")
    assert set(entry.changed_fields) >= {"title", "completed_on", "quality", "coordinating_units"}
    assert task.search_text.endswith("(bo sung)")


def test_it_reports_every_bad_row_with_its_place_and_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    DocumentFactory(code="KL-1", issuer=world.city, issued_on=d(2025, 1, 6))
    tasks = [
        _task(code="NV-1", document="KL-404", lead_unit="SNV-P9", coordinating_units=["XX"]),
        _task(code="NV-2", deadline="2025-02-01", completed_on="2025-02-15"),
        _task(code="NV-3", assignee="P003"),  # Minh is in STC, not under SNV
        _task(code="NV-4", assignee="CB-404", assigner_unit="NOPE"),
        _task(
            code="NV-5",
            extensions=[
                {"requested_on": "2025-03-20", "new_deadline": "2025-03-31", "status": "maybe"},
                {"requested_on": "2025-03-21", "new_deadline": "2025-03-30", "status": "pending"},
                {
                    "requested_on": "2025-03-22",
                    "new_deadline": "2025-04-30",
                    "status": "pending",
                    "decided_on": "2025-03-23",
                },
            ],
        ),
        _task(code="NV-6", assigned_on="2024-12-01", quality="meets", weight=0, major_errors=-1),
        _task(code="NV-7", coordinating_units=["SNV"], extensions=[{"reason": "x"}]),
    ]
    documents = [{"code": "KL-2", "kind": "memo", "issued_on": "2025-01-01", "issuer": "XX"}]
    audit_before = AuditEntry.objects.count()
    result = import_file(data=_file(documents=documents, tasks=tasks), filename="bad.json")
    errors = _messages(result)
    expected = [
        "documents[0].kind: 'memo' is not one of: conclusion, directive, notice, plan, decision,"
        " other",
        "documents[0].title: required field is missing",
        "documents[0].issuer: unknown unit code 'XX'",
        "tasks[0].lead_unit: unknown unit code 'SNV-P9'",
        "tasks[0].coordinating_units: unknown unit code 'XX'",
        "tasks[0].document: unknown document code 'KL-404'",
        "tasks[1].deadline: '2025-02-01' is before the assigned date (2025-03-01)",
        "tasks[1].completed_on: '2025-02-15' is before the assigned date (2025-03-01)",
        "tasks[2].assignee: staff member 'P003' was not in unit 'SNV' or a unit under it on"
        " 2025-03-01",
        "tasks[3].assigner_unit: unknown unit code 'NOPE'",
        "tasks[3].assignee: unknown staff code 'CB-404'",
        "tasks[4].extensions[0].status: 'maybe' is not one of: pending, approved, rejected",
        "tasks[4].extensions[2].decided_on: a pending request has no decision date",
        "tasks[4].extensions[1].new_deadline: '2025-03-30' is not later than the deadline in"
        " force when it was requested (2025-03-31)",
        "tasks[4].extensions[2].status: a task has at most one pending request (the other at"
        " tasks[4].extensions[1])",
        "tasks[5].weight: the weight must be more than 0 and less than 10000, got '0'",
        "tasks[5].assigned_on: '2024-12-01' is before the document was issued (2025-01-06)",
        "tasks[5].quality: only a completed task has a quality mark (no completed_on)",
        "tasks[5].major_errors: major errors must be between 0 and 100, got '-1'",
        "tasks[6].extensions[0].requested_on: required field is missing",
        "tasks[6].extensions[0].new_deadline: required field is missing",
        "tasks[6].extensions[0].status: required field is missing",
        "tasks[6].coordinating_units: the lead unit 'SNV' cannot also coordinate",
    ]
    for message in expected:
        assert message in errors, (message, errors)
    assert len(errors) == len(expected)
    assert not Task.objects.exists() and not ExtensionRequest.objects.exists()
    assert SourceDocument.objects.count() == 1
    assert AuditEntry.objects.count() == audit_before


def test_it_refuses_an_extension_not_later_than_an_approved_one(world) -> None:  # type: ignore[no-untyped-def]
    DocumentFactory(code="KL-1", issuer=world.city)
    extensions = [
        {
            "requested_on": "2025-03-20",
            "new_deadline": "2025-04-30",
            "status": "approved",
            "decided_on": "2025-03-21",
        },
        {"requested_on": "2025-04-01", "new_deadline": "2025-04-20", "status": "pending"},
    ]
    result = import_file(data=_file(tasks=[_task(extensions=extensions)]), filename="x.json")
    assert _messages(result) == [
        "tasks[0].extensions[1].new_deadline: '2025-04-20' is not later than the deadline in"
        " force when it was requested (2025-04-30)"
    ]


def test_it_accepts_an_assignee_created_by_the_same_file(world) -> None:  # type: ignore[no-untyped-def]
    DocumentFactory(code="KL-1", issuer=world.city)
    units = [{"code": "SNV-X", "name": "Phòng mới", "kind": "division", "parent": "SNV"}]
    staff = [
        {
            "code": "CB-NEW",
            "full_name": "Đặng Thu Hà",
            "category": "civil_servant",
            "unit": "SNV-X",
            "joined_on": "2024-01-01",
        }
    ]
    ok = import_file(
        data=_file(units=units, staff=staff, tasks=[_task(assignee="CB-NEW")]), filename="new.json"
    )
    assert ok.ok, _messages(ok)
    assert Task.objects.get(code="NV-1").assignee.code == "CB-NEW"
    late = _task(
        code="NV-2",
        document=None,
        assignee="CB-NEW",
        assigned_on="2023-06-01",
        deadline="2023-07-01",
    )
    result = import_file(data=_file(tasks=[late]), filename="late.json")
    assert _messages(result) == [
        "tasks[0].assignee: staff member 'CB-NEW' was not in unit 'SNV' or a unit under it on"
        " 2023-06-01"
    ]


def test_it_names_sheet_row_and_column_in_a_workbook(world) -> None:  # type: ignore[no-untyped-def]
    DocumentFactory(code="KL-1", issuer=world.city)
    header = ["code", "title", "lead_unit", "assigned_on", "deadline", "weight"]
    data = xlsx_file(
        {
            "tasks": [
                header,
                ["NV-1", "Một", "SNV", d(2025, 3, 1), d(2025, 3, 31), 1.25],
                ["NV-2", "Hai", "SNV", d(2025, 3, 1), d(2025, 3, 31), "1,5"],
            ],
            "extensions": [
                ["task", "requested_on", "new_deadline", "status", "colour"],
                ["NV-1", d(2025, 3, 20), d(2025, 4, 30), "approved", None],
                ["NV-9", d(2025, 3, 20), d(2025, 4, 30), "approved", None],
                ["NV-1", d(2025, 4, 2), d(2025, 4, 10), "pending", None],
                [None, d(2025, 4, 2), d(2025, 4, 10), "pending", None],
            ],
        }
    )
    result = import_file(data=data, filename="bad.xlsx")
    assert _messages(result) == [
        "sheet extensions, row 1, column colour: unknown field 'colour'",
        "sheet extensions, row 5, column task: required field is missing",
        "sheet extensions, row 3, column task: 'NV-9' is not a code of sheet 'tasks'",
        "sheet tasks, row 3, column weight: '1,5' is not a number",
        # the approval without a decision date is in force from its request (20 March)
        "sheet extensions, row 4, column new_deadline: '2025-04-10' is not later than the"
        " deadline in force when it was requested (2025-04-30)",
    ]
    assert not Task.objects.exists()


def test_it_imports_a_workbook_with_extensions(world) -> None:  # type: ignore[no-untyped-def]
    DocumentFactory(code="KL-1", issuer=world.city)
    data = xlsx_file(
        {
            "extensions": [
                ["task", "requested_on", "new_deadline", "status", "decided_on"],
                ["NV-1", "2025-03-20", d(2025, 4, 30), "approved", d(2025, 3, 22)],
            ],
            "tasks": [
                ["code", "title", "lead_unit", "assigned_on", "deadline", "coordinating_units"],
                ["NV-1", "Một", "SNV", d(2025, 3, 1), d(2025, 3, 31), "STC; P-BADINH"],
                ["NV-2", "Hai", "STC", d(2025, 3, 1), d(2025, 3, 31), None],
            ],
        }
    )
    result = import_file(data=data, filename="ok.xlsx")
    assert result.ok, _messages(result)
    assert Task.objects.get(code="NV-1").extensions.get().new_deadline == d(2025, 4, 30)
    assert not Task.objects.get(code="NV-2").extensions.exists()
    assert Task.objects.get(code="NV-2").weight == Decimal(1)


def test_it_limits_an_import_to_what_the_user_may_write(world) -> None:  # type: ignore[no-untyped-def]
    from thenchot.accounts.scoping import compute_scope

    DocumentFactory(code="KL-1", issuer=world.city)
    lan = world.user("lan")  # personnel of SNV
    rows = [
        _task(code="NV-1", lead_unit="SNV-TC", assigner_unit="SNV", document=None),
        _task(code="NV-2", lead_unit="STC", assigner_unit="STC", document=None),
    ]
    result = import_file(
        data=_file(tasks=rows), filename="lan.json", scope=compute_scope(lan), actor=lan
    )
    assert _messages(result) == ["tasks[1].lead_unit: you may not change tasks of unit 'STC'"]
    assert not Task.objects.exists()
    result = import_file(
        data=_file(tasks=rows[:1]), filename="lan.json", scope=compute_scope(lan), actor=lan
    )
    assert result.ok, _messages(result)
    assert AuditEntry.objects.get(model_label="directives.task").actor == lan


def test_it_limits_an_export_to_a_subtree_and_a_date_range(world) -> None:  # type: ignore[no-untyped-def]
    _history(world)
    doc = json.loads(export_data(fmt="json", sections=["documents", "tasks"], unit_code="STC"))
    assert [t["code"] for t in doc["tasks"]] == ["NV-2"]  # led by STC-NS, under STC
    assert [x["code"] for x in doc["documents"]] == ["CT-2"]
    doc = json.loads(
        export_data(
            fmt="json",
            sections=["documents", "tasks"],
            date_from=d(2025, 3, 1),
            date_to=d(2025, 3, 31),
        )
    )
    assert [t["code"] for t in doc["tasks"]] == ["NV-1"]
    assert [x["code"] for x in doc["documents"]] == ["KL-1"]  # referenced by NV-1


def test_it_exports_only_the_tasks_a_user_may_read(world) -> None:  # type: ignore[no-untyped-def]
    from thenchot.accounts.scoping import Scope, compute_scope

    _history(world)
    hoa = json.loads(
        export_data(fmt="json", sections=["tasks"], scope=compute_scope(world.user("hoa")))
    )
    assert [t["code"] for t in hoa["tasks"]] == []  # SNV-TC leads, coordinates nothing
    an = json.loads(
        export_data(fmt="json", sections=["tasks"], scope=compute_scope(world.user("an")))
    )
    assert [t["code"] for t in an["tasks"]] == ["NV-1"]  # his own task
    nobody = json.loads(
        export_data(fmt="json", sections=["documents", "tasks"], scope=Scope(user_id=None))
    )
    assert (nobody["documents"], nobody["tasks"]) == ([], [])
