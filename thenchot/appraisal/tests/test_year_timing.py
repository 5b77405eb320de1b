"""When a year's rating is due (rules.md, Decree 335 and Decree 90 "Timing"): before 15 December,
15 January of the next year for an agency with special functions, or the date the head of an
education unit sets; a year closed later stands and is reported late."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from thenchot.appraisal import rules, services
from thenchot.appraisal.models import EvaluationPeriod
from thenchot.appraisal.tests import test_close_decree90_year as d90
from thenchot.core.errors import DomainError, OutOfScope

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world):  # type: ignore[no-untyped-def]
    """SNV's Decree 90 year 2024, imported approved (test_close_decree90_year)."""
    return d90.year.__wrapped__(world)


def test_the_year_is_due_before_15_december_or_15_january_for_special_functions() -> None:
    """rules.md: pack.decree-335-2025.timing, pack.decree-90-2020.timing."""
    assert rules.year_deadline(2026) == dt.date(2026, 12, 15)
    assert rules.year_deadline(2026, special_functions=True) == dt.date(2027, 1, 15)
    assert rules.year_deadline(2026, set_by_head=dt.date(2026, 5, 31)) == dt.date(2026, 5, 31)
    with pytest.raises(rules.RuleInputError):
        rules.year_deadline(2026, set_by_head=dt.date(2027, 2, 1))
    assert rules.days_late(dt.date(2026, 12, 15), dt.date(2026, 12, 18)) == 3
    assert rules.days_late(dt.date(2026, 12, 15), dt.date(2026, 12, 1)) == 0


def test_a_year_period_carries_the_legal_deadline() -> None:
    """rules.md: pack.decree-335-2025.timing, pack.decree-90-2020.timing."""
    dues = services.period_defaults(rules.Period.parse("2026"))
    assert dues["approval_due"] == dt.date(2026, 12, 15)
    assert dues["self_due"] < dues["review_due"] < dues["approval_due"]


def test_personnel_schedule_an_agency_with_special_functions(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.timing."""
    row = services.year_deadline_set(
        agency=world.snv, year=2026, by=world.user("lan"), special_functions=True
    )
    assert row.approval_due == dt.date(2027, 1, 15)
    assert row.evaluations.count() == 0  # the evaluations come with the close


def test_the_head_of_an_education_unit_sets_the_date(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.timing."""
    row = services.year_deadline_set(
        agency=world.stc, year=2026, by=world.user("minh"), set_by_head=dt.date(2026, 6, 30)
    )
    assert row.approval_due == dt.date(2026, 6, 30)


def test_nobody_else_sets_it_and_a_date_out_of_range_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.timing."""
    with pytest.raises(OutOfScope):
        services.year_deadline_set(
            agency=world.snv, year=2026, by=world.user("an"), set_by_head=dt.date(2026, 6, 30)
        )
    with pytest.raises(OutOfScope):  # head of STC, not of SNV
        services.year_deadline_set(
            agency=world.snv, year=2026, by=world.user("minh"), set_by_head=dt.date(2026, 6, 30)
        )
    with pytest.raises(DomainError) as refused:
        services.year_deadline_set(
            agency=world.stc, year=2026, by=world.user("minh"), set_by_head=dt.date(2027, 3, 1)
        )
    assert "01/03/2027" in str(refused.value.message)
    assert not EvaluationPeriod.objects.filter(code="2026").exists()


def test_a_year_closed_after_its_deadline_is_reported_late(world, year) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.timing, pack.decree-335-2025.timing."""
    out = StringIO()
    call_command("close_period", unit="SNV", period="2024", lang="en", stdout=out)
    late = (dt.date.today() - dt.date(2024, 12, 15)).days
    assert f"SNV: the year's rating was due by 15/12/2024; closed {late} days late." in (
        out.getvalue()
    )


def test_the_close_screen_shows_the_years_deadline(client_for, world, year) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.timing."""
    html = client_for("quan").get("/appraisal/close/?unit=SNV&period=2024").content.decode()
    assert 'id="close-year-due"' in html and "15/12/2024" in html
