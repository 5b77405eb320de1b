"""The procedure registry: steps and limits, versions, retirement, attachments, counts, search.

Minh (head of STC) manages STC's procedures; Lan (personnel, SNV) cannot touch them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry as Entry
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.processes import selectors, services
from thenchot.processes.models import Process, ProcessDocument
from thenchot.processes.services import StepSpec
from thenchot.processes.testing import ProcessFactory, with_steps

TODAY = dt.date(2025, 3, 3)


def _scope(user):
    return compute_scope(user, TODAY)


def _create(world, user, *steps, code="QT-NEW"):
    return services.process_create(
        scope=_scope(user),
        by=user,
        code=code,
        name="Quy trình cấp phép",
        level="department",
        owner_unit=world.stc,
        approved_on=dt.date(2025, 1, 2),
        steps=list(steps),
    )


def test_it_registers_a_procedure_with_its_total_limit(world):
    minh = world.user("minh")
    process = _create(world, minh, StepSpec("Tiếp nhận", 2), StepSpec("Phê duyệt", 3))
    assert process.number == 1
    assert process.total_days == 5
    assert [s.days for s in process.steps.order_by("position")] == [2, 3]
    assert Entry.objects.filter(model_label="processes.process", object_id=str(process.pk)).exists()


@pytest.mark.parametrize("days", [0, -3])
def test_it_refuses_a_step_with_zero_or_negative_days(world, days):
    with pytest.raises(DomainError) as exc:
        _create(world, world.user("minh"), StepSpec("Tiếp nhận", 2), StepSpec("Phê duyệt", days))
    assert f"'{days}'" in str(exc.value.message)
    assert "Step 2" in str(exc.value.message)
    assert not Process.objects.filter(code="QT-NEW").exists()


def test_it_refuses_an_outsider(world):
    with pytest.raises(OutOfScope):
        _create(world, world.user("lan"), StepSpec("Tiếp nhận", 2))
    assert not Process.objects.filter(code="QT-NEW").exists()


def test_it_refuses_to_edit_a_retired_procedure(world, procedure):
    minh = world.user("minh")
    services.process_retire(
        scope=_scope(minh),
        by=minh,
        process=procedure,
        retired_on=dt.date(2025, 2, 1),
        expected_version=procedure.version,
    )
    procedure.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.process_update(
            scope=_scope(minh),
            by=minh,
            process=procedure,
            expected_version=procedure.version,
            name="Tên mới",
            level="department",
            approved_on=procedure.approved_on,
        )
    assert "01/02/2025" in str(exc.value.message)
    procedure.refresh_from_db()
    assert procedure.name != "Tên mới"


def test_it_keeps_cases_on_their_version_when_a_new_version_is_approved(world, procedure, officer):
    minh = world.user("minh")
    case = services.case_start(
        scope=_scope(officer), by=officer, process=procedure, received_on=dt.date(2025, 2, 10)
    )
    due = case.due_on
    v2 = services.process_new_version(
        scope=_scope(minh),
        by=minh,
        previous=procedure,
        approved_on=dt.date(2025, 3, 1),
        steps=[StepSpec("Một cửa", 10)],
    )
    procedure.refresh_from_db()
    case.refresh_from_db()
    assert v2.number == 2 and v2.total_days == 10
    assert procedure.retired_on == dt.date(2025, 3, 1)
    assert case.process_id == procedure.pk and case.due_on == due
    assert [s.step.process_id for s in case.steps.all()] == [procedure.pk, procedure.pk]


def test_it_refuses_to_change_the_steps_of_a_version_with_cases(world, procedure, officer):
    minh = world.user("minh")
    services.case_start(
        scope=_scope(officer), by=officer, process=procedure, received_on=dt.date(2025, 2, 10)
    )
    with pytest.raises(DomainError):
        services.process_update(
            scope=_scope(minh),
            by=minh,
            process=procedure,
            expected_version=procedure.version,
            name=procedure.name,
            level="department",
            approved_on=procedure.approved_on,
            steps=[StepSpec("Một bước", 1)],
        )
    assert procedure.steps.count() == 2


def test_it_counts_in_force_by_level_as_of_a_date(world):
    ProcessFactory.create(level="commune", approved_on=dt.date(2024, 1, 1))
    ProcessFactory.create(level="commune", approved_on=dt.date(2024, 6, 1))
    ProcessFactory.create(
        level="district", approved_on=dt.date(2024, 1, 1), retired_on=dt.date(2024, 5, 1)
    )
    early = selectors.counts_in_force(None, dt.date(2024, 3, 1))
    late = selectors.counts_in_force(None, dt.date(2024, 7, 1))
    assert early == {"department": 0, "district": 1, "commune": 1, "inter_level": 0}
    assert late == {"department": 0, "district": 0, "commune": 2, "inter_level": 0}


def test_it_counts_only_the_readers_units(world):
    ProcessFactory.create(owner_unit=world.stc, approved_on=dt.date(2024, 1, 1))
    lan = compute_scope(world.user("lan"), TODAY)
    assert selectors.counts_in_force(lan, TODAY)["department"] == 0
    minh = compute_scope(world.user("minh"), TODAY)
    assert selectors.counts_in_force(minh, TODAY)["department"] == 1


def test_it_searches_without_diacritics(world):
    ProcessFactory.create(code="QT-XD", name="Cấp giấy phép xây dựng")
    ProcessFactory.create(code="QT-DD", name="Đăng ký đất đai")
    found = selectors.filter_processes(Process.objects.all(), q="giay phep xay")
    assert [p.code for p in found] == ["QT-XD"]
    assert [p.code for p in selectors.filter_processes(Process.objects.all(), q="dat dai")] == [
        "QT-DD"
    ]


def test_it_refuses_a_forbidden_attachment_type(world, procedure):
    minh = world.user("minh")
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00binary")
    with pytest.raises(DomainError) as exc:
        services.process_attach(
            scope=_scope(minh), by=minh, process=procedure, kind="form", file=upload
        )
    assert "'exe'" in str(exc.value.message)
    assert not ProcessDocument.objects.exists()


def test_it_refuses_a_too_large_attachment(world, procedure):
    minh = world.user("minh")
    upload = SimpleUploadedFile("mau.pdf", b"%PDF-1.4 ...")
    upload.size = 21 * 1024 * 1024
    with pytest.raises(DomainError) as exc:
        services.process_attach(
            scope=_scope(minh), by=minh, process=procedure, kind="form", file=upload
        )
    assert "21.0" in str(exc.value.message)
    assert not ProcessDocument.objects.exists()


def test_it_attaches_a_form(world, procedure, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    minh = world.user("minh")
    upload = SimpleUploadedFile("mau-don.pdf", b"%PDF-1.4 mau don")
    doc = services.process_attach(
        scope=_scope(minh), by=minh, process=procedure, kind="form", file=upload
    )
    assert doc.content_type == "application/pdf" and doc.name == "mau-don.pdf"


def test_it_keeps_with_steps_total(world):
    process = with_steps(ProcessFactory.create(), ("A", 1), ("B", 4))
    assert process.total_days == 5
