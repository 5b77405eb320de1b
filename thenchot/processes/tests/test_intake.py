"""Case events from a one-stop-shop system: received, step done, returned and resubmitted,
completed; idempotent by the sender's event id; scoped by the system's token and units; every
refused event explained.

"Một cửa STC" sends for STC (and so STC-NS); "Một cửa SNV" sends for SNV only. QT-01 belongs
to STC: 3 working days at STC-NS, then 3 for the head of STC (conftest)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.processes.intake import hash_token, issue_token
from thenchot.processes.models import Case, CaseReturn, IntakeEvent, IntakeSystem

EVENTS = "/api/v1/processes/intake/events/"
BATCH = "/api/v1/processes/intake/batch/"


def _system(code, units):
    user = UserFactory.create(username=f"intake-{code}")
    system = IntakeSystem.objects.create(
        code=code, name=f"Một cửa {code}", user=user, token_hash=hash_token(code)
    )
    system.units.set(units)
    return system


def _client(system, lang="vi"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=lang)
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(system)}")
    return client


@pytest.fixture
def stc_system(world):
    return _system("stc", [world.stc])


@pytest.fixture
def api(stc_system):
    return _client(stc_system)


def _received(event_id="e1", case="HS-1", on="2025-01-24", **extra):
    return {
        "id": event_id,
        "type": "received",
        "case": case,
        "procedure": "QT-01",
        "on": on,
    } | extra


def _post(api, event, lang=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    return api.post(EVENTS, event, format="json", **headers)


def test_it_receives_a_case_and_computes_its_due_date(world, procedure, api):
    response = _post(api, _received(applicant="Nguyễn Văn Bình"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["case"] == "HS-1" and body["due_on"] == "2025-02-08" and body["current_step"] == 1
    case = Case.objects.get(code="HS-1")
    assert case.unit_id == world.stc.pk and case.applicant == "Nguyễn Văn Bình"
    assert AuditEntry.objects.filter(object_id=str(case.pk)).exists()


def test_it_moves_a_case_step_by_step_to_completion(world, procedure, api):
    _post(api, _received())
    done = _post(
        api,
        {
            "id": "e2",
            "type": "step_done",
            "case": "HS-1",
            "step": 1,
            "on": "2025-02-04",
            "held_by": "Ngô Thị Thu",
        },
    )
    assert done.status_code == 201, done.json()
    assert done.json()["current_step"] == 2
    end = _post(api, {"id": "e3", "type": "completed", "case": "HS-1", "on": "2025-02-06"})
    assert end.status_code == 201, end.json()
    case = Case.objects.get(code="HS-1")
    assert case.completed_on == dt.date(2025, 2, 6)
    assert case.steps.get(position=1).held_by_name == "Ngô Thị Thu"
    assert case.steps.get(position=2).held_by_name == "Một cửa stc"


def test_it_answers_a_duplicate_with_the_first_answer_and_changes_nothing(world, procedure, api):
    first = _post(api, _received())
    _post(api, {"id": "e2", "type": "step_done", "case": "HS-1", "step": 1, "on": "2025-02-04"})
    again = _post(api, _received(on="2025-03-03", applicant="x"))
    assert again.status_code == 201 and again.json() == first.json()
    assert again["X-Intake-Duplicate"] == "true"
    case = Case.objects.get(code="HS-1")
    assert case.received_on == dt.date(2025, 1, 24) and case.current_position == 2
    assert IntakeEvent.objects.count() == 2


def test_it_answers_a_repeated_refusal_the_same_way(world, procedure, api):
    first = _post(api, _received(on="2025-01-01"))
    procedure.approved_on = dt.date(2024, 12, 1)
    procedure.save()
    again = _post(api, _received(on="2025-01-01"))
    assert first.status_code == again.status_code == 400
    assert again.json() == first.json() and not Case.objects.exists()


def test_it_refuses_an_event_older_than_the_case_s_last(world, procedure, api):
    _post(api, _received())
    _post(api, {"id": "e2", "type": "step_done", "case": "HS-1", "step": 1, "on": "2025-02-04"})
    late = _post(api, {"id": "e3", "type": "returned", "case": "HS-1", "on": "2025-02-03"})
    assert late.status_code == 400
    assert late.json()["error"]["code"] == "out_of_order"
    assert "04/02/2025" in late.json()["error"]["message"]
    assert Case.objects.get(code="HS-1").returned_on is None


@pytest.mark.parametrize(("step", "code"), [(2, "step_skipped"), (1, "out_of_order")])
def test_it_refuses_a_skipped_or_repeated_step(world, procedure, api, step, code):
    _post(api, _received())
    if code == "out_of_order":
        _post(api, {"id": "e2", "type": "step_done", "case": "HS-1", "step": 1, "on": "2025-02-04"})
    response = _post(
        api, {"id": "e9", "type": "step_done", "case": "HS-1", "step": step, "on": "2025-02-05"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_it_refuses_completion_while_a_step_is_open(world, procedure, api):
    _post(api, _received())
    response = _post(api, {"id": "e2", "type": "completed", "case": "HS-1", "on": "2025-02-05"})
    assert response.json()["error"]["code"] == "step_skipped"
    assert Case.objects.get(code="HS-1").completed_on is None


@pytest.mark.parametrize(
    ("event", "code", "words"),
    [
        (_received(procedure="QT-99"), "unknown_procedure", "QT-99"),
        (_received(on="2025-01-01"), "not_in_force", "02/01/2025"),
        (
            {"id": "e1", "type": "step_done", "case": "HS-X", "step": 1, "on": "2025-02-04"},
            "unknown_case",
            "HS-X",
        ),
    ],
)
def test_it_explains_each_refused_event(world, procedure, api, event, code, words):
    response = _post(api, event)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code and words in response.json()["error"]["message"]


def test_it_explains_a_refusal_in_the_caller_s_language(world, procedure, api):
    response = _post(api, _received(procedure="QT-99"), lang="en")
    assert response.json()["error"]["message"] == "No procedure has code 'QT-99'."


def test_it_refuses_a_unit_outside_the_system_s_units(world, procedure):
    snv = _client(_system("snv", [world.snv]))
    response = _post(snv, _received())
    assert response.status_code == 403 and response.json()["error"]["code"] == "out_of_scope"
    assert not Case.objects.exists()


def test_it_does_not_let_a_system_move_another_unit_s_case(world, procedure, api):
    _post(api, _received())
    snv = _client(_system("snv", [world.snv]))
    response = _post(
        snv, {"id": "e2", "type": "step_done", "case": "HS-1", "step": 1, "on": "2025-02-04"}
    )
    assert response.json()["error"]["code"] == "unknown_case"
    assert Case.objects.get(code="HS-1").current_position == 1


@pytest.mark.parametrize("header", ["", "Token nope", "Bearer x"])
def test_it_refuses_a_wrong_or_missing_token(world, procedure, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = _post(client, _received())
    assert response.status_code == 401 and not Case.objects.exists()


def test_it_refuses_a_person_s_token(world, procedure, api_for):
    response = _post(api_for("minh"), _received())
    assert response.status_code == 401


def test_it_refuses_the_token_of_an_inactive_system(world, procedure, stc_system):
    client = _client(stc_system)
    stc_system.active = False
    stc_system.save()
    assert _post(client, _received()).status_code == 401


def test_it_restarts_a_returned_case_from_its_new_receipt(world, procedure, api):
    _post(api, _received())
    returned = _post(
        api,
        {
            "id": "e2",
            "type": "returned",
            "case": "HS-1",
            "on": "2025-02-03",
            "reason": "Thiếu bản sao CCCD",
        },
    )
    assert returned.status_code == 201, returned.json()
    blocked = _post(
        api, {"id": "e3", "type": "step_done", "case": "HS-1", "step": 1, "on": "2025-02-04"}
    )
    assert blocked.status_code == 400
    again = _post(api, _received(event_id="e4", on="2025-02-10"))
    assert again.status_code == 201, again.json()
    case = Case.objects.get(code="HS-1")
    assert case.received_on == dt.date(2025, 2, 10)
    assert case.first_received_on == dt.date(2025, 1, 24)
    assert case.due_on == dt.date(2025, 2, 18) and case.returned_on is None
    history = CaseReturn.objects.get(case=case)
    assert (history.received_on, history.resubmitted_on) == (
        dt.date(2025, 1, 24),
        dt.date(2025, 2, 10),
    )


def test_it_refuses_a_second_receipt_of_a_case_not_returned(world, procedure, api):
    _post(api, _received())
    response = _post(api, _received(event_id="e2", on="2025-02-10"))
    assert response.json()["error"]["code"] == "case_exists"


def test_it_answers_each_event_of_a_batch(world, procedure, api):
    events = [
        _received(),
        {"id": "e2", "type": "step_done", "case": "HS-1", "step": 2, "on": "2025-02-04"},
        {"id": "e3", "type": "step_done", "case": "HS-1", "on": "2025-02-04"},
        _received(),
    ]
    response = api.post(BATCH, {"events": events}, format="json")
    assert response.status_code == 200, response.json()
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted", "refused", "refused", "accepted"]
    assert results[1]["error"]["code"] == "step_skipped"
    assert "step" in results[2]["error"]["fields"]
    assert results[3]["duplicate"] is True and results[3]["result"] == results[0]["result"]
