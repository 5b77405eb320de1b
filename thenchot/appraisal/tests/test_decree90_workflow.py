"""The Decree 90 rating's workflow (rules.md `decree-90-2020`, "Workflow"): self-assessment on
form 01 (cán bộ), 02 (công chức) or 03 (viên chức); a meeting with minutes; the Party committee's
opinion for heads; the personnel unit's proposal; the decision; written notice to the person and
publication inside the agency — in order, by the people entitled, audited; a refusal names the
person and the step and changes nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thenchot.appraisal import services
from thenchot.appraisal.models import Decree90Record
from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.people.testing import StaffFactory

pytestmark = pytest.mark.django_db
YEAR = 2024
D = dt.date


def _record(world, who, staff, step, on, number="", year=YEAR):  # type: ignore[no-untyped-def]
    return services.decree90_step_record(
        staff=staff, year=year, step=step, done_on=on, by=world.user(who), document_number=number
    )


def test_a_civil_servants_year_goes_through_every_step(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.workflow."""
    an = world.staff["an"]
    dossier = services.decree90_dossier(staff=an, year=YEAR)
    assert dossier.form_number == "02" and not dossier.is_head
    assert dossier.next_step == "self_assessment"
    first = _record(world, "an", an, "self_assessment", D(2024, 12, 2))
    assert first.document_number in ("Form 02", "Mẫu số 02")
    _record(world, "lan", an, "meeting", D(2024, 12, 5), "BB-12")
    _record(world, "lan", an, "personnel_proposal", D(2024, 12, 8), "TTr-3")
    _record(world, "lan", an, "decision", D(2024, 12, 12), "QĐ-45")
    _record(world, "lan", an, "notice", D(2024, 12, 13), "TB-7")
    _record(world, "lan", an, "publication", D(2024, 12, 14))
    dossier = services.decree90_dossier(staff=an, year=YEAR)
    assert dossier.complete
    assert [s.step for s in dossier.steps if not s.required] == [
        "former_unit_comments",
        "party_opinion",
    ]
    assert AuditEntry.objects.filter(object_id=str(first.pk)).exists()


def test_a_head_needs_the_party_committees_opinion(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.workflow."""
    minh = world.staff["minh"]  # head of STC
    _record(world, "minh", minh, "self_assessment", D(2024, 12, 2))
    _record(world, "quan", minh, "meeting", D(2024, 12, 5), "BB-1")
    with pytest.raises(DomainError) as refused:
        _record(world, "quan", minh, "personnel_proposal", D(2024, 12, 8), "TTr-1")
    said = str(refused.value.message)
    assert minh.full_name in said and ("Party" in said or "Đảng" in said)
    _record(world, "quan", minh, "party_opinion", D(2024, 12, 6), "YK-1")
    _record(world, "quan", minh, "personnel_proposal", D(2024, 12, 8), "TTr-1")
    assert services.decree90_dossier(staff=minh, year=YEAR).next_step == "decision"


def test_steps_out_of_order_or_date_or_twice_change_nothing(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.workflow."""
    an = world.staff["an"]
    with pytest.raises(DomainError):  # the meeting before the self-assessment
        _record(world, "lan", an, "meeting", D(2024, 12, 5), "BB-12")
    _record(world, "an", an, "self_assessment", D(2024, 12, 2))
    with pytest.raises(DomainError):  # dated before the self-assessment
        _record(world, "lan", an, "meeting", D(2024, 12, 1), "BB-12")
    with pytest.raises(DomainError):  # in the future
        _record(world, "lan", an, "meeting", dt.date.today() + dt.timedelta(days=1), "BB-12")
    with pytest.raises(DomainError):  # minutes without a number
        _record(world, "lan", an, "meeting", D(2024, 12, 5))
    with pytest.raises(DomainError):  # twice
        _record(world, "an", an, "self_assessment", D(2024, 12, 3))
    with pytest.raises(DomainError):  # not a head
        _record(world, "lan", an, "party_opinion", D(2024, 12, 5), "YK-1")
    with pytest.raises(DomainError):
        _record(world, "lan", an, "vote", D(2024, 12, 5), "X")
    assert Decree90Record.objects.count() == 1


def test_only_the_person_personnel_or_the_agencys_head_record(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.workflow."""
    an = world.staff["an"]
    with pytest.raises(OutOfScope):  # someone else's self-assessment
        _record(world, "binh", an, "self_assessment", D(2024, 12, 2))
    _record(world, "an", an, "self_assessment", D(2024, 12, 2))
    for who in ("an", "binh", "minh"):  # the person; STC's inspector; STC's head
        with pytest.raises(OutOfScope):
            _record(world, who, an, "meeting", D(2024, 12, 5), "BB-12")
    assert Decree90Record.objects.count() == 1


def test_decree_90_covers_only_its_categories_and_years(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.workflow, packs.decree-90-2020."""
    worker = StaffFactory(code="HD01", full_name="Lê Văn Hợp", unit=world.snv_tc,
                          category="contract_worker")  # fmt: skip
    with pytest.raises(DomainError, match="Lê Văn Hợp"):
        services.decree90_dossier(staff=worker, year=YEAR)
    with pytest.raises(DomainError):  # a civil servant's 2026 is under Decree 335
        services.decree90_dossier(staff=world.staff["an"], year=2026)
    employee = StaffFactory(code="VC01", full_name="Trần Thu Hà", unit=world.snv_tc,
                            category="public_employee")  # fmt: skip
    assert services.decree90_dossier(staff=employee, year=2026).form_number == "03"


def test_the_command_line_records_and_shows_the_steps(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.workflow."""
    out = StringIO()
    call_command("decree90_step", staff="P005", year="2024", step="self_assessment",
                 on="2024-12-02", username="an", lang="en", stdout=out)  # fmt: skip
    assert "Form 02" in out.getvalue()
    with pytest.raises(CommandError, match="BB|number"):
        call_command("decree90_step", staff="P005", year="2024", step="meeting",
                     on="2024-12-05", username="lan", lang="en", stdout=StringIO())  # fmt: skip
    shown = StringIO()
    call_command("decree90_step", staff="P005", year="2024", lang="en", stdout=shown)
    assert "next: Meeting, with minutes" in shown.getvalue()


def test_the_page_shows_the_steps_and_records_the_next(client_for, world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.workflow."""
    url = "/appraisal/decree90/P005/2024/"
    page = client_for("an").get(url)
    assert page.status_code == 200 and "self_assessment" in page.content.decode()
    done = client_for("an").post(url, {"step": "self_assessment", "done_on": "02/12/2024"})
    assert done.status_code == 302
    refused = client_for("an").post(url, {"step": "meeting", "done_on": "05/12/2024",
                                          "document_number": "BB-1"})  # fmt: skip
    assert refused.status_code == 403
    assert client_for("binh").get(url).status_code == 404  # out of scope: not found
    form = client_for("an").get(url + "form/").content.decode()
    assert "02" in form and world.staff["an"].full_name in form


def test_a_person_transferred_after_six_months_needs_the_former_agencys_comments(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.timing, pack.decree-90-2020.workflow."""
    from thenchot.people.models import Assignment

    moved = StaffFactory(code="CT01", full_name="Hoàng Văn Chuyển", unit=world.snv_tc)
    Assignment.objects.filter(staff=moved).delete()
    Assignment.objects.create(staff=moved, unit=world.stc_ns, valid_from=D(2020, 1, 1),
                              valid_to=D(2024, 7, 31))  # fmt: skip
    Assignment.objects.create(staff=moved, unit=world.snv_tc, valid_from=D(2024, 8, 1))
    dossier = services.decree90_dossier(staff=moved, year=YEAR)
    assert [(u.code, round(m)) for u, m in dossier.former] == [("STC", 7)]
    _record(world, "lan", moved, "self_assessment", D(2024, 12, 2))
    with pytest.raises(DomainError) as refused:
        _record(world, "lan", moved, "meeting", D(2024, 12, 5), "BB-1")
    assert "former" in str(refused.value.message) or "cũ" in str(refused.value.message)
    _record(world, "lan", moved, "former_unit_comments", D(2024, 12, 3), "CV-STC-9")
    _record(world, "lan", moved, "meeting", D(2024, 12, 5), "BB-1")
    # Someone who stayed all year takes no former agency's comments.
    with pytest.raises(DomainError):
        _record(world, "lan", world.staff["an"], "former_unit_comments", D(2024, 12, 3), "X")
