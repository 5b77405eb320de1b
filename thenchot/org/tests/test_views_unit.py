"""The unit page: dated facts, scope (404 outside it), and the versioned edit form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from thenchot.audit.models import AuditEntry
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.org.models import Unit, UnitSuccession
from thenchot.org.testing import UnitFactory
from thenchot.org.tree import invalidate

pytestmark = pytest.mark.django_db


def _url(code: str) -> str:
    return reverse("org:unit", args=[code])


def _post(client, unit, **changes):  # type: ignore[no-untyped-def]
    data = {
        "name": unit.name,
        "kind": unit.kind,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else "",
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else "",
        "version": unit.version,
    }
    data.update(changes)
    return client.post(_url(unit.code), data)


def test_it_sends_anonymous_visitors_to_login(world):
    response = Client().get(_url("SNV"))
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/org/SNV/"


def test_it_hides_a_sibling_unit(client_for, world):
    assert client_for("minh").get(_url("SNV")).status_code == 404
    assert client_for("lan").get(_url("STC")).status_code == 404


def test_it_shows_the_unit_with_its_path_heads_children_and_staff(client_for, world):
    response = client_for("hung").get(_url("SNV-TC"))
    assert response.status_code == 200
    ctx = response.context
    assert [p["code"] for p in ctx["path"]] == ["HN", "SNV"]
    assert [h.staff.full_name for h in ctx["heads"]] == ["Phạm Thị Hoa"]
    assert ctx["staff_count"] == 2  # hoa and an
    assert ctx["staff_url"] == "/staff/?unit=SNV-TC"
    html = response.content.decode()
    assert 'id="unit-history-link"' in html
    assert f'href="/audit/org.unit/{world.snv_tc.pk}/"' in html


def test_it_counts_staff_of_the_whole_subtree(client_for, world):
    response = client_for("lan").get(_url("SNV"))
    assert {n["code"] for n in response.context["children"]} == {"SNV-TC", "SNV-CC"}
    assert response.context["staff_count"] == 4


def test_it_shows_predecessors_and_successors(client_for, world):
    old = UnitFactory(
        code="SNV-OLD",
        name="Phòng cũ",
        kind="division",
        valid_to=dt.date(2025, 2, 28),
        parent=world.snv,
    )
    UnitSuccession.objects.create(
        predecessor=old, successor=world.snv_tc, effective_on=dt.date(2025, 3, 1)
    )
    invalidate()
    response = client_for("lan").get(_url("SNV-TC"))
    assert [r["code"] for r in response.context["predecessors"]] == ["SNV-OLD"]
    back = client_for("lan").get(_url("SNV-OLD"))
    assert [r["code"] for r in back.context["successors"]] == ["SNV-TC"]
    assert back.context["form"] is None  # nobody writes to a unit that has ended


def test_it_offers_the_edit_form_to_writers_only(client_for, world):
    assert client_for("lan").get(_url("SNV-TC")).context["form"] is not None
    assert client_for("hoa").get(_url("SNV-TC")).context["form"] is None
    assert client_for("hung").get(_url("SNV-TC")).context["form"] is None


def test_it_saves_an_edit_and_audits_it(client_for, world):
    response = _post(client_for("lan"), world.snv_tc, name="Phòng Tổ chức cán bộ")
    assert response.status_code == 302
    unit = Unit.objects.get(code="SNV-TC")
    assert unit.name == "Phòng Tổ chức cán bộ"
    assert unit.version == world.snv_tc.version + 1
    entry = AuditEntry.objects.get(model_label="org.unit", object_id=str(unit.pk), action="update")
    assert entry.actor == world.user("lan")
    assert entry.source == "web"
    assert entry.request_id
    assert entry.before["name"] == "Phòng Tổ chức" and entry.after["name"] == "Phòng Tổ chức cán bộ"


def test_it_refuses_a_stale_version_and_changes_nothing(client_for, world):
    client = client_for("lan")
    _post(client, world.snv_tc, name="Lần một")
    response = _post(client, world.snv_tc, name="Lần hai")  # still the old version
    assert response.status_code == 302
    assert Unit.objects.get(code="SNV-TC").name == "Lần một"
    page = client.get(response["Location"])
    last = list(page.context["messages"])[-1]
    assert last.level_tag == "error"
    with translation.override("vi"):
        assert last.message == str(ConcurrentUpdate.default_message)


def test_it_shows_form_errors_for_bad_dates(client_for, world):
    response = _post(
        client_for("lan"), world.snv_tc, valid_from="2026-05-01", valid_to="2026-04-30"
    )
    assert response.status_code == 200
    assert "valid_to" in response.context["form"].errors
    assert Unit.objects.get(code="SNV-TC").valid_to is None


def test_it_refuses_an_edit_from_a_reader_or_an_outsider(client_for, world):
    assert _post(client_for("hoa"), world.snv_tc, name="Hoa đổi").status_code == 403
    assert _post(client_for("minh"), world.snv_tc, name="Minh đổi").status_code == 404
    assert _post(Client(), world.snv_tc, name="Ẩn danh").status_code == 302
    assert Unit.objects.get(code="SNV-TC").name == "Phòng Tổ chức"
    assert not AuditEntry.objects.filter(model_label="org.unit", action="update").exists()
