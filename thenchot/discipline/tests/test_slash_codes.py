"""Case codes holding "/" on the pages: an official number such as "12/KL-UBND" may serve as a
case code (imports use them), so the list must link to the case, its page must open, the
actions under it must still be reached, and the reminder link must lead to the case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import resolve, reverse

from thenchot.audit.models import AuditEntry
from thenchot.discipline.due import case_url
from thenchot.discipline.models import CasePause, DisciplineCase, DisciplineDecision

pytestmark = pytest.mark.django_db
CODE = "12/KL-UBND"


@pytest.fixture
def case(world):  # type: ignore[no-untyped-def]
    return DisciplineCase.objects.create(
        code=CODE,
        staff=world.staff["an"],
        detected_on=dt.date(2025, 8, 1),
        summary="Đi muộn nhiều lần",
        opened_by=world.user("lan"),
    )


def _pause() -> dict[str, str]:
    return {
        "pause-reason": "serious_illness",
        "pause-date_from": "2025-08-05",
        "pause-date_to": "2025-08-14",
    }


def test_it_builds_case_links_that_keep_the_slash():
    assert reverse("discipline:case", args=[CODE]) == "/discipline/cases/12/KL-UBND/"
    assert reverse("discipline:case_pause", args=[CODE]) == "/discipline/cases/12/KL-UBND/pause/"
    assert case_url(CODE) == "/discipline/cases/12/KL-UBND/"
    assert case_url("KL#3") == "/discipline/cases/KL%233/"  # a "#" would cut the link short
    target = resolve(case_url(CODE))
    assert (target.view_name, target.kwargs) == ("discipline:case", {"code": CODE})
    assert resolve("/discipline/cases/12/KL-UBND/decide/").view_name == "discipline:case_decide"


def test_it_lists_an_open_case_with_a_slash_code_and_links_to_it(client_for, case):
    response = client_for("lan").get("/discipline/")
    assert response.status_code == 200
    assert b'href="/discipline/cases/12/KL-UBND/"' in response.content


def test_it_opens_the_page_of_a_case_with_a_slash_code(client_for, case):
    page = client_for("lan").get("/discipline/cases/12/KL-UBND/")
    assert page.status_code == 200
    assert page.context["case"] == case
    assert b'action="/discipline/cases/12/KL-UBND/pause/"' in page.content
    assert b'action="/discipline/cases/12/KL-UBND/decide/"' in page.content


def test_it_tells_a_slash_code_from_its_first_part(client_for, world, case):
    DisciplineCase.objects.create(
        code="12", staff=world.staff["an"], detected_on=dt.date(2025, 8, 2), summary="Khác"
    )
    lan = client_for("lan")
    assert lan.get("/discipline/cases/12/").context["case"].code == "12"
    assert lan.get("/discipline/cases/12/KL-UBND/").context["case"].code == CODE
    assert lan.get("/discipline/cases/99/KL-UBND/").status_code == 404


def test_it_pauses_a_case_with_a_slash_code(client_for, case):
    audited = AuditEntry.objects.count()
    response = client_for("lan").post("/discipline/cases/12/KL-UBND/pause/", _pause())
    assert response.status_code == 302
    assert response["Location"] == "/discipline/cases/12/KL-UBND/"
    assert list(CasePause.objects.values_list("case__code", "reason")) == [
        (CODE, "serious_illness")
    ]
    assert AuditEntry.objects.count() == audited + 1


def test_it_refuses_a_bad_pause_on_a_slash_code_and_writes_nothing(client_for, case):
    response = client_for("lan").post(
        "/discipline/cases/12/KL-UBND/pause/", {**_pause(), "pause-date_from": "2025-07-01"}
    )
    assert response.status_code == 400
    assert response.context["case"] == case
    assert not CasePause.objects.exists()


def test_it_hides_a_slash_coded_case_from_outsiders_and_changes_nothing(client_for, case):
    audited = AuditEntry.objects.count()
    minh = client_for("minh")  # head of STC: An's case is not in his units
    assert minh.get("/discipline/cases/12/KL-UBND/").status_code == 404
    assert minh.post("/discipline/cases/12/KL-UBND/pause/", _pause()).status_code == 404
    # An reads his own case but may not decide it.
    an = client_for("an")
    assert an.get("/discipline/cases/12/KL-UBND/").status_code == 200
    assert an.post("/discipline/cases/12/KL-UBND/decide/", {}).status_code == 403
    assert not CasePause.objects.exists() and not DisciplineDecision.objects.exists()
    assert AuditEntry.objects.count() == audited
    case.refresh_from_db()
    assert case.status == "open" and case.version == 1
