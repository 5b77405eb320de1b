"""An agency recognised for outstanding results gets the higher quota: from its commendation,
a quota override recorded through the evaluation app's own service on the commendation's
decision (number and date), with a reason naming the commendation; each side shows the other,
and the commendation's link fields are frozen once it gave a quota."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from thenchot.appraisal.models import EvaluationPeriod, QuotaOverride
from thenchot.audit.models import AuditEntry
from thenchot.commendations import selectors, services
from thenchot.commendations.testing import CommendationFactory
from thenchot.core.errors import DomainError, OutOfScope

pytestmark = pytest.mark.django_db

DECIDED = dt.date(2026, 1, 15)


@pytest.fixture
def flag(world):
    return CommendationFactory.create(
        code="KTH-CO-SNV",
        unit=world.snv,
        kind="emulation_flag",
        decision_number="125/QĐ-UBND",
        decided_on=DECIDED,
        reason="Đơn vị dẫn đầu phong trào thi đua",
    )


def _grant(world, scope_of, flag, who="lan", period="2026-02", **extra):
    return services.commendation_grant_quota(
        scope=scope_of(who),
        by=world.user(who),
        commendation=flag,
        period=period,
        ratio=Decimal("40"),
        base=extra.pop("base", "headcount"),
        **extra,
    )


def test_it_records_the_override_on_the_commendations_decision(world, scope_of, flag) -> None:
    override = _grant(world, scope_of, flag)
    assert (override.agency_id, override.period_code, override.group) == (
        world.snv.pk,
        "2026-02",
        "all",
    )
    assert (override.ratio, override.base) == (Decimal("40"), "headcount")
    assert (override.decision_number, override.decided_on) == ("125/QĐ-UBND", DECIDED)
    assert "KTH-CO-SNV" in override.reason
    assert (
        AuditEntry.objects.filter(model_label="appraisal.quotaoverride", action="create").count()
        == 1
    )
    assert selectors.overrides_of(flag) == [override]
    assert selectors.commendation_of_override(override) == flag


def test_granting_again_for_the_same_period_changes_the_ratio_on_the_same_decision(
    world, scope_of, flag
) -> None:
    _grant(world, scope_of, flag)
    services.commendation_grant_quota(
        scope=scope_of("lan"),
        by=world.user("lan"),
        commendation=flag,
        period="2026-02",
        ratio=Decimal("35"),
    )
    assert QuotaOverride.objects.get().ratio == Decimal("35")


def test_it_refuses_a_period_whose_quota_another_decision_set(world, scope_of, flag) -> None:
    QuotaOverride.objects.create(
        agency=world.snv,
        period_code="2026-02",
        ratio=Decimal("30"),
        decision_number="9/QĐ-X",
        decided_on=DECIDED,
    )
    with pytest.raises(DomainError, match="already set by decision 9/QĐ-X"):
        _grant(world, scope_of, flag)
    assert QuotaOverride.objects.get().decision_number == "9/QĐ-X"


def test_it_refuses_a_persons_commendation_a_division_and_no_decision_number(
    world, scope_of
) -> None:
    person = CommendationFactory.create(code="P", staff=world.staff["an"], decision_number="1/QĐ")
    with pytest.raises(DomainError, match="honours a staff member"):
        _grant(world, scope_of, person)
    division = CommendationFactory.create(code="D", unit=world.snv_tc, decision_number="2/QĐ")
    with pytest.raises(DomainError, match="is a division, not an agency"):
        _grant(world, scope_of, division)
    bare = CommendationFactory.create(code="B", unit=world.snv, decision_number="")
    with pytest.raises(DomainError, match="has no decision number"):
        _grant(world, scope_of, bare)
    assert not QuotaOverride.objects.exists()


def test_the_evaluation_apps_rules_still_hold(world, scope_of, flag) -> None:
    EvaluationPeriod.objects.create(
        agency=world.snv,
        code="2026-01",
        kind="month",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 31),
        self_due=dt.date(2026, 2, 3),
        review_due=dt.date(2026, 2, 5),
        approval_due=dt.date(2026, 2, 7),
        status="closed",
    )
    with pytest.raises(DomainError, match="closed"):
        _grant(world, scope_of, flag, period="2026-01")
    with pytest.raises(DomainError, match="'2026-13' is not a period"):
        _grant(world, scope_of, flag, period="2026-13")
    with pytest.raises(OutOfScope):  # a unit head commends, but records no quota
        CommendationFactory.create(code="STC-F", unit=world.stc, decision_number="3/QĐ")
        from thenchot.commendations.models import Commendation

        _grant(world, scope_of, Commendation.objects.get(code="STC-F"), who="minh")
    assert not QuotaOverride.objects.exists()


def test_the_link_fields_are_frozen_once_a_quota_was_given(world, scope_of, flag) -> None:
    _grant(world, scope_of, flag)
    with pytest.raises(DomainError, match="can no longer change"):
        services.commendation_update(
            scope=scope_of("lan"),
            commendation=flag,
            expected_version=1,
            unit=world.snv,
            kind="emulation_flag",
            decided_on=DECIDED,
            decision_number="126/QĐ-UBND",
        )
    # Its reason may still be corrected.
    services.commendation_update(
        scope=scope_of("lan"),
        commendation=flag,
        expected_version=1,
        unit=world.snv,
        kind="emulation_flag",
        decided_on=DECIDED,
        decision_number="125/QĐ-UBND",
        reason="Cờ thi đua của UBND thành phố",
    )
    with pytest.raises(DomainError, match="can no longer be deleted"):
        services.commendation_delete(scope=scope_of("lan"), commendation=flag, expected_version=2)


def test_each_page_shows_the_other(world, client_for, flag) -> None:
    client = client_for("lan", lang="en")
    response = client.post(
        reverse("commendations:grant_quota", args=[flag.code]),
        {"period": "2026-02", "ratio": "40", "base": "headcount", "group": "all", "version": 1},
    )
    assert response.status_code == 302
    detail = client.get(reverse("commendations:detail", args=[flag.code])).content.decode()
    assert 'id="commendation-overrides"' in detail and "2026-02" in detail
    overrides = client.get(reverse("commendations:quota_overrides")).content.decode()
    assert "2026-02" in overrides and flag.code in overrides
    unit_page = client.get(reverse("org:unit", args=["SNV"])).content.decode()
    assert "2026-02: 40%" in unit_page


def test_the_grant_form_names_a_refusal(world, client_for, flag) -> None:
    client = client_for("lan", lang="en")
    response = client.post(
        reverse("commendations:grant_quota", args=[flag.code]),
        {"period": "2026-02", "ratio": "140", "group": "all"},
        follow=True,
    )
    assert "&#x27;140&#x27; is not a percentage between 0 and 100" in response.content.decode()
    assert not QuotaOverride.objects.exists()


def test_the_api_grants_and_lists_the_overrides(world, client_for, flag) -> None:
    client = client_for("lan", lang="en")
    url = f"/api/v1/commendations/{flag.code}/quota/"
    response = client.post(
        url, {"period": "2026-Q1", "ratio": "40"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["commendation"] == flag.code
    assert response.json()["decision_number"] == "125/QĐ-UBND"
    listed = client.get(url).json()
    assert [row["period"] for row in listed] == ["2026-Q1"]
