"""The evaluation API: scoped reads (outside: 404), the workflow's writes with versions (409 on
stale), the close with its conflicts, one error format."""

from __future__ import annotations

import pytest

from thenchot.appraisal.testing import approved, evaluation_of, open_period, with_snv_head


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    return open_period(world)


def _url(ev, action=""):  # type: ignore[no-untyped-def]
    return f"/api/v1/evaluations/{ev.pk}/" + (f"{action}/" if action else "")


def test_it_lists_only_what_the_reader_may_see(world, month, api_for):  # type: ignore[no-untyped-def]
    own = api_for("an").get("/api/v1/evaluations/").json()
    assert [r["staff"] for r in own["results"]] == [world.staff["an"].code]
    hoa = {r["staff"] for r in api_for("hoa").get("/api/v1/evaluations/").json()["results"]}
    assert world.staff["an"].code in hoa and world.staff["lan"].code not in hoa
    assert api_for("minh").get(_url(evaluation_of(world, "an"))).status_code == 404
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/evaluations/").status_code in (401, 403)


def test_it_runs_the_workflow_over_the_api(world, month, api_for):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    r = api_for("an").post(
        _url(ev, "self-assess"),
        {"general_points": "27", "task_points": "60", "version": ev.version},
        format="json",
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["status"] == "self_assessed"
    stale = api_for("hoa").post(_url(ev, "review"), {"version": ev.version}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "concurrent_update"
    r = api_for("hoa").post(_url(ev, "review"), {"version": body["version"]}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "reviewed"
    denied = api_for("hoa").post(
        _url(ev, "approve"), {"version": r.json()["version"]}, format="json"
    )
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "out_of_scope"
    ok = api_for("son").post(_url(ev, "approve"), {"version": r.json()["version"]}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"


def test_it_refuses_bad_points_in_the_error_format(world, month, api_for):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    r = api_for("an").post(
        _url(ev, "self-assess"),
        {"general_points": "45", "task_points": "60", "version": ev.version, "typo": 1},
        format="json",
    )
    assert r.status_code == 400
    assert "typo" in r.json()["error"]["fields"]
    r = api_for("an").post(
        _url(ev, "self-assess"),
        {"general_points": "45", "task_points": "60", "version": ev.version},
        format="json",
    )
    assert r.status_code == 400 and "general_points" in r.json()["error"]["fields"]
    assert evaluation_of(world, "an").status == "draft"


def test_it_closes_and_lists_quota_conflicts(world, month, api_for):  # type: ignore[no-untyped-def]
    for ev in month.evaluations.all():
        approved(ev, general="25", tasks="55")
    approved(evaluation_of(world, "lan"), general="30", tasks="65")
    approved(evaluation_of(world, "quan"), general="30", tasks="64")
    r = api_for("son").post(
        "/api/v1/evaluation-periods/close/", {"unit": "SNV", "period": month.code}, format="json"
    )
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "quota_conflict" and error["conflicts"][0]["would_move"]
    assert (
        api_for("minh")
        .post(
            "/api/v1/evaluation-periods/close/",
            {"unit": "SNV", "period": month.code},
            format="json",
        )
        .status_code
        == 404
    )
    r = api_for("son").post(
        "/api/v1/evaluation-periods/close/",
        {"unit": "SNV", "period": month.code, "resolve_quota": "by-score"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["periods_closed"] == 1
    # Published inside the agency once closed: an sees lan's result, minh (STC) does not.
    assert api_for("an").get(_url(evaluation_of(world, "lan"))).status_code == 200
    assert api_for("minh").get(_url(evaluation_of(world, "lan"))).status_code == 404
