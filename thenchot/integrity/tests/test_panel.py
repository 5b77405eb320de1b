"""The close screen says whether its closed periods are intact, to those who may read them."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import closing
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import approved, evaluation_of
from thenchot.integrity.panels import period_context

CLOSE = reverse("appraisal:close")


def _closed(world, month):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=month.code, by=world.user("son"))
    month.refresh_from_db()
    return month


def test_the_close_screen_says_sealed_and_intact(client_for, world, month):  # type: ignore[no-untyped-def]
    _closed(world, month)
    html = client_for("son").get(CLOSE + f"?unit=SNV&period={month.code}").content.decode()
    assert 'id="period-panel-integrity"' in html and 'id="integrity-intact"' in html


def test_the_close_screen_names_a_changed_row(client_for, world, month):  # type: ignore[no-untyped-def]
    _closed(world, month)
    an = evaluation_of(world, "an", month.code)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Evaluation._meta.db_table} SET final_level = 'excellent' WHERE id = %s",
            [an.pk],
        )
    html = client_for("son", lang="en").get(CLOSE + f"?unit=SNV&period={month.code}")
    text = html.content.decode()
    assert 'id="integrity-broken"' in text and 'id="integrity-intact"' not in text
    assert world.staff["an"].code in text and "good → excellent" in text


def test_it_names_nothing_of_another_agencys_periods(client_for, world, month):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.testing import open_period
    from thenchot.integrity.models import SealEntry

    stc = open_period(world, month.code, agency=world.stc)
    for ev in stc.evaluations.all():
        approved(ev, general="25", tasks="55")
    closing.close_period(unit=world.stc, period=month.code)
    _closed(world, month)
    stc_ev = Evaluation.objects.filter(period=stc).first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Evaluation._meta.db_table} SET final_level = 'excellent' WHERE id = %s",
            [stc_ev.pk],
        )
        # ... and STC's seal edited: a fault of the chain at an STC entry.
        cursor.execute(
            f"UPDATE {SealEntry._meta.db_table} SET row_count = 99 WHERE period_id = %s",
            [stc.pk],
        )
    son = period_context(compute_scope(world.user("son")), [month])
    assert son is not None and not son["intact"] and son["elsewhere"]
    assert son["findings"] == []  # STC's row and seal are not named to SNV's head
    html = client_for("son", lang="en").get(CLOSE + f"?unit=SNV&period={month.code}")
    text = html.content.decode()
    assert "outside your units" in text and stc_ev.staff.code not in text
    # The city-wide reader sees them named.
    hung = period_context(compute_scope(world.user("hung")), [month])
    assert hung is not None and {f.period_id for f in hung["findings"]} == {stc.pk}


def test_above_the_limit_the_screen_checks_the_seals_but_not_each_row(
    client_for, world, month, monkeypatch
):  # type: ignore[no-untyped-def]
    from thenchot.integrity import panels

    _closed(world, month)
    monkeypatch.setattr(panels, "ROW_LIMIT", 1)
    son = period_context(compute_scope(world.user("son")), [month])
    assert son is not None and not son["intact"] and son["report"].rows_skipped > 1
    html = client_for("son", lang="en").get(CLOSE + f"?unit=SNV&period={month.code}")
    text = html.content.decode()
    assert 'id="integrity-not-compared"' in text and f"--period {month.code}" in text
    assert 'id="integrity-intact"' not in text
