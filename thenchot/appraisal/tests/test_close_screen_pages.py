"""Issue 16: the close screen of a city (300 agencies, 200,000 people) is not one page of every
agency and every result. The summary is counted in the database (the same counts as the rows
give) and shown a page of agencies at a time under the whole unit's line; the results come a page
at a time, every one of them reachable (they were cut at 500); the quota lines shown are those of
the agencies on the page, the export keeps them all."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest
from django.urls import reverse

from thenchot.appraisal import closing
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import add_staff, approved, open_period, with_snv_head
from thenchot.core.context import acting

CLOSE = reverse("appraisal:close")


@pytest.fixture
def city_month(world):  # type: ignore[no-untyped-def]
    """SNV and STC's month approved, then closed for the whole city by score."""
    with_snv_head(world)
    add_staff(world, 6, unit=world.snv_tc, prefix="TC")
    add_staff(world, 5, unit=world.stc, prefix="TX")
    snv = open_period(world)
    open_period(world, snv.code, agency=world.stc)
    for i, ev in enumerate(Evaluation.objects.filter(period_code=snv.code).order_by("pk")):
        approved(ev, general="25", tasks=str(45 + i))
    Evaluation.objects.filter(period_code=snv.code, pk__in=_some(snv.code)).update(is_leader=True)
    return snv.code


def _some(code: str) -> list[int]:
    return list(
        Evaluation.objects.filter(period_code=code).order_by("pk").values_list("pk", flat=True)[:3]
    )


def _close_city(world, code: str) -> None:  # type: ignore[no-untyped-def]
    with acting(source="command", reason="test"):
        closing.close_period(
            unit=world.city, period=code, by=world.user("quan"), resolve_quota="by-score"
        )


def test_the_summary_counts_what_the_rows_count(world, city_month):  # type: ignore[no-untyped-def]
    Evaluation.objects.filter(pk__in=_some(city_month)[:2]).update(status="reviewed")
    expected: dict[str, tuple[Counter[str], Counter[str], dict[str, Counter[str]]]] = {}
    for ev in Evaluation.objects.filter(period_code=city_month).select_related("period__agency"):
        status, levels, groups = expected.setdefault(
            ev.period.agency.code, (Counter(), Counter(), defaultdict(Counter))
        )
        status[ev.status] += 1
        level = ev.final_level or ev.reviewed_level or ev.proposed_level
        if level:
            levels[level] += 1
            groups["leaders" if ev.is_leader else "others"][level] += 1
    lines = vs.agency_summary(world.city.pk, city_month)
    assert sorted(line.code for line in lines) == sorted(expected) == ["SNV", "STC"]
    for line in lines:
        status, levels, groups = expected[line.code]
        assert line.by_status == dict(status)
        assert line.total == sum(status.values())
        assert line.by_level == dict(levels)
        assert line.groups == {g: dict(c) for g, c in groups.items()}
    total = vs.summary_total(lines)
    assert total.total == sum(line.total for line in lines)
    assert total.pending == sum(line.pending for line in lines) == 2


def test_the_city_screen_pages_its_agencies_and_results(client_for, world, city_month, monkeypatch):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.views import close_and_reopen

    _close_city(world, city_month)
    monkeypatch.setattr(close_and_reopen, "SUMMARY_ROWS", 1)
    monkeypatch.setattr(close_and_reopen, "RESULT_ROWS", 4)
    client = client_for("quan", lang="en")
    url = CLOSE + f"?unit=HN&period={city_month}"
    first = client.get(url).content.decode()
    people = Evaluation.objects.filter(period_code=city_month).count()
    # One agency a page, the whole city's line above it.
    assert first.count('class="summary-row"') == 1 and 'data-agency="SNV"' in first
    total = first[first.index('id="summary-total"') :]
    assert "All 2 agencies" in total[: total.index("</tr>")]
    assert f'<td class="text-end">{people}</td>' in total[: total.index("</tr>")]
    assert 'id="summary-pages"' in first and "agencies=2" in first
    second = client.get(url + "&agencies=2").content.decode()
    assert 'data-agency="STC"' in second and 'class="summary-row" data-agency="SNV"' not in second
    # The quota lines shown are those of the agency on the page.
    assert "quota-line" in first and "Sở Tài chính" not in _quota_block(first)
    assert "Sở Nội vụ" not in _quota_block(second)
    # Every result on some page, once.
    seen: list[str] = []
    number = 1
    while True:
        html = client.get(url + f"&page={number}").content.decode()
        rows = re.findall(r'class="result-row" data-staff="([^"]+)"', html)
        if not rows or (seen and rows[0] in seen):
            break
        seen += rows
        number += 1
    assert len(seen) == len(set(seen)) == people > 4
    assert f"Results 1–4 of {people}" in first


def _quota_block(html: str) -> str:
    block = html[html.index('id="close-results"') :]
    return block[: block.index('id="results-table"')]


def test_the_export_keeps_every_agencys_quota_lines(client_for, world, city_month, monkeypatch):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.views import close_and_reopen

    _close_city(world, city_month)
    monkeypatch.setattr(close_and_reopen, "SUMMARY_ROWS", 1)
    client = client_for("quan", lang="en")
    response = client.get(CLOSE + f"?unit=HN&period={city_month}&format=xlsx")
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    names = {str(c.value) for row in sheet.iter_rows() for c in row if c.value}
    assert {"Sở Nội vụ", "Sở Tài chính"} <= names


def test_the_preview_names_the_first_people_not_ready_and_links_to_the_board(
    client_for, world, city_month, monkeypatch
):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.views import close_and_reopen

    monkeypatch.setattr(close_and_reopen, "NOT_READY_SHOWN", 2)
    Evaluation.objects.filter(period_code=city_month, period__agency=world.snv).update(
        status="reviewed"
    )
    html = client_for("son", lang="en").get(CLOSE + f"?unit=SNV&period={city_month}")
    html = html.content.decode()
    waiting = Evaluation.objects.filter(period_code=city_month, period__agency=world.snv).count()
    assert html.count('class="not-ready-line"') == 2
    more = html[html.index('id="not-ready-more"') :]
    assert f"2 of {waiting} shown." in more and "/appraisal/board/?unit=SNV" in more


def test_a_refused_action_keeps_page_links_to_the_screen(
    client_for, world, city_month, monkeypatch
):  # type: ignore[no-untyped-def]
    """The screen shown in answer to a refused POST links its pages to the screen itself (the
    action's address answers POST only)."""
    from thenchot.appraisal.views import close_and_reopen

    _close_city(world, city_month)
    monkeypatch.setattr(close_and_reopen, "SUMMARY_ROWS", 1)
    response = client_for("quan", lang="en").post(
        reverse("appraisal:close_act"), {"unit": "HN", "period": city_month, "action": "choose"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="{CLOSE}?unit=HN&amp;period={city_month}&amp;agencies=2"' in html


def test_a_closed_periods_counts_are_kept_until_it_is_reopened(world, city_month):  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thenchot.appraisal import reopening
    from thenchot.appraisal.models import EvaluationPeriod

    cache.clear()
    _close_city(world, city_month)
    first = {line.code: line.by_status for line in vs.agency_summary(world.city.pk, city_month)}
    assert first["SNV"] == {"closed": Evaluation.objects.filter(period__agency=world.snv).count()}
    with CaptureQueriesContext(connection) as kept:
        again = vs.agency_summary(world.city.pk, city_month)
    assert {line.code: line.by_status for line in again} == first
    assert not [q for q in kept.captured_queries if "COUNT(" in q["sql"]]
    period = EvaluationPeriod.objects.get(agency=world.snv, code=city_month)
    reopening.reopen_period(
        period=period,
        decision="12/QĐ-UBND",
        decided_on=dt.date.today(),
        reason="Sai sót khi tổng hợp",
        by=world.user("quan"),
    )
    after = {line.code: line.by_status for line in vs.agency_summary(world.city.pk, city_month)}
    assert "closed" not in after["SNV"] and after["STC"] == first["STC"]
