"""The evaluation list reads only what it answers (issue 18): a person's own list of a period by
one query compiled once, the same answer as the scoped list; the list's rows from the columns
the serializer reads, none read again row by row; each row given by a planned read of its
fields, the same as DRF's own."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import closing
from thenchot.appraisal.api.serializers import (
    EvaluationSerializer,
    PublishedEvaluationSerializer,
)
from thenchot.appraisal.selectors import evaluation_queryset
from thenchot.appraisal.testing import (
    add_staff,
    approved,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    add_staff(world, 3)
    return open_period(world)


def _ids_reads(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "LIMIT 5001" in q["sql"]]


def test_it_answers_the_own_list_as_the_scoped_list(world, month, api_for):  # type: ignore[no-untyped-def]
    client = api_for("an")
    with CaptureQueriesContext(connection) as queries:
        own = client.get(f"/api/v1/evaluations/?period={month.code}")
    assert own.status_code == 200
    assert _ids_reads(queries) == []  # the own read, not the scoped ids and page
    # `page=1` takes the scoped path: the same answer.
    scoped = client.get(f"/api/v1/evaluations/?period={month.code}&page=1")
    assert own.json() == scoped.json()
    assert own.json()["count"] == 1 and own.json()["results"][0]["access"] == "full"
    assert own.json()["results"][0]["staff"] == world.staff["an"].code


def test_it_answers_an_empty_own_list_as_the_scoped_list(world, month, api_for):  # type: ignore[no-untyped-def]
    client = api_for("an")
    own = client.get("/api/v1/evaluations/?period=2001-01")
    scoped = client.get("/api/v1/evaluations/?period=2001-01&page=1")
    assert own.status_code == scoped.status_code == 200
    assert own.json() == scoped.json() and own.json()["count"] == 0


def test_it_lists_the_published_rows_through_the_scope(world, api_for):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    add_staff(world, 3)
    code = month_before(this_month())
    period = open_period(world, code)
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="50")
    closing.close_period(unit=world.snv, period=code, by=world.user("son"))
    client = api_for("an")  # a colleague's closed results are published to An
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/api/v1/evaluations/?period={code}").json()
    assert _ids_reads(queries) != []  # not the own read: there is a publication
    assert body["count"] == period.evaluations.count() > 1
    assert {r["access"] for r in body["results"]} == {"full", "published"}


def test_it_keeps_the_manager_on_the_scoped_list(world, month, api_for):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        body = api_for("hoa").get(f"/api/v1/evaluations/?period={month.code}").json()
    assert _ids_reads(queries) != []
    units = {r["unit"] for r in body["results"]}
    assert body["count"] > 1 and units == {world.snv_tc.code}


def test_it_reads_no_column_row_by_row(world, month, api_for):  # type: ignore[no-untyped-def]
    client = api_for("son")  # the approver: every SNV row of the month
    url = f"/api/v1/evaluations/?period={month.code}"
    with CaptureQueriesContext(connection) as one:
        small = client.get(f"{url}&page_size=1").json()
    with CaptureQueriesContext(connection) as many:
        whole = client.get(f"{url}&page_size=500").json()
    assert len(whole["results"]) > 3 and len(small["results"]) == 1
    assert len(many.captured_queries) == len(one.captured_queries)
    assert set(whole["results"][0]) == set(EvaluationSerializer.Meta.fields)


def _drf(serializer: serializers.Serializer, row: Any) -> dict[str, Any]:
    return dict(serializers.Serializer.to_representation(serializer, row))


def test_it_gives_each_row_as_drf_does(world, month):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("son"))
    rows = list(evaluation_queryset(scope))
    rows[0].reasons = [{"detail": "x"}]
    rows[0].general_points = None
    full = EvaluationSerializer(context={"scope": scope})
    published = PublishedEvaluationSerializer(context={"scope": scope})
    for row in rows:
        assert full.to_representation(row) == _drf(full, row)
        assert published.to_representation(row) == _drf(published, row)


def test_it_falls_back_to_drf_for_a_row_it_cannot_read(world) -> None:  # type: ignore[no-untyped-def]
    unit = SimpleNamespace(code="SNV-TC")
    period = SimpleNamespace(status="open", agency=SimpleNamespace(code="SNV"))
    staff = SimpleNamespace(code="A1", full_name="Nguyễn Văn An")
    row = SimpleNamespace(id=1, staff=staff, unit=unit, period=period, period_code="2026-12")
    serializer = PublishedEvaluationSerializer(context={})
    shown = serializer.to_representation(row)  # no final_level: DRF leaves the field out
    assert shown == _drf(serializer, row) and "final_level" not in shown
    row.final_level = lambda: "good"  # a callable: DRF calls it
    assert serializer.to_representation(row) == _drf(serializer, row)
    assert serializer.to_representation(row)["final_level"] == "good"
