"""The per-unit statistics page: default root and dates, the table with its total row, drill
down along the tree, the chart data, the XLSX export, and refusals."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from openpyxl import load_workbook

from thenchot.directives.models import ExtensionRequest
from thenchot.directives.testing import TaskFactory

pytestmark = pytest.mark.django_db
D = dt.date
RANGE = {"from": "2026-01-01", "to": "2026-06-30", "as_of": "2026-06-30"}


@pytest.fixture
def tasks(world):  # type: ignore[no-untyped-def]
    made = [
        TaskFactory(
            code="S1",
            lead_unit=world.snv_tc,
            assigned_on=D(2026, 2, 1),
            deadline=D(2026, 3, 1),
            completed_on=D(2026, 2, 20),
        ),
        TaskFactory(
            code="S2",
            lead_unit=world.snv_cc,
            assigned_on=D(2026, 2, 1),
            deadline=D(2026, 3, 1),
            completed_on=D(2026, 3, 10),
        ),
        TaskFactory(
            code="S3", lead_unit=world.snv, assigned_on=D(2026, 2, 1), deadline=D(2026, 4, 1)
        ),
        TaskFactory(
            code="S4", lead_unit=world.stc_ns, assigned_on=D(2026, 2, 1), deadline=D(2026, 5, 1)
        ),
    ]
    ExtensionRequest.objects.create(
        task=made[2],
        requested_on=D(2026, 3, 20),
        previous_deadline=D(2026, 4, 1),
        new_deadline=D(2026, 8, 1),
        status="approved",
        decided_on=D(2026, 3, 22),
    )
    return made


def _row(response, code):  # type: ignore[no-untyped-def]
    return next(r for r in response.context["stats"].rows if r.code == code)


def test_it_shows_the_city_table_with_a_total_row(client_for, world, tasks):
    response = client_for("hung").get("/directives/statistics/", RANGE)
    assert response.status_code == 200
    assert response.context["unit"].code == "HN"
    snv, stc = _row(response, "SNV"), _row(response, "STC")
    assert snv.counts["assigned"] == 3 and stc.counts["assigned"] == 1
    assert snv.counts["completed_on_time"] == 1 and snv.counts["completed_late"] == 1
    assert snv.counts["due"] == 2  # S3 was extended past the range
    assert snv.counts["extensions_requested"] == 1 and snv.counts["extensions_approved"] == 1
    assert stc.counts["overdue"] == 1
    total = response.context["stats"].total
    assert total.counts["assigned"] == 4 and total.counts["due"] == 3
    assert b'id="stats-total"' in response.content


def test_it_drills_down_along_the_tree(client_for, world, tasks):
    city = client_for("hung").get("/directives/statistics/", RANGE)
    assert b'unit=SNV" class="stats-drill"' in city.content
    snv = client_for("hung").get("/directives/statistics/", {**RANGE, "unit": "SNV"})
    codes = [r.code for r in snv.context["stats"].rows]
    assert codes[0] == "SNV" and snv.context["stats"].rows[0].is_root_itself
    assert sorted(codes[1:]) == ["SNV-CC", "SNV-TC"]
    assert _row(snv, "SNV-TC").counts["completed_on_time"] == 1
    assert [u.code for u in snv.context["path"]] == ["HN"]


def test_it_defaults_to_the_readers_top_unit_and_this_year(client_for, world, tasks):
    response = client_for("lan").get("/directives/statistics/")
    assert response.context["unit"].code == "SNV"
    assert response.context["date_from"].month == 1 and response.context["date_from"].day == 1
    assert response.context["as_of"] <= response.context["date_to"]


def test_it_refuses_a_unit_outside_the_readers_scope(client_for, world, tasks):
    response = client_for("lan").get("/directives/statistics/", {**RANGE, "unit": "STC"})
    assert response.status_code == 400
    assert response.context["stats"] is None
    assert b'id="stats-error"' in response.content


def test_it_refuses_a_range_that_ends_before_it_starts(client_for, world, tasks):
    response = client_for("hung").get(
        "/directives/statistics/", {"from": "2026-06-01", "to": "2026-01-01"}
    )
    assert response.status_code == 400 and response.context["stats"] is None


def test_it_feeds_the_chart_from_the_table(client_for, world, tasks):
    response = client_for("hung").get("/directives/statistics/", RANGE)
    content = response.content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in content
    # Every script comes from our own static files (no CDN: the app works offline).
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', content)
    assert sources and all(src.startswith("/static/") for src in sources)
    start = content.index('<script id="stats-chart-data" type="application/json">')
    raw = content[start:].split(">", 1)[1].split("</script>", 1)[0]
    chart = json.loads(raw)
    rows = response.context["stats"].rows
    assert chart["labels"] == [r.name for r in rows]
    assert chart["overdue"] == [r.counts["overdue"] for r in rows]


def test_it_exports_the_table_with_its_total(client_for, world, tasks):
    response = client_for("hung").get("/directives/statistics/", {**RANGE, "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    by_code = {r[0]: r for r in rows}
    assert by_code["SNV"][2] == 3  # assigned
    last = rows[-1]
    assert last[2] == 4 and sheet.cell(row=sheet.max_row, column=1).font.b
