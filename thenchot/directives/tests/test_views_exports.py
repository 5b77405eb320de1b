"""XLSX exports of the task and document lists: the same filters as the page, only what the
user may read, real dates shown dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from thenchot.directives.testing import DocumentFactory, TaskFactory

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _sheet(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content)).active


@pytest.fixture
def tasks(world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return [
        TaskFactory(
            code="X-SNV",
            lead_unit=world.snv,
            assigner_unit=world.city,
            assigned_on=today - 30 * DAY,
            deadline=today - 2 * DAY,
        ),
        TaskFactory(
            code="X-TC",
            lead_unit=world.snv_tc,
            assigner_unit=world.snv,
            assigned_on=today - 30 * DAY,
            deadline=today + 9 * DAY,
        ),
        TaskFactory(
            code="X-STC",
            lead_unit=world.stc,
            assigner_unit=world.city,
            assigned_on=today - 30 * DAY,
            deadline=today + 9 * DAY,
        ),
    ]


def test_it_exports_only_the_tasks_in_the_users_scope(client_for, world, tasks):
    sheet = _sheet(client_for("lan").get("/directives/unit/", {"format": "xlsx"}))
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == ["X-SNV", "X-TC"]
    city = _sheet(client_for("hung").get("/directives/unit/", {"format": "xlsx"}))
    assert city.max_row == 4  # header + 3


def test_it_exports_with_the_pages_filters(client_for, world, tasks):
    response = client_for("hung").get("/directives/unit/", {"format": "xlsx", "status": "overdue"})
    sheet = _sheet(response)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["X-SNV"]
    assert 'filename="tasks-unit-' in response["Content-Disposition"]


def test_it_writes_dates_as_dates_and_headers_in_the_users_language(client_for, world, tasks):
    response = client_for("hung", lang="en").get(
        "/directives/unit/", {"format": "xlsx", "sort": "code"}
    )
    sheet = _sheet(response)
    headers = [c.value for c in sheet[1]]
    with translation.override("en"):
        assert headers[:2] == ["Code", "Title"]
        status_col = headers.index("Status")
        deadline_col = headers.index("Effective deadline")
    first = sheet[2]
    assert first[0].value == "X-SNV"
    assert first[deadline_col].value.date() == tasks[0].deadline
    assert first[deadline_col].number_format == "dd/mm/yyyy"
    assert first[status_col].value == "Overdue"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:P{sheet.max_row}"


def test_it_exports_nothing_of_other_units_to_a_division(client_for, world, tasks):
    sheet = _sheet(client_for("hoa").get("/directives/unit/", {"format": "xlsx"}))
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["X-TC"]
    nothing = _sheet(client_for("an").get("/directives/", {"format": "xlsx"}))
    assert nothing.max_row == 1  # the header only


def test_it_exports_documents_with_their_filters(client_for, world):
    DocumentFactory(code="KL-A", kind="conclusion", title="Kết luận về cải cách hành chính")
    DocumentFactory(code="CT-B", kind="directive", title="Chỉ thị về kỷ luật, kỷ cương")
    sheet = _sheet(
        client_for("an").get("/directives/documents/", {"format": "xlsx", "kind": "directive"})
    )
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["CT-B"]
