"""An agency's own rating under Decree 335/2025 (rules.md: "Agencies themselves are rated on the
same 100-point scale (30 general + 70 results)"): the score's level holds only as far as the
tasks its units led allow; rated by the level above, audited, refused with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thenchot.appraisal import rules, services
from thenchot.appraisal.models import AgencyRating
from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.testing import TaskFactory

pytestmark = pytest.mark.django_db
T = rules.AgencyTasks


@pytest.mark.parametrize(
    ("general", "results", "tasks", "level"),
    [
        (28, 65, T(due=4, completed=4, on_time=4, good_on_time=4), "excellent"),
        (28, 65, T(due=4, completed=4, on_time=4, good_on_time=3), "good"),  # one of poor quality
        (28, 65, T(due=5, completed=5, on_time=4, good_on_time=4), "complete"),  # 20% late
        (28, 65, T(due=4, completed=4, on_time=3, good_on_time=3), "not_complete"),  # 25% late
        (28, 65, T(due=4, completed=3, on_time=3, good_on_time=3), "not_complete"),  # not done
        (25, 50, T(due=4, completed=4, on_time=4, good_on_time=4), "good"),  # 75: score's level
        (20, 35, T(due=4, completed=4, on_time=4, good_on_time=4), "complete"),
        (20, 29.99, T(due=0, completed=0, on_time=0, good_on_time=0), "not_complete"),
        (30, 70, T(due=0, completed=0, on_time=0, good_on_time=0), "excellent"),  # none due
    ],
)
def test_the_tasks_decide_how_far_the_score_holds(general, results, tasks, level) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.agencies."""
    rating = rules.rate_agency(general=general, results=results, tasks=tasks)
    assert rating.level.value == level
    assert rating.score == Decimal(str(general)) + Decimal(str(results))
    assert len(rating.trace) == (1 if rating.trace[0].level_after.value == level else 2)


def test_points_out_of_range_are_refused_naming_the_value() -> None:
    """rules.md: pack.decree-335-2025.agencies."""
    with pytest.raises(rules.RuleInputError) as refused:
        rules.rate_agency(general=31, results=-1, tasks=T(0, 0, 0, 0))
    text = " ".join(refused.value.messages)
    assert "31" in text and "-1" in text


def _tasks(world, year):  # type: ignore[no-untyped-def]
    """STC led four tasks due in `year`: three on time, one completed late."""
    for i, (deadline, done) in enumerate(
        [("03-10", "03-09"), ("05-10", "05-10"), ("07-10", "07-01"), ("09-10", "09-20")]
    ):
        TaskFactory(
            lead_unit=world.stc_ns if i % 2 else world.stc,
            assigned_on=dt.date(year, 1, 5),
            deadline=dt.date.fromisoformat(f"{year}-{deadline}"),
            completed_on=dt.date.fromisoformat(f"{year}-{done}"),
            quality="meets",
        )


def test_the_city_rates_an_agency_from_its_tasks_and_it_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.agencies."""
    year = dt.date.today().year - 1
    _tasks(world, year)
    rating = services.agency_rate(
        agency=world.stc,
        year=year,
        general_points="28",
        result_points="64.5",
        by=world.user("hung"),
    )
    assert (rating.tasks_due, rating.tasks_on_time, rating.tasks_completed) == (4, 3, 4)
    assert rating.score == Decimal("92.5") and rating.level == "not_complete"  # 25% late
    assert AuditEntry.objects.filter(object_id=str(rating.pk)).exists()
    again = services.agency_rate(
        agency=world.stc, year=year, general_points="28", result_points="40", by=world.user("hung")
    )
    assert again.pk == rating.pk and again.score == Decimal("68")


def test_nobody_below_the_level_above_rates_it_and_nothing_changes(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.agencies."""
    year = dt.date.today().year - 1
    for name in ("minh", "lan", "an"):  # STC's own head; SNV's personnel; a civil servant
        with pytest.raises(OutOfScope):
            services.agency_rate(
                agency=world.stc,
                year=year,
                general_points=28,
                result_points=60,
                by=world.user(name),
            )
    with pytest.raises(DomainError) as refused:
        services.agency_rate(
            agency=world.stc, year=year, general_points=28, result_points=71, by=world.user("hung")
        )
    assert "71" in str(refused.value.message)
    with pytest.raises(DomainError):
        services.agency_rate(
            agency=world.stc_ns,
            year=year,
            general_points=28,
            result_points=60,
            by=world.user("hung"),
        )
    assert not AgencyRating.objects.exists()


def test_the_command_line_rates_an_agency(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.agencies."""
    year = dt.date.today().year - 1
    _tasks(world, year)
    out = StringIO()
    call_command(
        "rate_agency", unit="STC", period=str(year), general="28", results="64.5",
        username="hung", lang="en", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert f"STC {year}: score 92.5 " in text and "Not complete" in text
    assert "4 tasks due" in text
    with pytest.raises(CommandError, match="71"):
        call_command(
            "rate_agency", unit="STC", period=str(year), general="28", results="71",
            username="hung", lang="en", stdout=StringIO(),
        )  # fmt: skip


def test_the_page_lists_the_agencies_and_rates_one(client_for, world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.agencies."""
    year = dt.date.today().year - 1
    _tasks(world, year)
    url = f"/appraisal/agencies/?year={year}"
    html = client_for("hung").get(url).content.decode()
    assert 'id="agency-STC"' in html and 'id="agency-SNV"' in html
    assert 'id="agency-STC-NS"' not in html  # a division is part of its agency
    bad = client_for("hung").post(url, {"year": year, "agency": "STC", "general_points": "28",
                                        "result_points": "75"})  # fmt: skip
    assert bad.status_code == 400 and "75" in bad.content.decode()
    assert not AgencyRating.objects.exists()
    done = client_for("hung").post(url, {"year": year, "agency": "STC", "general_points": "28",
                                         "result_points": "64,5"})  # fmt: skip
    assert done.status_code == 302
    assert AgencyRating.objects.get().score == Decimal("92.5")
    assert client_for("an").get(url).status_code == 403
    # Lan (personnel of SNV) rates no agency: SNV's parent is the City.
    assert 'id="agency-STC"' not in client_for("lan").get(url).content.decode()
