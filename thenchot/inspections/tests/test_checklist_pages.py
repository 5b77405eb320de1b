"""The checklist screen of an inspection: every question of its topics with a result and a note,
saved together. binh conducts STC's inspection of STC-NS; hung reads it but does not conduct it;
tuan (an inspector over SNV) cannot read it. A surprise inspection of SNV-TC stays a 404 for its
target (lan, hoa) until it starts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from thenchot.accounts.models import RoleGrant
from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.inspections import services
from thenchot.inspections.models import ChecklistAnswer, ChecklistItem, Inspection

pytestmark = pytest.mark.django_db
d = dt.date
URL = "/inspections/KT-CL/checklist/"


@pytest.fixture
def items(world):
    return {
        "late": ChecklistItem.objects.create(
            code="CL-2", topic="discipline", text="Chấp hành giờ giấc làm việc", position=2
        ),
        "card": ChecklistItem.objects.create(
            code="CL-1", topic="discipline", text="Đeo thẻ công chức", position=1
        ),
        "petition": ChecklistItem.objects.create(
            code="CL-3", topic="petitions", text="Sổ theo dõi kiến nghị"
        ),
        "retired": ChecklistItem.objects.create(
            code="CL-9", topic="discipline", text="Mục đã bỏ", position=9, active=False
        ),
    }


@pytest.fixture
def inspection(world, items):
    return services.inspection_create(
        by=world.user("binh"),
        code="KT-CL",
        kind="planned",
        conducted_by=world.stc,
        target_unit=world.stc_ns,
        started_on=d(2026, 3, 2),
        topics=["discipline"],
    )


@pytest.fixture
def tuan(world):
    user = UserFactory(username="tuan", first_name="Hoàng Văn Tuấn")
    RoleGrant.objects.create(user=user, role="inspector", unit=world.snv)
    client = Client()
    client.force_login(user)
    return client


def _version(inspection: Inspection) -> int:
    return Inspection.objects.get(pk=inspection.pk).version


def _answers(inspection: Inspection) -> dict[str, tuple[str, str]]:
    return {
        a.item.code: (a.result, a.note)
        for a in ChecklistAnswer.objects.filter(inspection=inspection).select_related("item")
    }


def test_it_lists_every_active_question_of_the_inspections_topics(inspection, items, client_for):
    page = client_for("binh").get(URL)
    assert page.status_code == 200
    codes = [q.code for q in page.context["form"].questions]
    assert codes == ["CL-1", "CL-2"]  # by position; other topics and retired checks left out
    html = page.content.decode()
    assert 'id="checklist-save"' in html and f'name="result_{items["card"].pk}"' in html


def test_it_saves_the_whole_screen_at_once(world, inspection, items, client_for):
    card, late = items["card"], items["late"]
    response = client_for("binh").post(
        URL,
        {
            "version": 1,
            f"result_{card.pk}": "met",
            f"note_{card.pk}": "",
            f"result_{late.pk}": "not_met",
            f"note_{late.pk}": "  Hai người đến muộn  ",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/inspections/KT-CL/"
    assert _answers(inspection) == {"CL-1": ("met", ""), "CL-2": ("not_met", "Hai người đến muộn")}
    assert _version(inspection) == 2  # the inspection's version guards its checklist
    created = AuditEntry.objects.filter(model_label="inspections.checklistanswer", action="create")
    assert created.count() == 2


def test_it_changes_only_what_changed(world, inspection, items, client_for):
    card, late = items["card"], items["late"]
    services.checklist_record(by=world.user("binh"), inspection=inspection, item=card, result="met")
    version = _version(inspection)
    response = client_for("binh").post(
        URL,
        {"version": version, f"result_{card.pk}": "not_applicable", f"result_{late.pk}": ""},
    )
    assert response.status_code == 302
    assert _answers(inspection) == {"CL-1": ("not_applicable", "")}
    updated = AuditEntry.objects.get(model_label="inspections.checklistanswer", action="update")
    assert updated.changed_fields == ["result"]
    unchanged = client_for("binh").post(
        URL, {"version": version + 1, f"result_{card.pk}": "not_applicable"}
    )
    assert unchanged.status_code == 302 and _version(inspection) == version + 1


def test_it_keeps_answering_a_retired_question_once_answered(world, inspection, items, client_for):
    retired = items["retired"]
    ChecklistAnswer.objects.create(inspection=inspection, item=retired, result="met")
    page = client_for("binh").get(URL)
    assert [q.code for q in page.context["form"].questions] == ["CL-1", "CL-2", "CL-9"]
    response = client_for("binh").post(URL, {"version": 1, f"result_{retired.pk}": "not_met"})
    assert response.status_code == 302 and _answers(inspection)["CL-9"] == ("not_met", "")


def test_it_refuses_bad_input_and_changes_nothing(world, inspection, items, client_for):
    card, late = items["card"], items["late"]
    services.checklist_record(
        by=world.user("binh"), inspection=inspection, item=card, result="met", note="Đủ"
    )
    version = _version(inspection)
    binh = client_for("binh", lang="en")
    cleared = binh.post(URL, {"version": version, f"result_{card.pk}": ""})
    assert cleared.status_code == 400 and "can be changed, not cleared" in cleared.content.decode()
    note_only = binh.post(
        URL, {"version": version, f"result_{card.pk}": "met", f"note_{late.pk}": "x"}
    )
    assert note_only.status_code == 400
    assert "Choose a result to go with the note." in note_only.content.decode()
    unknown = binh.post(URL, {"version": version, f"result_{late.pk}": "maybe"})
    assert unknown.status_code == 400
    too_long = binh.post(
        URL, {"version": version, f"result_{card.pk}": "met", f"note_{card.pk}": "x" * 501}
    )
    assert too_long.status_code == 400
    assert _answers(inspection) == {"CL-1": ("met", "Đủ")}
    assert _version(inspection) == version


def test_it_refuses_a_stale_screen(world, inspection, items, client_for):
    card, late = items["card"], items["late"]
    opened = _version(inspection)
    services.checklist_record(
        by=world.user("minh"), inspection=inspection, item=card, result="not_met"
    )
    response = client_for("binh", lang="en").post(
        URL,
        {"version": opened, f"result_{card.pk}": "met", f"result_{late.pk}": "met"},
        follow=True,
    )
    assert "changed by someone else" in response.content.decode()
    assert _answers(inspection) == {"CL-1": ("not_met", "")}


def test_it_closes_the_checklist_of_a_concluded_inspection(world, inspection, items, client_for):
    card = items["card"]
    Inspection.objects.filter(pk=inspection.pk).update(
        conclusion_on=d(2026, 4, 1), conclusion_number="KL-1"
    )
    binh = client_for("binh", lang="en")
    page = binh.get(URL).content.decode()
    assert 'id="checklist-closed"' in page and 'id="checklist-save"' not in page
    assert "<fieldset disabled>" in page
    response = binh.post(URL, {"version": _version(inspection), f"result_{card.pk}": "met"})
    assert response.status_code == 400 and "checklist is closed" in response.content.decode()
    assert not ChecklistAnswer.objects.exists()
    detail = binh.get("/inspections/KT-CL/").content.decode()
    assert 'id="checklist-fill"' not in detail


def test_it_refuses_whoever_does_not_conduct_the_inspection(
    world, inspection, items, tuan, client_for
):
    data = {"version": 1, f"result_{items['card'].pk}": "met"}
    assert client_for("hung").get(URL).status_code == 403  # reads it, does not conduct it
    assert client_for("hung").post(URL, data).status_code == 403
    assert tuan.get(URL).status_code == 404  # another unit's inspector
    assert tuan.post(URL, data).status_code == 404
    for name in ("lan", "an"):
        assert client_for(name).post(URL, data).status_code == 404
    assert not ChecklistAnswer.objects.exists() and _version(inspection) == 1
    assert client_for("minh").get(URL).status_code == 200  # the head of STC conducts it too
    assert 'id="checklist-fill"' in client_for("binh").get("/inspections/KT-CL/").content.decode()
    assert (
        'id="checklist-fill"' not in client_for("hung").get("/inspections/KT-CL/").content.decode()
    )


def test_it_keeps_a_surprise_secret_from_its_target(world, items, city_inspector, client_for):
    start = timezone.localdate() + dt.timedelta(days=10)
    surprise = services.inspection_create(
        by=city_inspector,
        code="KT-DX-CL",
        kind="surprise",
        conducted_by=world.stc,
        target_unit=world.snv_tc,
        started_on=start,
        topics=["discipline"],
    )
    url = "/inspections/KT-DX-CL/checklist/"
    data = {"version": 1, f"result_{items['card'].pk}": "met"}
    for name in ("lan", "hoa"):
        assert client_for(name).get(url).status_code == 404, name
        assert client_for(name).post(url, data).status_code == 404, name
    assert not ChecklistAnswer.objects.exists()
    assert client_for("binh").get(url).status_code == 200
    assert client_for("binh").post(url, data).status_code == 302
    assert _answers(surprise) == {"CL-1": ("met", "")}


def test_it_says_when_the_topics_have_no_question(world, client_for):
    services.inspection_create(
        by=world.user("binh"),
        code="KT-CL",
        kind="planned",
        conducted_by=world.stc,
        target_unit=world.stc_ns,
        started_on=d(2026, 3, 2),
        topics=["petitions"],
    )
    page = client_for("binh").get(URL).content.decode()
    assert 'id="checklist-empty"' in page and 'id="checklist-form"' not in page
