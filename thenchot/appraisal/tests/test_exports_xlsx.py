"""XLSX exports of the evaluation pages: the manager's board, "my results" and the close screen's
use of the quota — each holding what its page shows to that reader, real dates shown dd/mm/yyyy,
headers in the reader's language — and nothing for a reader the page refuses."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from thenchot.appraisal import closing, selectors, services
from thenchot.appraisal.choices import Level
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.testing import (
    add_staff,
    approved,
    evaluation_of,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)

BOARD = reverse("appraisal:board")
RESULTS = reverse("appraisal:results")
CLOSE = reverse("appraisal:close")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _book(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment")
    return load_workbook(io.BytesIO(response.content))


def _table(sheet) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _cell(sheet, header: str, row: int):  # type: ignore[no-untyped-def]
    headers = [c.value for c in sheet[1]]
    return sheet.cell(row=row, column=headers.index(header) + 1)


def _en(text: Any) -> str:
    with translation.override("en"):
        return str(text)


def _not_a_workbook(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code in (403, 404) and response["Content-Type"] != XLSX


# -- the manager's board ---------------------------------------------------------------------------
@pytest.fixture
def board(world):  # type: ignore[no-untyped-def]
    """SNV-TC this month: an self-assessed, the others not yet; last month closed (an good)."""
    with_snv_head(world)
    add_staff(world, 2, unit=world.snv_tc, prefix="TC")
    last = open_period(world, month_before(this_month()))
    for ev in last.evaluations.all():
        approved(ev, general="25", tasks="55")
    closing.close_period(unit=world.snv, period=last.code)
    period = open_period(world)
    services.self_assess(
        evaluation=evaluation_of(world, "an"),
        by=world.user("an"),
        general_points="26",
        task_points="60",
    )
    return period


def test_the_board_exports_everyone_those_not_submitted_and_the_levels(client_for, world, board):  # type: ignore[no-untyped-def]
    response = client_for("hoa", lang="en").get(
        BOARD, {"unit": "SNV-TC", "period": board.code, "format": "xlsx"}
    )
    book = _book(response)
    assert 'filename="board-SNV-TC-' in response["Content-Disposition"]
    assert book.sheetnames == ["Evaluations", "Not submitted", "Levels"]
    people = _table(book["Evaluations"])
    on_page = client_for("hoa").get(BOARD, {"unit": "SNV-TC", "period": board.code})
    assert len(people) == on_page.content.decode().count('class="board-row') == 4
    an = next(p for p in people if p["Staff code"] == world.staff["an"].code)
    assert an["Name"] == "Nguyễn Văn An" and an["Unit"] == "Phòng Tổ chức"
    assert an["Status"] == "Self-assessed" and an["Total"] == 86
    assert an["General points"] == 26 and an["Task points"] == 60
    assert an["Last month"] == _en(Level.GOOD.label)
    assert an["Self-assessed on"] == dt.datetime.combine(timezone.localdate(), dt.time())
    row = people.index(an) + 2
    assert _cell(book["Evaluations"], "Self-assessed on", row).number_format == "dd/mm/yyyy"
    waiting = _table(book["Not submitted"])
    assert {w["Staff code"] for w in waiting} == {"TC0000", "TC0001", world.staff["hoa"].code}
    assert all(
        w["Self-assessment due"] == dt.datetime.combine(board.self_due, dt.time()) for w in waiting
    )
    levels = {line["Level"]: line for line in _table(book["Levels"])}
    good = levels[_en(Level.GOOD.label)]
    assert good[month_before(this_month())] == 4 and good["Difference"] == good[board.code] - 4


def test_the_board_export_has_vietnamese_headers_by_default(client_for, world, board):  # type: ignore[no-untyped-def]
    book = _book(client_for("hoa").get(BOARD, {"unit": "SNV-TC", "format": "xlsx"}))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    with translation.override("vi"):
        assert headers[:4] == [
            translation.gettext("Staff code"),
            translation.gettext("Name"),
            translation.gettext("Unit"),
            translation.gettext("Status"),
        ]
    assert headers[0] == "Mã cán bộ"


def test_the_board_export_is_refused_to_a_reader_the_page_refuses(client_for, world, board):  # type: ignore[no-untyped-def]
    query = {"unit": "SNV-TC", "period": board.code, "format": "xlsx"}
    assert _not_a_workbook(client_for("minh").get(BOARD, query))  # another agency's head
    assert client_for("minh").get(BOARD, query).status_code == 404
    assert client_for("an").get(BOARD, query).status_code == 404  # staff: no board
    assert client_for("an").get(BOARD, {"format": "xlsx"}).status_code == 403


def test_the_board_export_of_another_units_subtree_holds_only_it(client_for, world, board):  # type: ignore[no-untyped-def]
    book = _book(client_for("minh").get(BOARD, {"unit": "STC", "format": "xlsx"}))
    codes = {p["Staff code"] for p in _table(book.worksheets[0])}
    assert world.staff["an"].code not in codes


# -- my results ------------------------------------------------------------------------------------
@pytest.fixture
def results(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    code = month_before(this_month())
    period = open_period(world, code)
    for name, general, tasks in (
        ("an", "26", "60"), ("lan", "25", "50"), ("quan", "15", "30"),
        ("hoa", "25", "50"), ("son", "25", "50"),
    ):  # fmt: skip
        approved(evaluation_of(world, name, code), general=general, tasks=tasks)
    closing.close_period(unit=world.snv, period=code, by=world.user("son"))
    open_period(world)  # this month: a draft of an's
    return period


def test_my_results_export_my_months_with_reasons_and_the_year(client_for, world, results):  # type: ignore[no-untyped-def]
    year = int(results.code[:4])
    response = client_for("an", lang="en").get(RESULTS, {"year": year, "format": "xlsx"})
    book = _book(response)
    assert 'filename="results-' in response["Content-Disposition"]
    history = _table(book["Month by month"])
    assert [h["Period"] for h in history] == [this_month(), results.code]
    closed = history[1]
    assert closed["Level"] == _en(Level.GOOD.label) and closed["Score"] == 86
    assert closed["Starts on"] == dt.datetime.combine(results.starts_on, dt.time())
    assert _cell(book["Month by month"], "Ends on", 3).number_format == "dd/mm/yyyy"
    ev = evaluation_of(world, "an", results.code)
    with translation.override("en"):
        assert closed["Reasons"] == "\n".join(selectors.reasons_text(ev.reasons))
    assert history[0]["Level"] is None and history[0]["Reasons"] is None
    rollups = _table(book[f"Quarters and year {year}"])
    assert str(year) in [r["Period"] for r in rollups]


def test_my_results_export_holds_only_my_own_history(client_for, world, results):  # type: ignore[no-untyped-def]
    book = _book(client_for("hoa").get(RESULTS, {"format": "xlsx"}))
    history = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert len(history) == 2  # hoa's two months, never the people she manages


def test_my_results_export_is_refused_without_a_staff_record(client, world, results):  # type: ignore[no-untyped-def]
    from thenchot.accounts.testing import UserFactory

    client.force_login(UserFactory(username="khach"))
    assert _not_a_workbook(client.get(RESULTS, {"format": "xlsx"}))


def test_my_results_export_needs_a_login(client, world, results):  # type: ignore[no-untyped-def]
    response = client.get(RESULTS, {"format": "xlsx"})
    assert response.status_code in (302, 403) and response["Content-Type"] != XLSX


# -- the use of the quota --------------------------------------------------------------------------
@pytest.fixture
def quota(world):  # type: ignore[no-untyped-def]
    """SNV's month with two excellent non-leaders among thirteen, closed by score."""
    with_snv_head(world)
    extras = add_staff(world, 10, unit=world.snv_tc, prefix="TC")
    period = open_period(world)
    for staff in extras:
        approved(Evaluation.objects.get(staff=staff, period=period), general="25", tasks="50")
    for name, general, tasks in (
        ("an", "29", "65"), ("lan", "28", "64"), ("quan", "25", "55"),
        ("hoa", "25", "55"), ("son", "25", "55"),
    ):  # fmt: skip
        approved(evaluation_of(world, name), general=general, tasks=tasks)
    return period


def _quota_rows(client, **extra: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    response = client.get(CLOSE, {"unit": "SNV", "period": this_month(), "format": "xlsx", **extra})
    book = _book(response)
    assert 'filename="quota-SNV-' in response["Content-Disposition"]
    return _table(book["Quota use"])


def test_the_quota_use_exports_what_the_close_wrote(client_for, world, quota):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=quota.code, resolve_quota="by-score")
    quota.refresh_from_db()
    assert quota.quota_use
    html = client_for("lan").get(CLOSE, {"unit": "SNV", "period": quota.code}).content.decode()
    assert 'id="quota-export"' in html and html.count("quota-line") == len(quota.quota_use)
    rows = _quota_rows(client_for("lan", lang="en"))
    assert len(rows) == len(quota.quota_use)
    for row, use in zip(rows, quota.quota_use, strict=True):
        assert row["Agency code"] == "SNV" and row["Agency"] == "Sở Nội vụ"
        assert row["Period"] == quota.code and row["State"] == "closed"
        assert row["Excellent used"] == use["top"] and row["Allowed"] == use["allowed"]
        assert row["Base"] == use["base"] and row["Over the quota"] is False
        assert Decimal(str(row["Ratio (%)"])) == Decimal(use["ratio"]) * 100
    assert any(r["Group"] == "Non-leaders" for r in rows)


def test_the_quota_use_of_an_open_period_is_a_preview(client_for, world, quota):  # type: ignore[no-untyped-def]
    html = client_for("son").get(CLOSE, {"unit": "SNV", "period": quota.code}).content.decode()
    assert 'id="quota-export"' in html  # the head sees the preview's quota use
    rows = _quota_rows(client_for("son", lang="en"))
    assert rows and {r["State"] for r in rows} == {"preview (not closed)"}
    assert {r["Agency"] for r in rows} == {"Sở Nội vụ"}
    assert EvaluationPeriod.objects.get(pk=quota.pk).status == "open"  # nothing written


def test_the_quota_use_export_is_refused_to_a_reader_the_page_refuses(client_for, world, quota):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=quota.code, resolve_quota="by-score")
    query = {"unit": "SNV", "period": quota.code, "format": "xlsx"}
    assert client_for("minh").get(CLOSE, query).status_code == 404
    assert _not_a_workbook(client_for("binh").get(CLOSE, query))
    assert client_for("an").get(CLOSE, query).status_code == 404
    assert client_for("an").get(CLOSE, {"format": "xlsx"}).status_code == 403


def test_the_quota_use_export_of_another_agency_is_empty_of_snv(client_for, world, quota):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=quota.code, resolve_quota="by-score")
    book = _book(
        client_for("minh", lang="en").get(
            CLOSE, {"unit": "STC", "period": quota.code, "format": "xlsx"}
        )
    )
    assert _table(book["Quota use"]) == []
