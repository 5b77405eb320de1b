"""Periods and evaluations in the Django admin: an open period's deadlines and quota decision
change through `services.period_update` (versioned, audited); a closed period refuses every
path, the admin included; evaluations and decisions are read-only there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from thenchot.accounts.testing import UserFactory
from thenchot.appraisal import closing, services
from thenchot.appraisal.models import EvaluationPeriod
from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def closed_month(world, month):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=month.code)
    month.refresh_from_db()
    return month


def settings_data(period: EvaluationPeriod, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "self_due": period.self_due.isoformat(),
        "review_due": period.review_due.isoformat(),
        "approval_due": period.approval_due.isoformat(),
        "expected_version": period.version,
    }
    data.update(changes)
    return data


def url(period: EvaluationPeriod) -> str:
    return f"/admin/appraisal/evaluationperiod/{period.pk}/change/"


def period_audit_lines(period: EvaluationPeriod) -> int:
    return AuditEntry.objects.filter(
        model_label="appraisal.evaluationperiod", object_id=str(period.pk)
    ).count()


def test_it_changes_an_open_periods_deadlines_in_the_admin_versioned_and_audited(
    admin_client, world, month
):
    later = (month.approval_due + dt.timedelta(days=2)).isoformat()
    response = admin_client.post(url(month), settings_data(month, approval_due=later))
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = EvaluationPeriod.objects.get(pk=month.pk)
    assert (stored.approval_due.isoformat(), stored.version) == (later, month.version + 1)
    entry = AuditEntry.objects.filter(model_label="appraisal.evaluationperiod").latest("pk")
    assert entry.actor.username == "quantri"
    assert entry.after["approval_due"] == later


def test_it_refuses_changing_a_closed_period_in_the_admin(admin_client, world, closed_month):
    lines = period_audit_lines(closed_month)
    response = admin_client.post(
        url(closed_month),
        settings_data(closed_month, approval_due="2099-12-31"),
        follow=True,
    )
    assert response.redirect_chain[0][0] == url(closed_month)
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(closed_month.code in m for m in shown), shown
    stored = EvaluationPeriod.objects.get(pk=closed_month.pk)
    assert stored.approval_due == closed_month.approval_due
    assert stored.version == closed_month.version
    assert period_audit_lines(closed_month) == lines


def test_it_shows_a_closed_period_with_no_field_to_edit(admin_client, world, closed_month):
    response = admin_client.get(url(closed_month))
    assert response.status_code == 200
    assert 'name="approval_due"' not in response.content.decode()
    assert list(get_messages(response.wsgi_request))


def test_it_refuses_a_closed_period_through_the_service(world, closed_month):
    with pytest.raises(DomainError, match="closed"):
        services.period_update(
            period=closed_month,
            expected_version=closed_month.version,
            data={"approval_due": dt.date(2099, 12, 31)},
            by=UserFactory(is_superuser=True),
        )
    assert EvaluationPeriod.objects.get(pk=closed_month.pk).approval_due != dt.date(2099, 12, 31)


def test_it_refuses_period_settings_from_someone_not_an_administrator(world, month):
    with pytest.raises(OutOfScope):
        services.period_update(
            period=month,
            expected_version=month.version,
            data={"approval_due": dt.date(2099, 12, 31)},
            by=world.user("lan"),
        )


def test_it_refuses_adding_or_deleting_periods_in_the_admin(admin_client, world, month):
    assert admin_client.get("/admin/appraisal/evaluationperiod/add/").status_code == 403
    delete = f"/admin/appraisal/evaluationperiod/{month.pk}/delete/"
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert EvaluationPeriod.objects.filter(pk=month.pk).exists()


@pytest.mark.parametrize("model", ["collectivedecision", "reopendecision"])
def test_it_offers_no_add_for_decisions_and_parameters(admin_client, world, model):
    assert admin_client.get(f"/admin/appraisal/{model}/add/").status_code == 403
