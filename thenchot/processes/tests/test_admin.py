"""Procedures and cases in the Django admin: a procedure's name changes through
`services.process_update` (versioned, audited), its retirement through `process_retire`, which
refuses a date before a case received; cases are read-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.processes.models import Case, Process

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


def _data(process: Process, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": process.name,
        "level": process.level,
        "approved_on": process.approved_on.isoformat(),
        "decision_number": process.decision_number,
        "retired_on": "",
        "expected_version": process.version,
    }
    for prefix, count in (("steps", process.steps.count()), ("documents", 0)):
        data[f"{prefix}-TOTAL_FORMS"] = count
        data[f"{prefix}-INITIAL_FORMS"] = count
    data.update(changes)
    return data


def _url(process: Process) -> str:
    return f"/admin/processes/process/{process.pk}/change/"


def test_it_renames_a_procedure_through_the_service(admin_client, procedure) -> None:
    response = admin_client.post(_url(procedure), _data(procedure, name="Quy trình mới"))
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Process.objects.get(pk=procedure.pk)
    assert (stored.name, stored.version) == ("Quy trình mới", procedure.version + 1)
    entry = AuditEntry.objects.filter(model_label="processes.process").latest("pk")
    assert entry.actor.username == "quantri" and entry.after["name"] == "Quy trình mới"


def test_it_refuses_retiring_before_a_case_received(admin_client, procedure) -> None:
    Case.objects.create(
        code="HS-1",
        process=procedure,
        unit=procedure.owner_unit,
        received_on=dt.date(2025, 2, 3),
        due_on=dt.date(2025, 2, 10),
    )
    response = admin_client.post(
        _url(procedure), _data(procedure, retired_on="2025-02-01"), follow=True
    )
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("HS-1" in m for m in shown), shown
    assert Process.objects.get(pk=procedure.pk).retired_on is None


def test_it_shows_cases_read_only(admin_client, procedure) -> None:
    case = Case.objects.create(
        code="HS-1",
        process=procedure,
        unit=procedure.owner_unit,
        received_on=dt.date(2025, 2, 3),
        due_on=dt.date(2025, 2, 10),
    )
    assert admin_client.get(f"/admin/processes/case/{case.pk}/change/").status_code == 200
    assert admin_client.get("/admin/processes/case/add/").status_code == 403
