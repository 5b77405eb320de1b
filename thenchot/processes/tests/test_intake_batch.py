"""A batch of intake events runs in one transaction, each event in a savepoint of its own
(`intake.Batch`): a refused event leaves nothing behind while the others stand, the audit lines
of the accepted ones are written at the end, and a batch that meets another sender's write of
the same event is answered event by event instead, nothing doubled."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.processes import intake
from thenchot.processes.intake import hash_token, issue_token
from thenchot.processes.models import Case, CaseStep, IntakeEvent, IntakeSystem

BATCH = "/api/v1/processes/intake/batch/"


@pytest.fixture
def system(world):
    user = UserFactory.create(username="intake-stc")
    system = IntakeSystem.objects.create(
        code="stc", name="Một cửa STC", user=user, token_hash=hash_token("stc")
    )
    system.units.set([world.stc])
    return system


@pytest.fixture
def api(system):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(system)}")
    return client


def _received(code, event_id, on="2025-01-24"):
    return {"id": event_id, "type": "received", "case": code, "procedure": "QT-01", "on": on}


def test_it_keeps_the_accepted_events_of_a_batch_and_nothing_of_a_refused_one(
    world, procedure, api
):
    events = [
        _received("HS-1", "a1"),
        # step 1 of HS-1 dated before its receipt: refused, nothing written
        {"id": "a2", "type": "step_done", "case": "HS-1", "step": 1, "on": "2025-01-23"},
        _received("HS-2", "a3"),
        {"id": "a4", "type": "step_done", "case": "HS-2", "step": 1, "on": "2025-02-04"},
        {"id": "a5", "type": "completed", "case": "HS-2", "on": "2025-02-03"},
    ]
    response = api.post(BATCH, {"events": events}, format="json")
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [r["status"] for r in results] == [
        "accepted",
        "refused",
        "accepted",
        "accepted",
        "refused",
    ]
    assert results[1]["error"]["code"] == "out_of_order"
    assert results[4]["error"]["code"] == "out_of_order"
    one = Case.objects.get(code="HS-1")
    assert one.current_position == 1 and one.version == 1
    assert not CaseStep.objects.filter(case=one, completed_on__isnull=False).exists()
    two = Case.objects.get(code="HS-2")
    assert two.current_position == 2 and two.completed_on is None
    # every event's answer is stored, refusals included, tied to its case
    stored = dict(IntakeEvent.objects.values_list("event_id", "accepted"))
    assert stored == {"a1": True, "a2": False, "a3": True, "a4": True, "a5": False}
    assert IntakeEvent.objects.get(event_id="a2").case_id == one.pk
    # audit: the creation of each case and the step of HS-2, nothing of the refused events
    lines = AuditEntry.objects.filter(model_label="processes.case")
    assert sorted(lines.values_list("object_id", "action")) == sorted(
        [(str(one.pk), "create"), (str(two.pk), "create"), (str(two.pk), "update")]
    )
    assert all(line.source == "api" and line.actor_name == "intake-stc" for line in lines)
    assert lines.first().reason.startswith("intake stc a1…a5")


def test_it_answers_a_repeat_within_the_batch_with_the_first_answer(world, procedure, api):
    events = [_received("HS-1", "b1"), _received("HS-1", "b1", on="2025-02-03")]
    results = api.post(BATCH, {"events": events}, format="json").json()["results"]
    assert results[1]["duplicate"] is True and results[1]["result"] == results[0]["result"]
    assert Case.objects.get(code="HS-1").received_on == dt.date(2025, 1, 24)


def test_it_falls_back_to_event_by_event_when_another_sender_stored_the_event(
    world, procedure, api, system, monkeypatch
):
    """Another request stored event c1 after this batch read the answers given (simulated by
    hiding it from the batch's first read): the batch's own insert of c1 meets the unique
    constraint, the batch rolls back whole and answers event by event, c1 with its first
    answer."""
    first = api.post(BATCH, {"events": [_received("HS-1", "c1")]}, format="json").json()
    real = intake.stored_answers
    calls: list[int] = []

    def stale_first_read(system_, ids):
        calls.append(1)
        return {} if len(calls) == 1 else real(system_, ids)

    monkeypatch.setattr(intake, "stored_answers", stale_first_read)
    events = [_received("HS-2", "c2"), _received("HS-1", "c1")]
    # HS-1 exists: the stale batch tries to resubmit it (refused: not returned), then stores
    # the refusal beside c1's first answer; the constraint stops it and the fallback answers.
    results = api.post(BATCH, {"events": events}, format="json").json()["results"]
    assert len(calls) == 2
    assert results[0]["status"] == "accepted" and results[0]["duplicate"] is False
    assert results[1]["duplicate"] is True
    assert results[1]["result"] == first["results"][0]["result"]
    assert IntakeEvent.objects.filter(event_id="c1").count() == 1
    assert Case.objects.filter(code="HS-2").count() == 1
    assert AuditEntry.objects.filter(model_label="processes.case", action="create").count() == 2
