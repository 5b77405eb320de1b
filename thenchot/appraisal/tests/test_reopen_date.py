"""The date of a reopening decision: required, never in the future nor before the period was
closed — in the service, the `reopen_period` command and the close screen's form — recorded and
audited with the decision; rows recorded before the field existed take the day they were
recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from thenchot.appraisal import closing, reopening
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import EvaluationPeriod, ReopenDecision
from thenchot.appraisal.testing import approved, evaluation_of, open_period, with_snv_head
from thenchot.appraisal.tests.confirming import confirmed_post
from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError

DAY = dt.timedelta(days=1)
CLOSE = reverse("appraisal:close")
ACT = reverse("appraisal:close_act")


@pytest.fixture
def closed(world):  # type: ignore[no-untyped-def]
    """SNV's month, closed ten days ago (the close time is moved back after the close)."""
    with_snv_head(world)
    period = open_period(world)
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")
    closing.close_period(unit=world.snv, period=period.code)
    EvaluationPeriod.objects.filter(pk=period.pk).update(closed_at=timezone.now() - 10 * DAY)
    period.refresh_from_db()
    return period


def _closed_on(period: EvaluationPeriod) -> dt.date:
    assert period.closed_at is not None
    return timezone.localdate(period.closed_at)


def _unchanged(period: EvaluationPeriod, audit: int) -> bool:
    period.refresh_from_db()
    return (
        period.status == PeriodStatus.CLOSED
        and not ReopenDecision.objects.filter(period=period).exists()
        and AuditEntry.objects.count() == audit
    )


def _reopen(world, period, decided_on):  # type: ignore[no-untyped-def]
    return reopening.reopen_period(
        period=period,
        decision="15/QĐ-UBND",
        decided_on=decided_on,
        reason="Sai sót điểm",
        by=world.user("hung"),
    )


# -- the service -----------------------------------------------------------------------------------
def test_it_records_the_decision_date_and_audits_it(world, closed):  # type: ignore[no-untyped-def]
    decided_on = _closed_on(closed) + 2 * DAY
    row = _reopen(world, closed, decided_on)
    row.refresh_from_db()
    assert row.decided_on == decided_on and row.decision == "15/QĐ-UBND"
    entry = AuditEntry.objects.get(model_label="appraisal.reopendecision", object_id=str(row.pk))
    assert entry.action == "create" and entry.after["decided_on"] == decided_on.isoformat()
    closed.refresh_from_db()
    assert closed.status == PeriodStatus.OPEN
    assert evaluation_of(world, "an").status == EvaluationStatus.APPROVED


def test_it_accepts_a_decision_of_the_day_of_the_close(world, closed):  # type: ignore[no-untyped-def]
    closed_on = _closed_on(closed)
    row = _reopen(world, closed, closed_on)
    assert row.decided_on == closed_on


def test_it_refuses_a_future_date_and_changes_nothing(world, closed):  # type: ignore[no-untyped-def]
    audit = AuditEntry.objects.count()
    tomorrow = timezone.localdate() + DAY
    with pytest.raises(DomainError) as caught:
        _reopen(world, closed, tomorrow)
    assert "in the future" in str(caught.value.message)
    assert tomorrow.strftime("%d/%m/%Y") in str(caught.value.message)
    assert "decided_on" in caught.value.field_errors
    assert _unchanged(closed, audit)
    assert evaluation_of(world, "an").status == EvaluationStatus.CLOSED


def test_it_refuses_a_date_before_the_close_and_changes_nothing(world, closed):  # type: ignore[no-untyped-def]
    audit = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        _reopen(world, closed, _closed_on(closed) - DAY)
    message = str(caught.value.message)
    assert "before the period was closed" in message
    assert _closed_on(closed).strftime("%d/%m/%Y") in message
    assert _unchanged(closed, audit)


def test_it_refuses_a_missing_date(world, closed):  # type: ignore[no-untyped-def]
    audit = AuditEntry.objects.count()
    with pytest.raises(DomainError) as caught:
        _reopen(world, closed, None)
    assert "decided_on" in caught.value.field_errors
    assert _unchanged(closed, audit)


# -- the command -----------------------------------------------------------------------------------
def _command(closed, *extra: str) -> None:  # type: ignore[no-untyped-def]
    call_command(
        "reopen_period",
        "--unit", "SNV", "--period", closed.code, "--decision", "QĐ 7",
        "--reason", "Sai sót", "--lang", "en", *extra,
    )  # fmt: skip


def test_the_command_records_the_given_date(world, closed, capsys):  # type: ignore[no-untyped-def]
    decided_on = _closed_on(closed) + DAY
    _command(closed, "--decided-on", decided_on.isoformat())
    assert "Reopened" in capsys.readouterr().out
    assert ReopenDecision.objects.get(period=closed).decided_on == decided_on


def test_the_command_defaults_to_today(world, closed):  # type: ignore[no-untyped-def]
    _command(closed)
    assert ReopenDecision.objects.get(period=closed).decided_on == timezone.localdate()


def test_the_command_refuses_a_future_date(world, closed):  # type: ignore[no-untyped-def]
    audit = AuditEntry.objects.count()
    tomorrow = timezone.localdate() + DAY
    with pytest.raises(CommandError, match="in the future"):
        _command(closed, "--decided-on", tomorrow.isoformat())
    assert _unchanged(closed, audit)


def test_the_command_refuses_a_date_it_cannot_read(world, closed):  # type: ignore[no-untyped-def]
    audit = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="is not a date"):
        _command(closed, "--decided-on", "27/11/2026")
    assert _unchanged(closed, audit)


# -- the close screen ------------------------------------------------------------------------------
def _post(client, closed, decided_on: str):  # type: ignore[no-untyped-def]
    return confirmed_post(
        client,
        ACT,
        {
            "unit": "SNV", "period": closed.code, "action": "reopen", "period_id": closed.pk,
            "number": "15/QĐ-UBND", "decided_on": decided_on, "reason": "Sai sót điểm",
        },
    )  # fmt: skip


def test_the_form_offers_today_and_records_the_date(client_for, world, closed):  # type: ignore[no-untyped-def]
    client = client_for("hung", lang="en")
    html = client.get(CLOSE + f"?unit=SNV&period={closed.code}").content.decode()
    assert 'name="decided_on"' in html
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in html
    decided_on = _closed_on(closed) + DAY
    assert _post(client, closed, f"{decided_on:%d/%m/%Y}").status_code == 302
    row = ReopenDecision.objects.get(period=closed)
    assert row.decided_on == decided_on and row.decision == "15/QĐ-UBND"
    html = client.get(CLOSE + f"?unit=SNV&period={closed.code}").content.decode()
    assert 'id="reopenings"' in html and f"{decided_on:%d/%m/%Y}" in html


def test_the_form_refuses_a_date_before_the_close(client_for, world, closed):  # type: ignore[no-untyped-def]
    audit = AuditEntry.objects.count()
    client = client_for("hung", lang="en")
    response = _post(client, closed, f"{_closed_on(closed) - DAY:%d/%m/%Y}")
    assert response.status_code == 400
    assert "before the period was closed" in response.content.decode()
    assert _unchanged(closed, audit)


def test_the_form_refuses_a_future_or_unreadable_date(client_for, world, closed):  # type: ignore[no-untyped-def]
    audit = AuditEntry.objects.count()
    client = client_for("hung", lang="en")
    response = _post(client, closed, f"{timezone.localdate() + DAY:%d/%m/%Y}")
    assert response.status_code == 400 and "in the future" in response.content.decode()
    assert _post(client, closed, "31/02/2026").status_code == 400
    assert _post(client, closed, "").status_code == 400
    assert _unchanged(closed, audit)


def test_the_form_refuses_an_outsider(client_for, world, closed):  # type: ignore[no-untyped-def]
    audit = AuditEntry.objects.count()
    today = f"{timezone.localdate():%d/%m/%Y}"
    assert _post(client_for("an"), closed, today).status_code in (403, 404)
    assert _post(client_for("minh"), closed, today).status_code == 404
    assert _unchanged(closed, audit)


# -- the migration ---------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_the_migration_dates_old_rows_by_the_day_they_were_recorded(world):  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    period = open_period(world)
    before, after = (
        ("appraisal", "0002_evaluation_fillfactor"),
        (
            "appraisal",
            "0003_reopendecision_decided_on",
        ),
    )
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([before])
    try:
        old_apps = executor.loader.project_state([before]).apps
        recorded = timezone.now() - 40 * DAY
        OldDecision = old_apps.get_model("appraisal", "ReopenDecision")
        row = OldDecision.objects.create(period_id=period.pk, decision="QĐ cũ", reason="Sai sót")
        OldDecision.objects.filter(pk=row.pk).update(created_at=recorded)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([after])
        decided_on = (
            executor.loader.project_state([after])
            .apps.get_model("appraisal", "ReopenDecision")
            .objects.get(pk=row.pk)
            .decided_on
        )
        assert decided_on == timezone.localdate(recorded)
    finally:
        # Back to the latest schema: the tests after this one (transactional ones included)
        # run on the whole schema, later migrations' columns and all.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
