"""The self-assessment page reads the pack's parameters once (issue 18) for both the level its
saved points suggest and the score bands the page scripts use, and shows what
`views_support.level_for_points` would for the points."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.appraisal import views_support as vs
from thenchot.appraisal.testing import evaluation_of, open_period, with_snv_head
from thenchot.appraisal.views.personal import _bands, _pack_bands, _suggested_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    return open_period(world)


def test_it_reads_the_parameters_once(world, month, client_for, api_for):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")  # sent: its task points are kept, not computed anew
    body = {"general_points": "27", "task_points": "60", "version": ev.version}
    sent = api_for("an").post(f"/api/v1/evaluations/{ev.pk}/self-assess/", body, format="json")
    assert sent.status_code == 200
    client = client_for("an")
    with CaptureQueriesContext(connection) as queries:
        r = client.get("/appraisal/me/")
    assert r.status_code == 200
    reads = [q for q in queries.captured_queries if "appraisal_packparameterset" in q["sql"]]
    assert len(reads) == 1
    assert r.context["bands"] and r.context["bands"][-1] == ("-1", "not_complete")


@pytest.mark.parametrize("points", [None, "0", "49.5", "50", "70", "84.99", "90", "100"])
def test_it_suggests_the_level_the_bands_give(world, month, points) -> None:  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    total = None if points is None else Decimal(points)
    bands = _pack_bands(ev)
    assert _suggested_level(bands, total) == vs.level_for_points(ev, total)
    assert [level for _from, level in _bands(bands)] == [
        "excellent",
        "good",
        "complete",
        "not_complete",
    ]


def test_it_has_no_bands_for_an_unknown_pack(world, month) -> None:  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    ev.rule_pack = "no-such-pack"
    assert _pack_bands(ev) is None and _bands(None) == []
    assert _suggested_level(None, Decimal(80)) == vs.level_for_points(ev, Decimal(80)) == ""
