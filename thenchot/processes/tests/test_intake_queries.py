"""The intake's cost per event is fixed: a batch of case events takes a set number of SQL queries
per event whatever the batch's size, so an N+1 read slipped into the path fails here (issue 13:
200 events/s). The figures are the SQLite ones the tests run on; PostgreSQL runs the same
statements."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from thenchot.accounts.testing import UserFactory
from thenchot.processes.intake import hash_token, issue_token
from thenchot.processes.models import Case, IntakeEvent, IntakeSystem

BATCH = "/api/v1/processes/intake/batch/"

# Queries of one case's life in a batch (three events: received, step 1 done, completed; each
# in a savepoint of its own), beyond the batch's own statements: received = savepoint, insert
# the case, insert its steps, release; a step done = savepoint, read the case locked with its
# steps, update the step done, the next step when its dates move, the case, release.
PER_CASE = 15
# Statements of a batch whatever its size: the system by its token, the organisation tree's
# counter, its units, the answers already given, the batch's transaction (begin and commit),
# which of its case codes exist, its procedures and their steps, the answers stored and the
# audit lines written at its end (the calendar is cached between batches).
PER_BATCH = 11
# A batch already answered: the system, the tree's counter, its units and the answers given.
REPEAT = 4


@pytest.fixture
def api(world):
    user = UserFactory.create(username="intake-stc")
    system = IntakeSystem.objects.create(
        code="stc", name="Một cửa STC", user=user, token_hash=hash_token("stc")
    )
    system.units.set([world.stc])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(system)}")
    return client


def _life(n: int) -> list[dict[str, object]]:
    """Case HS-Q-n received on Friday 7 February 2025, its two steps done the next working
    days (8 February is a compensatory working Saturday)."""
    code = f"HS-Q-{n}"
    return [
        {"id": f"{code}-r", "type": "received", "case": code, "procedure": "QT-01",
         "on": "2025-02-07"},
        {"id": f"{code}-1", "type": "step_done", "case": code, "step": 1, "on": "2025-02-08"},
        {"id": f"{code}-c", "type": "completed", "case": code, "on": "2025-02-10"},
    ]  # fmt: skip


def _post(api, events):
    with CaptureQueriesContext(connection) as queries:
        response = api.post(BATCH, {"events": events}, format="json")
    assert response.status_code == 200, response.json()
    assert all(r["status"] == "accepted" for r in response.json()["results"]), response.json()
    return len(queries)


def test_it_takes_a_fixed_number_of_queries_per_event(world, procedure, api):
    from django.db import connection

    _post(api, _life(1))  # warms the caches of the process (content types, calendar)
    one = _post(api, _life(2))
    three = _post(api, [e for n in range(3, 6) for e in _life(n)])
    five = _post(api, [e for n in range(6, 11) for e in _life(n)])
    per_case = (five - one) // 4
    assert (three - one, five - one) == (2 * per_case, 4 * per_case)  # none grows
    if connection.vendor == "sqlite":
        assert (one, per_case) == (PER_BATCH + PER_CASE, PER_CASE)
    else:  # PostgreSQL returns the inserted ids in the insert itself: never more statements
        assert per_case <= PER_CASE
    assert Case.objects.filter(completed_on=dt.date(2025, 2, 10)).count() == 10


def test_it_answers_a_repeated_batch_with_one_read(world, procedure, api):
    events = [e for n in range(1, 4) for e in _life(n)]
    _post(api, events)
    again = _post(api, events)
    assert again == REPEAT
    assert IntakeEvent.objects.count() == len(events)
