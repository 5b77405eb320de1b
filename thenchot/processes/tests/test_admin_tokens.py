"""Sending systems in the admin: a new one has no usable token; the action "Issue a new token"
shows a token once (only its hash stored, the old token dead), audited with fingerprints only;
someone who cannot write the system's units cannot issue one."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.core.errors import OutOfScope
from thenchot.processes.intake import hash_token, system_issue_token
from thenchot.processes.models import IntakeSystem

pytestmark = pytest.mark.django_db
EVENTS = "/api/v1/processes/intake/events/"
CHANGELIST = "/admin/processes/intakesystem/"


@pytest.fixture
def admin_client(world):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def system(world):  # type: ignore[no-untyped-def]
    system = IntakeSystem.objects.create(
        code="stc", name="Một cửa STC", user=UserFactory(username="intake-stc"),
        token_hash=hash_token("old-token"),
    )  # fmt: skip
    system.units.set([world.stc])
    return system


def _sends(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    event = {"id": "e1", "type": "received", "case": "HS-1", "procedure": "QT-01",
             "on": "2025-01-24"}  # fmt: skip
    return client.post(EVENTS, event, format="json").status_code


def test_it_issues_a_token_shown_once_and_stored_hashed(admin_client, system, procedure):
    response = admin_client.post(
        CHANGELIST, {"action": "issue_token", "_selected_action": [system.pk]}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = response.context["issued"][0][1]
    assert token in response.content.decode()
    system.refresh_from_db()
    assert system.token_hash == hash_token(token) and token not in system.token_hash
    assert _sends("old-token") == 401
    assert _sends(token) == 201
    entry = AuditEntry.objects.get(model_label="processes.intakesystem", action="update")
    assert entry.actor.username == "quantri"
    assert entry.before["token_hash"] == hash_token("old-token")[:8] + "…"
    assert entry.after["token_hash"] == system.token_hash[:8] + "…"
    # the list page does not show it again
    assert token not in admin_client.get(CHANGELIST).content.decode()


def test_it_creates_a_system_without_a_usable_token(admin_client, world):
    response = admin_client.post(
        "/admin/processes/intakesystem/add/",
        {"code": "snv", "name": "Một cửa SNV", "units": [world.snv.pk],
         "user": UserFactory(username="intake-snv").pk, "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    created = IntakeSystem.objects.get(code="snv")
    assert len(created.token_hash) == 64
    entry = AuditEntry.objects.get(model_label="processes.intakesystem", action="create")
    assert entry.after["token_hash"].endswith("…") and len(entry.after["token_hash"]) == 9


def test_it_refuses_a_token_to_someone_outside_the_units(world, system):
    from thenchot.accounts.scoping import compute_scope

    for persona in ("lan", "hung"):  # personnel of SNV; city leadership writes nothing
        with pytest.raises(OutOfScope):
            system_issue_token(
                scope=compute_scope(world.user(persona)), system=system, by=world.user(persona)
            )
    system.refresh_from_db()
    assert system.token_hash == hash_token("old-token")
    assert not AuditEntry.objects.filter(model_label="processes.intakesystem").exists()
