"""Issue 18: the board draws its lines from plain values, its badges by filter, and counts its
people with one query when it lists them. What it shows is what the includes and the grouped
count showed: the badges are the partials' markup for every status and level, the size is the
grouped count's total, the agencies are given exactly when the board is too large to list."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import services
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.choices import EvaluationStatus, Level
from thenchot.appraisal.templatetags.appraisal_labels import level_badge, status_badge
from thenchot.appraisal.testing import add_staff, open_period, with_snv_head
from thenchot.appraisal.views.common import LABELS


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_it_draws_the_status_badge_of_the_partial(lang):  # type: ignore[no-untyped-def]
    with translation.override(lang):
        for status in [*EvaluationStatus.values, "unknown"]:
            partial = render_to_string("appraisal/_status.html", {**LABELS, "status": status})
            assert f"{status_badge(status)}\n" == partial


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_it_draws_the_level_badge_of_the_partial(lang):  # type: ignore[no-untyped-def]
    with translation.override(lang):
        for level in ["", *Level.values, "unknown"]:
            for grade in [None, "", "A", "<b>"]:
                context = {**LABELS, "level": level, "grade": grade}
                partial = render_to_string("appraisal/_level.html", context)
                assert f"{level_badge(level, grade)}\n" == partial


@pytest.mark.parametrize("lines", [None, 2, 100])
def test_it_counts_the_board_as_the_grouped_count_does(world, monkeypatch, lines):  # type: ignore[no-untyped-def]
    """The summary's read is the board's count: it lists the people up to the limit, and beyond
    it gives the grouped count's agencies, however many lines a page reads with its rows."""
    with_snv_head(world)
    add_staff(world, 6, unit=world.snv_tc, prefix="TC")
    period = open_period(world)
    for persona, unit in [
        ("son", world.snv),
        ("hoa", world.snv_tc),
        ("quan", world.snv),
        ("quan", world.city),  # the city's board: the kept counts
    ]:
        scope = compute_scope(world.user(persona))
        line = services.line_for(world.user(persona))
        total, agencies = vs.board_agencies(scope, unit_id=unit.pk, period=period.code)
        assert total > 0
        listed = vs.board_summary(
            scope, line, unit_id=unit.pk, period=period.code, limit=total, lines=lines
        )
        assert isinstance(listed, vs.BoardSummary)
        assert listed.total == total
        by_agency = vs.board_summary(
            scope, line, unit_id=unit.pk, period=period.code, limit=total - 1, lines=lines
        )
        assert by_agency == vs.BoardByAgency(total, agencies)
