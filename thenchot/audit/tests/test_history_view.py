"""The history page of a record: who, when (Hanoi time), source, reason, request id and
before/after, for readers of the record only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry
from thenchot.core.context import acting
from thenchot.org import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def renamed(world):  # type: ignore[no-untyped-def]
    with acting(
        actor=world.user("lan"), source="web", reason="QĐ 45/QĐ-UBND", request_id="req-123"
    ):
        services.unit_update(
            scope=compute_scope(world.user("lan")),
            unit=world.snv_tc,
            expected_version=world.snv_tc.version,
            data={"name": "Phòng Tổ chức cán bộ", "valid_to": dt.date(2030, 12, 31)},
        )
    entry = AuditEntry.objects.get(model_label="org.unit", object_id=str(world.snv_tc.pk))
    return entry


def _url(label: str, pk: object) -> str:
    return reverse("audit:history", args=[label, pk])


def test_it_sends_anonymous_visitors_to_login(world, renamed):
    response = Client().get(_url("org.unit", world.snv_tc.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/audit/org.unit/")


def test_it_shows_who_when_why_and_before_after(client_for, world, renamed):
    response = client_for("lan").get(_url("org.unit", world.snv_tc.pk))
    assert response.status_code == 200
    [item] = response.context["entries"]
    assert item["entry"].pk == renamed.pk
    rows = {r["name"]: r for r in item["rows"]}
    assert set(rows) == {"name", "valid_to"}
    assert rows["name"]["before"] == "Phòng Tổ chức"
    assert rows["name"]["after"] == "Phòng Tổ chức cán bộ"
    assert rows["valid_to"]["before"] == "—"
    assert rows["valid_to"]["after"] == "31/12/2030"
    html = response.content.decode()
    assert "QĐ 45/QĐ-UBND" in html
    assert "req-123" in html
    assert "lan" in html


def test_it_shows_times_in_hanoi(client_for, world, renamed):
    from django.db import connection

    fixed = dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)
    with connection.cursor() as cursor:  # the model refuses updates; set the instant directly
        cursor.execute("UPDATE audit_auditentry SET at = %s WHERE id = %s", [fixed, renamed.pk])
    html = client_for("lan").get(_url("org.unit", world.snv_tc.pk)).content.decode()
    assert "02/03/2026 09:30:00" in html


def test_it_shows_a_creation_with_every_field(client_for, world):
    scope = compute_scope(world.user("lan"))
    with acting(actor=world.user("lan"), source="web"):
        unit = services.unit_create(
            scope=scope, code="SNV-TT", name="Thanh tra Sở", kind="division", parent=world.snv
        )
    [item] = client_for("lan").get(_url("org.unit", unit.pk)).context["entries"]
    rows = {r["name"]: r for r in item["rows"]}
    assert rows["code"]["after"] == "SNV-TT"
    assert rows["kind"]["before"] == ""


def test_it_hides_the_history_from_a_sibling_unit(client_for, world, renamed):
    assert client_for("minh").get(_url("org.unit", world.snv_tc.pk)).status_code == 404
    assert client_for("an").get(_url("org.unit", world.snv_tc.pk)).status_code == 404


def test_it_lets_a_staff_member_read_their_own_history(client_for, world):
    an = world.staff["an"]
    assert client_for("an").get(_url("people.staff", an.pk)).status_code == 200
    assert client_for("an").get(_url("people.staff", world.staff["hoa"].pk)).status_code == 404


def test_it_answers_404_for_unknown_models_and_records(client_for, world):
    client = client_for("hung")
    assert client.get(_url("accounts.user", world.user("lan").pk)).status_code == 404
    assert client.get(_url("nosuch.model", 1)).status_code == 404
    assert client.get(_url("org.unit", 999999)).status_code == 404
    assert client.get(_url("org.unit", "abc")).status_code == 404
    assert client.get("/audit/orgunit/1/").status_code == 404


def test_it_has_no_way_to_change_an_entry(client_for, world, renamed):
    client = client_for("hung")
    url = _url("org.unit", world.snv_tc.pk)
    assert client.post(url, {"reason": "x"}).status_code == 405
    assert client.delete(url).status_code == 405
    assert AuditEntry.objects.get(pk=renamed.pk).reason == "QĐ 45/QĐ-UBND"
