"""The self-assessment over the API reads the evaluation once: the scoped read is the lock
(issue 18), and every refusal still comes in the order the scope asks: out of scope a 404
whatever the body, then the body (400), then the workflow (403, 409)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from thenchot.appraisal import services
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import evaluation_of, open_period, with_snv_head
from thenchot.core.errors import OutOfScope

pytestmark = pytest.mark.django_db
BODY = {"general_points": "27", "task_points": "60"}


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    return open_period(world)


def _url(ev: Evaluation) -> str:
    return f"/api/v1/evaluations/{ev.pk}/self-assess/"


def _reads_of_the_row(queries: CaptureQueriesContext, ev: Evaluation) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and 'FROM "appraisal_evaluation"' in q["sql"]
    ]


def test_it_reads_the_evaluation_once(world, month, api_for):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    client = api_for("an")
    with CaptureQueriesContext(connection) as queries:
        r = client.post(_url(ev), {**BODY, "version": ev.version}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "self_assessed" and r.json()["access"] == "full"
    reads = _reads_of_the_row(queries, ev)
    assert len(reads) == 1, reads
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in reads[0]
    saved = Evaluation.objects.get(pk=ev.pk)
    assert saved.status == "self_assessed" and saved.version == ev.version + 1
    assert r.json()["version"] == saved.version


def test_it_answers_404_out_of_scope_whatever_the_body(world, month, api_for):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    for body in ({**BODY, "version": ev.version}, {"typo": 1}, {**BODY, "version": 999}):
        r = api_for("minh").post(_url(ev), body, format="json")  # another agency
        assert r.status_code == 404, (body, r.status_code)
    assert Evaluation.objects.get(pk=ev.pk).status == "draft"


def test_it_answers_403_to_the_manager_who_reads_it(world, month, api_for):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    r = api_for("hoa").post(_url(ev), {**BODY, "version": ev.version}, format="json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "out_of_scope"
    assert Evaluation.objects.get(pk=ev.pk).status == "draft"


def test_it_refuses_a_stale_version_and_changes_nothing(world, month, api_for):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    r = api_for("an").post(_url(ev), {**BODY, "version": ev.version + 1}, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "concurrent_update"
    assert Evaluation.objects.get(pk=ev.pk).version == ev.version


def test_it_refuses_a_login_without_a_staff_record(world, month, api_for):  # type: ignore[no-untyped-def]
    """A staff record without a login must not match a user through an empty link."""
    from thenchot.people.models import Staff

    ev = evaluation_of(world, "an")
    Staff.objects.filter(pk=ev.staff_id).update(user=None)
    ev.refresh_from_db()
    with transaction.atomic():
        locked = Evaluation.objects.select_related("staff", "period").get(pk=ev.pk)
        with pytest.raises(OutOfScope):
            services.self_assess(
                evaluation=locked,
                by=world.user("quan"),
                general_points="27",
                task_points="60",
                locked=True,
            )


@pytest.mark.django_db(transaction=True)
def test_it_will_not_take_a_row_as_locked_outside_a_transaction(world, month):  # type: ignore[no-untyped-def]
    ev = Evaluation.objects.select_related("staff", "period").get(pk=evaluation_of(world, "an").pk)
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError):
        services.self_assess(
            evaluation=ev, by=world.user("an"), general_points="27", task_points="60", locked=True
        )


def test_it_reads_ones_own_evaluation_as_the_scoped_read_does(world, month):  # type: ignore[no-untyped-def]
    """The compiled read of one's own row gives the row the scoped queryset gives."""
    from thenchot.accounts.scoping import compute_scope
    from thenchot.appraisal import selectors

    scope = compute_scope(world.user("an"))
    ev = evaluation_of(world, "an")
    got = selectors.own_evaluation(scope, ev.pk)
    expected = selectors.evaluation_queryset(scope).get(pk=ev.pk)
    assert got is not None and got.full_access is True and expected.full_access is True
    for name in ("pk", "version", "status", "period_code", "rule_pack", "staff_id", "unit_id"):
        assert getattr(got, name) == getattr(expected, name), name
    assert got.period.agency.code == expected.period.agency.code
    assert got.staff.full_name == expected.staff.full_name and got.unit.code == expected.unit.code
    assert got.period.self_due == expected.period.self_due
    # Not one's own: nothing, whoever may read it otherwise.
    assert selectors.own_evaluation(compute_scope(world.user("hoa")), ev.pk) is None
    assert selectors.own_evaluation(compute_scope(world.user("quan")), ev.pk) is None


def test_an_id_past_64_bits_is_a_404_not_a_server_error(world, month, api_for):  # type: ignore[no-untyped-def]
    client = api_for("an")  # a person with an evaluation of their own: the own-row path is tried
    huge = 51432260098544263168
    assert client.get(f"/api/v1/evaluations/{huge}/").status_code == 404
    assert (
        client.post(f"/api/v1/evaluations/{huge}/self-assess/", BODY, format="json").status_code
        == 404
    )
