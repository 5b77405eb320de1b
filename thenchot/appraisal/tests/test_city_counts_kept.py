"""Issue 16: the city's board by agency and its close screen read each period's counts kept by
`appraisal.summary` instead of counting a city's month on every view — the same figures as the
rows give, and a self-assessment, a review, a bulk approval, a quota choice, a close or a
reopening shows on the next view. The city's own agency on the board by agency is shown by its
divisions, each a link to its board (it linked to the board it was on)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thenchot.appraisal import closing, reopening, services, summary
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.testing import add_staff, approved, open_period, with_snv_head
from thenchot.core.context import acting
from thenchot.core.registry import bulk_written

BOARD = reverse("appraisal:board")


@pytest.fixture
def city(world):  # type: ignore[no-untyped-def]
    """An open month of SNV, STC and the city's own office (a division of the city itself),
    every evaluation a draft."""
    from thenchot.org.testing import UnitFactory

    with_snv_head(world)
    office = UnitFactory.create(
        code="HN-VP", name="Văn phòng Thành phố", kind="division", parent=world.city
    )
    add_staff(world, 4, unit=world.snv_tc, prefix="TC")
    add_staff(world, 3, unit=world.stc, prefix="TX")
    add_staff(world, 2, unit=office, prefix="VP")
    snv = open_period(world)
    open_period(world, snv.code, agency=world.stc)
    open_period(world, snv.code, agency=world.city)
    return snv.code


@pytest.fixture
def small_board(monkeypatch):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.views import manager_board

    monkeypatch.setattr(manager_board, "BOARD_MAX", 5)


def _rows_by_agency(code: str) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for agency, status in Evaluation.objects.filter(period_code=code).values_list(
        "period__agency__code", "status"
    ):
        out[agency][status] += 1
    return out


def _board_counts(html: str) -> dict[str, dict[str, int]]:
    """Each agency line of the board by agency: its people and its cells by status, in order."""
    out = {}
    for code, cells in re.findall(
        r'<tr class="board-agency" data-agency="([^"]+)">(.*?)</tr>', html, flags=re.S
    ):
        numbers = [
            int(x.replace(".", "")) for x in re.findall(r'class="text-end">([\d.]+)<', cells)
        ]
        statuses = [s for s, _label in EvaluationStatus.choices]
        out[code] = {"total": numbers[0], **dict(zip(statuses, numbers[1:], strict=True))}
    return out


def _periods_in(sql: str) -> set[int]:
    """The periods a grouped count of evaluations asked for."""
    found = re.search(r'"period_id" IN \(([\d, ]+)\)', sql)
    assert found is not None, sql
    return {int(x) for x in found.group(1).split(",")}


def _table(html: str) -> str:
    return html.split('id="board-agencies"')[1].split("</table>")[0]


def _expected(code: str) -> dict[str, dict[str, int]]:
    statuses = [s for s, _label in EvaluationStatus.choices]
    return {
        agency: {"total": sum(c.values()), **{s: c.get(s, 0) for s in statuses}}
        for agency, c in _rows_by_agency(code).items()
    }


def _login(ev: Evaluation):  # type: ignore[no-untyped-def]
    from thenchot.accounts.testing import UserFactory

    if ev.staff.user is None:
        ev.staff.user = UserFactory(username=f"u-{ev.staff.code.lower()}")
        ev.staff.save(update_fields=["user"])
    return ev.staff.user


def _one_of_tc(world, code: str) -> Evaluation:  # type: ignore[no-untyped-def]
    """Someone of SNV-TC other than its manager (who reviews them)."""
    rows = Evaluation.objects.filter(period_code=code, unit=world.snv_tc)
    return rows.exclude(staff=world.staff["hoa"]).order_by("pk").first()


def _self_assess(ev: Evaluation) -> None:
    ev.refresh_from_db()
    services.self_assess(
        evaluation=ev, by=_login(ev), general_points="25", task_points="50", proposed_level="good"
    )


def test_the_citys_board_counts_what_the_rows_count_and_follows_each_write(
    client_for, world, city, small_board
):  # type: ignore[no-untyped-def]
    reader = client_for("quan")
    url = f"{BOARD}?unit=HN&period={city}"
    first = _board_counts(reader.get(url).content.decode())
    assert first == _expected(city) and set(first) == {"HN", "SNV", "STC"}
    # A self-assessment (one record, audited) shows on the next view.
    ev = _one_of_tc(world, city)
    _self_assess(ev)
    second = _board_counts(reader.get(url).content.decode())
    assert second == _expected(city)
    assert second["SNV"]["self_assessed"] == first["SNV"]["self_assessed"] + 1
    # A review (one record), then a bulk approval (a bulk write).
    ev.refresh_from_db()
    services.review(evaluation=ev, by=world.user("hoa"))
    assert _board_counts(reader.get(url).content.decode())["SNV"]["reviewed"] == 1
    services.bulk_approve(evaluations=[ev.pk], by=world.user("son"))
    third = _board_counts(reader.get(url).content.decode())
    assert third == _expected(city) and third["SNV"]["approved"] == 1


def test_the_citys_board_is_counted_once_until_a_write(client_for, world, city, small_board):  # type: ignore[no-untyped-def]
    reader = client_for("quan")
    url = f"{BOARD}?unit=HN&period={city}"
    reader.get(url)
    with CaptureQueriesContext(connection) as again:
        reader.get(url)
    assert not [q for q in again.captured_queries if 'appraisal_evaluation"' in q["sql"]]
    _self_assess(Evaluation.objects.filter(period_code=city, unit=world.snv_tc).first())
    with CaptureQueriesContext(connection) as after:
        reader.get(url)
    counted = [q["sql"] for q in after.captured_queries if "COUNT(" in q["sql"]]
    assert len(counted) == 1  # the period written, only
    snv = EvaluationPeriod.objects.get(agency=world.snv, code=city)
    stc = EvaluationPeriod.objects.get(agency=world.stc, code=city)
    assert _periods_in(counted[0]) == {snv.pk} and snv.pk != stc.pk


def test_the_citys_own_agency_is_shown_by_its_divisions(client_for, world, city, small_board):  # type: ignore[no-untyped-def]
    html = _table(client_for("quan").get(f"{BOARD}?unit=HN&period={city}").content.decode())
    own = html.split('data-agency="HN">')[1].split("</tr>")[0]
    assert "?unit=HN&amp;" not in html and "<a " not in own
    part = html.split('data-unit="HN-VP">')[1].split("</tr>")[0]
    assert f"?unit=HN-VP&amp;period={city}" in part
    assert re.search(r'class="text-end">2<', part)
    # The other agencies link to their boards as before.
    assert f"?unit=SNV&amp;period={city}" in html


def test_the_citys_board_for_a_reader_of_part_of_it_counts_only_that_part(
    client_for, world, city, small_board
):  # type: ignore[no-untyped-def]
    """A board other than the city's for a city-wide reader (not kept): the same counts."""
    html = _table(client_for("quan").get(f"{BOARD}?unit=SNV&period={city}").content.decode())
    counts = _board_counts(html)
    assert counts == {"SNV": _expected(city)["SNV"]}
    assert "?unit=SNV&amp;" not in html.split('data-agency="SNV">')[1].split("</tr>")[0]
    assert f"?unit=SNV-TC&amp;period={city}" in html


def test_the_close_screens_summary_and_choices_follow_each_write(world, city):  # type: ignore[no-untyped-def]
    def snv() -> vs.AgencyLine:
        return next(line for line in vs.agency_summary(world.city.pk, city) if line.code == "SNV")

    before = snv()
    ev = _one_of_tc(world, city)
    _self_assess(ev)
    after = snv()
    assert after.by_status.get("self_assessed", 0) == before.by_status.get("self_assessed", 0) + 1
    assert sum(after.by_level.values()) == sum(before.by_level.values()) + 1
    for row in Evaluation.objects.filter(period_code=city, unit=world.snv_tc):
        approved(row, general="25", tasks="50")
    summary.touched([ev.period_id])  # the test's own update() writes no audit line
    ev.refresh_from_db()
    lines = vs.agency_summary(world.city.pk, city)
    assert vs.demoted_in(lines) == []
    services.quota_choose(evaluations=[ev.pk], by=world.user("son"))
    lines = vs.agency_summary(world.city.pk, city)
    assert [e.pk for e in vs.demoted_in(lines)] == [ev.pk]
    assert next(line for line in lines if line.code == "SNV").demoted == 1
    services.quota_choose(evaluations=[ev.pk], by=world.user("son"), demoted=False)
    assert vs.demoted_in(vs.agency_summary(world.city.pk, city)) == []


def test_a_close_and_a_reopening_show_on_the_next_view(world, city):  # type: ignore[no-untyped-def]
    for row in Evaluation.objects.filter(period_code=city):
        approved(row, general="25", tasks="50")
    summary.touched_all()
    opened = {line.code: line.by_status for line in vs.agency_summary(world.city.pk, city)}
    assert "closed" not in opened["SNV"]
    with acting(source="command", reason="test"):
        closing.close_period(
            unit=world.city, period=city, by=world.user("quan"), resolve_quota="by-score"
        )
    closed = {line.code: line.by_status for line in vs.agency_summary(world.city.pk, city)}
    assert closed == {code: {"closed": sum(c.values())} for code, c in opened.items()}
    period = EvaluationPeriod.objects.get(agency=world.snv, code=city)
    reopening.reopen_period(
        period=period,
        decision="12/QĐ-UBND",
        decided_on=dt.date.today(),
        reason="Sai sót khi tổng hợp",
        by=world.user("quan"),
    )
    after = {line.code: line.by_status for line in vs.agency_summary(world.city.pk, city)}
    assert "closed" not in after["SNV"] and after["STC"] == closed["STC"]
    assert after == {code: dict(c) for code, c in _rows_by_agency(city).items()}


def test_a_write_elsewhere_does_not_count_a_closed_month_again(world, city):  # type: ignore[no-untyped-def]
    for row in Evaluation.objects.filter(period_code=city):
        approved(row, general="25", tasks="50")
    with acting(source="command", reason="test"):
        closing.close_period(
            unit=world.city, period=city, by=world.user("quan"), resolve_quota="by-score"
        )
    vs.agency_summary(world.city.pk, city)
    summary.touched_all()  # a bulk write of open periods elsewhere
    with CaptureQueriesContext(connection) as kept:
        vs.agency_summary(world.city.pk, city)
    assert not [q for q in kept.captured_queries if "COUNT(" in q["sql"]]


def test_a_bulk_write_named_by_its_periods_counts_only_those_again(world, city):  # type: ignore[no-untyped-def]
    """`summary.writing`: a service's bulk write of some periods (a bulk approval) moves their
    counters only; a bulk write that names none (an import) has every open period counted."""
    snv = EvaluationPeriod.objects.get(agency=world.snv, code=city)
    stc = EvaluationPeriod.objects.get(agency=world.stc, code=city)
    ev = _one_of_tc(world, city)
    _self_assess(ev)
    ev.refresh_from_db()
    services.review(evaluation=ev, by=world.user("hoa"))
    vs.agency_summary(world.city.pk, city)

    def counted() -> list[str]:
        with CaptureQueriesContext(connection) as asked:
            lines = vs.agency_summary(world.city.pk, city)
        assert {line.code: line.by_status for line in lines} == {
            code: dict(c) for code, c in _rows_by_agency(city).items()
        }
        return [q["sql"] for q in asked.captured_queries if "COUNT(" in q["sql"]]

    with summary.writing([snv.pk]):
        services.bulk_approve(evaluations=[ev.pk], by=world.user("son"))
    again = counted()
    assert len(again) == 1 and _periods_in(again[0]) == {snv.pk}
    services.quota_choose(evaluations=[ev.pk], by=world.user("son"))  # names its period itself
    again = counted()
    assert len(again) == 1 and _periods_in(again[0]) == {snv.pk}
    for _name, receiver in bulk_written.items():  # what an import's writer says: models only
        receiver(frozenset({"appraisal.evaluation"}))
    everything = counted()
    assert len(everything) == 1 and _periods_in(everything[0]) >= {snv.pk, stc.pk}


def test_the_period_picker_asks_for_the_codes_alone(world, city):  # type: ignore[no-untyped-def]
    """The picker's codes are DISTINCT codes: with the model's ordering the DISTINCT was on
    (code, start, agency), and a city's 294 agencies filled its 500 rows with two months."""
    from thenchot.accounts.scoping import compute_scope

    scope = compute_scope(world.user("quan"))
    with CaptureQueriesContext(connection) as asked:
        codes = vs.period_choices(scope, world.city.pk)
    assert city in codes
    distinct = [q["sql"] for q in asked.captured_queries if "DISTINCT" in q["sql"]]
    assert len(distinct) == 1 and "starts_on" not in distinct[0].split("FROM")[0]
