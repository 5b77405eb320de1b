"""Closing seals the period; a change made outside the application is named by the check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from thenchot.appraisal import closing, reopening
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.testing import evaluation_of
from thenchot.integrity import verifying
from thenchot.integrity.models import SealChainHead, SealEntry, SealKind
from thenchot.integrity.verifying import verify


def _sql(statement: str, params: list[object]) -> None:
    """A change made outside the application: straight SQL, no model, no audit."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


EVAL = Evaluation._meta.db_table
SEAL = SealEntry._meta.db_table


def _close(world, period):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=period.code, by=world.user("son"))
    period.refresh_from_db()


def _kinds(report):  # type: ignore[no-untyped-def]
    return [f.kind for f in report.findings]


def test_it_seals_each_period_at_the_close(world, month):  # type: ignore[no-untyped-def]
    _close(world, month)
    seal = SealEntry.objects.get(period_id=month.pk)
    assert seal.kind == SealKind.SEAL and seal.sequence == 1
    assert seal.row_count == month.evaluations.count() > 0
    assert seal.by_id == world.user("son").pk
    report = verify([month])
    assert report.ok and report.findings == []
    assert report.periods_checked == 1 and report.rows_checked == seal.row_count


def test_it_names_a_row_changed_outside_the_application(world, month):  # type: ignore[no-untyped-def]
    _close(world, month)
    an = evaluation_of(world, "an", month.code)
    _sql(f"UPDATE {EVAL} SET final_level = %s, score = %s WHERE id = %s", ["excellent", 95, an.pk])
    report = verify([month])
    assert not report.ok
    [finding] = report.findings
    assert finding.kind == verifying.CHANGED
    assert finding.staff_code == world.staff["an"].code
    assert finding.agency_code == "SNV" and finding.period_code == month.code
    assert "final_level: good → excellent" in finding.text
    assert "score: 80.00 → 95.00" in finding.text


def test_it_names_a_deleted_row(world, month):  # type: ignore[no-untyped-def]
    _close(world, month)
    an = evaluation_of(world, "an", month.code)
    _sql(f"DELETE FROM {EVAL} WHERE id = %s", [an.pk])
    [finding] = verify([month]).findings
    assert finding.kind == verifying.MISSING and finding.staff_code == world.staff["an"].code


def test_it_names_a_row_moved_to_another_person(world, month):  # type: ignore[no-untyped-def]
    _close(world, month)
    an = evaluation_of(world, "an", month.code)
    _sql(f"UPDATE {EVAL} SET staff_id = %s WHERE id = %s", [world.staff["binh"].pk, an.pk])
    [finding] = verify([month]).findings
    assert finding.staff_code == world.staff["an"].code
    assert f"staff_id: {world.staff['an'].pk} → {world.staff['binh'].pk}" in finding.text


def test_it_finds_an_edited_seal(world, month):  # type: ignore[no-untyped-def]
    _close(world, month)
    _sql(f"UPDATE {SEAL} SET row_count = row_count + 1", [])
    report = verify([month])
    assert verifying.CHAIN in _kinds(report) and not report.ok


def test_it_finds_the_results_kept_in_a_seal_changed(world, month):  # type: ignore[no-untyped-def]
    import zlib

    _close(world, month)
    _sql(f"UPDATE {SEAL} SET rows = %s", [zlib.compress(b"1\tforged\n")])
    assert _kinds(verify([month])) == [verifying.SEAL]


def test_it_finds_a_deleted_seal_in_the_middle_of_the_chain(world, month, earlier):  # type: ignore[no-untyped-def]
    _close(world, earlier)
    _close(world, month)
    _sql(f"DELETE FROM {SEAL} WHERE period_id = %s", [earlier.pk])
    report = verify([month, earlier])
    kinds = _kinds(report)
    assert verifying.CHAIN in kinds  # the next seal no longer follows its predecessor
    assert verifying.NOT_SEALED in kinds  # and the period is closed without one
    assert not report.ok


def test_it_finds_the_last_seal_deleted(world, month, earlier):  # type: ignore[no-untyped-def]
    _close(world, earlier)
    _close(world, month)
    _sql(f"DELETE FROM {SEAL} WHERE period_id = %s", [month.pk])
    report = verify()
    assert verifying.CHAIN in _kinds(report) and verifying.NOT_SEALED in _kinds(report)


def test_reopening_supersedes_the_seal_and_the_next_close_seals_again(world, month):  # type: ignore[no-untyped-def]
    _close(world, month)
    reopening.reopen_period(
        period=month,
        decision="12/QĐ-UBND",
        decided_on=dt.date.today(),
        reason="Sai sót",
        by=world.user("hung"),
    )
    month.refresh_from_db()
    assert list(SealEntry.objects.values_list("kind", flat=True)) == ["seal", "reopen"]
    assert verify([month]).ok  # open, its seal superseded: nothing to compare
    _close(world, month)
    assert list(SealEntry.objects.values_list("kind", flat=True)) == ["seal", "reopen", "seal"]
    head = SealChainHead.objects.get(pk=1)
    assert head.sequence == 3 and head.digest == SealEntry.objects.get(sequence=3).digest
    report = verify([month])
    assert report.ok and report.rows_checked == month.evaluations.count()


def test_it_finds_a_period_reopened_outside_the_application(world, month):  # type: ignore[no-untyped-def]
    _close(world, month)
    _sql(f"UPDATE {EvaluationPeriod._meta.db_table} SET status = 'open' WHERE id = %s", [month.pk])
    month.refresh_from_db()
    assert _kinds(verify([month])) == [verifying.REOPENED]


def test_a_close_refused_leaves_no_seal(world, month):  # type: ignore[no-untyped-def]
    an = evaluation_of(world, "an", month.code)
    _sql(f"UPDATE {EVAL} SET status = 'reviewed' WHERE id = %s", [an.pk])
    with pytest.raises(Exception):  # noqa: B017 - the close's own refusal
        closing.close_period(unit=world.snv, period=month.code, by=world.user("son"))
    assert not SealEntry.objects.exists()


def test_the_command_says_intact_or_names_the_change(world, month):  # type: ignore[no-untyped-def]
    from io import StringIO

    _close(world, month)
    out = StringIO()
    call_command("verify_periods", "--period", month.code, "--lang", "en", stdout=out)
    assert "Intact" in out.getvalue()
    an = evaluation_of(world, "an", month.code)
    _sql(f"UPDATE {EVAL} SET final_level = 'excellent' WHERE id = %s", [an.pk])
    out = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("verify_periods", "--unit", "HN", "--lang", "en", stdout=out)
    assert failed.value.returncode == 1
    line = out.getvalue().strip()
    assert line.startswith(f"{month.code} / SNV / {world.staff['an'].code}: ")
    assert "final_level: good → excellent" in line
    # Another unit's agencies: nothing of SNV is checked there.
    out = StringIO()
    call_command("verify_periods", "--unit", "STC", "--lang", "en", stdout=out)
    assert "Intact: 0 closed periods" in out.getvalue()


def test_the_command_refuses_bad_input(world):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="--period"):
        call_command("verify_periods", "--period", "2026-13", "--lang", "en")
    with pytest.raises(CommandError, match="NOPE"):
        call_command("verify_periods", "--unit", "NOPE", "--lang", "en")


def test_a_period_closed_outside_the_application_has_no_seal(world, month, earlier):  # type: ignore[no-untyped-def]
    _close(world, month)
    _sql(
        f"UPDATE {EvaluationPeriod._meta.db_table} SET status = 'closed', closed_at = %s "
        "WHERE id = %s",
        [dt.datetime.now(dt.UTC), earlier.pk],
    )
    earlier.refresh_from_db()
    report = verify([earlier])
    assert _kinds(report) == [verifying.NOT_SEALED] and not report.ok


def test_history_imported_as_closed_or_closed_before_sealing_is_a_note(world, month, earlier):  # type: ignore[no-untyped-def]
    # `earlier` closed before sealing began (a closed_at older than the first seal) ...
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    _sql(
        f"UPDATE {EvaluationPeriod._meta.db_table} SET status = 'closed', closed_at = %s "
        "WHERE id = %s",
        [long_ago, earlier.pk],
    )
    _close(world, month)
    earlier.refresh_from_db()
    report = verify([earlier])
    assert _kinds(report) == [verifying.UNSEALED] and report.ok
    # ... and a period imported closed, whenever: its rows were made elsewhere.
    _sql(
        f"UPDATE {EvaluationPeriod._meta.db_table} SET closed_at = %s WHERE id = %s",
        [dt.datetime.now(dt.UTC), earlier.pk],
    )
    _sql(f"UPDATE {EVAL} SET imported = %s WHERE period_id = %s", [True, earlier.pk])
    earlier.refresh_from_db()
    report = verify([earlier])
    assert _kinds(report) == [verifying.UNSEALED] and "imported" in report.findings[0].text
