"""My results: month by month with level, score and reasons, quarter and year roll-ups, and the
agency's results published after the close — inside the agency only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thenchot.appraisal import closing
from thenchot.appraisal.testing import (
    approved,
    evaluation_of,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)

URL = reverse("appraisal:results")


@pytest.fixture
def closed(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    code = month_before(this_month())
    period = open_period(world, code)
    for name, general, tasks in (
        ("an", "26", "60"), ("lan", "25", "50"), ("quan", "15", "30"),
        ("hoa", "25", "50"), ("son", "25", "50"),
    ):  # fmt: skip
        approved(evaluation_of(world, name, code), general=general, tasks=tasks)
    closing.close_period(unit=world.snv, period=code, by=world.user("son"))
    return period


def test_it_shows_my_months_with_reasons(client_for, world, closed):  # type: ignore[no-untyped-def]
    html = client_for("an").get(URL).content.decode()
    assert f'data-period="{closed.code}"' in html and 'data-level="good"' in html
    assert "86" in html and "reasons" in html


def test_it_rolls_up_the_quarter_and_year(client_for, world, closed):  # type: ignore[no-untyped-def]
    html = client_for("an").get(URL + f"?year={closed.code[:4]}").content.decode()
    assert f'data-period="{closed.code[:4]}"' in html
    assert "rollup-line" in html and 'id="no-rollups"' not in html


def test_it_publishes_the_results_inside_the_agency_only(client_for, world, closed):  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.workflow."""
    html = client_for("hoa").get(URL).content.decode()
    assert html.count("published-row") == 5 and 'data-level="not_complete"' in html
    other = client_for("minh").get(URL + f"?period={closed.code}").content.decode()
    assert "published-row" not in other
    detail = reverse("appraisal:evaluation", args=[evaluation_of(world, "quan", closed.code).pk])
    assert client_for("an").get(detail).status_code == 200  # published inside SNV
    assert client_for("minh").get(detail).status_code == 404


def test_it_asks_a_user_without_a_staff_record_for_nothing(client, world, closed):  # type: ignore[no-untyped-def]
    from thenchot.accounts.testing import UserFactory

    client.force_login(UserFactory(username="khach"))
    assert client.get(URL).status_code == 404


def test_a_civil_servants_quarters_are_not_rolled_up_under_decree_335(world, closed):  # type: ignore[no-untyped-def]
    from thenchot.appraisal import views_support

    lines = views_support.rollups_for(world.staff["an"], int(closed.code[:4]))
    assert [line.period for line in lines] == [closed.code[:4]]  # the year only, no error
    assert not lines[0].error


def test_the_reasons_name_levels_and_groups_not_codes(world, closed):  # type: ignore[no-untyped-def]
    from thenchot.appraisal import selectors

    quan = evaluation_of(world, "quan", closed.code)  # 45 points: not complete
    text = " ".join(selectors.reasons_text(quan.reasons))
    assert "→ not complete" in text and "not_complete" not in text
    step = {
        "rule": "quota.excellent_share",
        "level_before": "excellent",
        "level_after": "good",
        "params": {
            "ratio": "20", "base_label": "those rated good or better", "base": "13",
            "allowed": "2", "quota_level": "excellent", "agency": "SNV", "group": "non_leaders",
        },
    }  # fmt: skip
    assert "SNV / Non-leaders: moved to good" in selectors.reasons_text([step])[0]
