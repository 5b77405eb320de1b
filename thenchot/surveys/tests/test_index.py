"""The satisfaction index (report.md, `satisfaction`): pooled answers per element, the mean
of the answered elements, unrounded until written, scoped by the tree on each response's day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thenchot.org.models import UnitLink
from thenchot.org.testing import UnitFactory
from thenchot.org.tree import invalidate, tree
from thenchot.surveys.index import (
    Satisfaction,
    from_counts,
    rounded,
    satisfaction,
    satisfaction_for_units,
    written,
)
from thenchot.surveys.testing import SurveyFactory, respond, with_questions

pytestmark = pytest.mark.django_db
JAN1, DEC31 = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def test_it_pools_the_answers_of_an_element_across_questions(world):
    survey = with_questions(
        SurveyFactory.create(unit=world.ward),
        (("A1", "a", "access"), ("A2", "b", "access"), ("R1", "c", "result")),
    )
    # A1: 1 of 1 satisfied (100 %), A2: 1 of 3 (33.3 %): the mean of shares would be 66.67,
    # pooled it is 2 of 4 = 50.
    respond(survey, dt.date(2025, 3, 1), {"A1": 5, "A2": 4, "R1": 2})
    respond(survey, dt.date(2025, 3, 2), {"A2": 3, "R1": None})
    respond(survey, dt.date(2025, 3, 3), {"A2": 1})
    figure = satisfaction(unit=world.ward, date_from=JAN1, date_to=DEC31)
    assert figure.responses == 3
    assert figure.by_element == {"access": Decimal(50), "result": Decimal(0)}
    assert figure.index == Decimal(25)


def test_it_means_only_the_elements_that_have_answers_from_unrounded_values(world):
    survey = with_questions(
        SurveyFactory.create(unit=world.ward),
        (("A", "a", "access"), ("P", "p", "procedure"), ("F", "f", "feedback")),
    )
    respond(survey, dt.date(2025, 3, 1), {"A": 5, "P": 5, "F": None})
    respond(survey, dt.date(2025, 3, 1), {"A": 1, "P": 5})
    respond(survey, dt.date(2025, 3, 1), {"A": 1, "P": 2})
    figure = satisfaction(unit=world.ward, date_from=JAN1, date_to=DEC31)
    # access 1/3, procedure 2/3: the mean of 33.33 and 66.67 written is 50.00, while the mean
    # of the unrounded values is exactly 50 too; the elements held unrounded:
    assert figure.by_element["access"] == Decimal(100) / 3
    assert "feedback" not in figure.by_element
    assert figure.index == (Decimal(100) / 3 + Decimal(200) / 3) / 2
    assert written(figure) == {
        "responses": 3,
        "index": 50.0,
        "by_element": {"access": 33.33, "procedure": 66.67},
    }


def test_it_counts_only_the_range_and_the_subtree(world, ward_survey, stc_survey):
    respond(ward_survey, dt.date(2024, 12, 31), {"Q1": 5})  # before the range
    respond(ward_survey, dt.date(2025, 6, 1), {"Q1": 5})
    respond(stc_survey, dt.date(2025, 6, 1), {"Q1": 1})
    result = satisfaction_for_units(
        units=[world.city, world.ward, world.stc, world.stc_ns, world.snv],
        date_from=JAN1,
        date_to=DEC31,
    )
    assert result[world.ward.pk].by_element == {"access": Decimal(100)}
    assert result[world.stc.pk].by_element == {"access": Decimal(0)}
    assert result[world.stc_ns.pk].responses == 1
    assert result[world.city.pk].responses == 2
    assert result[world.city.pk].index == Decimal(50)
    assert result[world.snv.pk] == Satisfaction(responses=0, index=None, by_element={})


def test_it_scopes_each_response_by_the_tree_on_its_day(world):
    """A commune moved from STC to SNV on 1 July: its answers before count for STC, after for
    SNV — the organisation of the day the response was submitted."""
    moved = UnitFactory.create(code="X-MOVED", kind="commune", valid_from=dt.date(2020, 1, 1))
    UnitLink.objects.create(
        unit=moved, parent=world.stc, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2025, 6, 30)
    )
    UnitLink.objects.create(unit=moved, parent=world.snv, valid_from=dt.date(2025, 7, 1))
    invalidate()
    survey = with_questions(SurveyFactory.create(unit=moved))
    respond(survey, dt.date(2025, 3, 1), {"Q1": 5, "Q2": 5})
    respond(survey, dt.date(2025, 9, 1), {"Q1": 1})
    result = satisfaction_for_units(
        units=[world.stc, world.snv, moved, world.city], date_from=JAN1, date_to=DEC31
    )
    assert result[world.stc.pk].responses == 1
    assert result[world.stc.pk].index == Decimal(100)
    assert result[world.snv.pk].responses == 1
    assert result[world.snv.pk].index == Decimal(0)
    assert result[moved.pk].responses == 2
    assert result[world.city.pk].by_element == {"access": Decimal(50), "procedure": Decimal(100)}


def test_it_answers_many_units_in_a_few_queries(
    world, ward_survey, stc_survey, django_assert_max_num_queries
):
    for day in range(1, 28):
        respond(ward_survey, dt.date(2025, 2, day), {"Q1": day % 5 + 1, "Q3": 4})
        respond(stc_survey, dt.date(2025, 2, day), {"Q2": 2})
    units = [world.city, world.snv, world.snv_tc, world.snv_cc, world.stc, world.stc_ns, world.ward]
    tree()  # loaded once per change of the tree; then one read of its counter
    with django_assert_max_num_queries(3):
        satisfaction_for_units(units=units, date_from=JAN1, date_to=DEC31)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["access", "procedure", "civil_servant", "result", "feedback"]),
        st.tuples(st.integers(0, 50), st.integers(0, 50)).map(lambda t: (min(t), max(t))),
    )
)
def test_the_index_lies_between_the_lowest_and_highest_element(counts):
    figure = from_counts(1, counts)
    if not figure.by_element:
        assert figure.index is None
        return
    assert figure.index is not None
    # 28 significant digits: the mean may differ from an equal element in the last one.
    slack = Decimal("1e-20")
    assert min(figure.by_element.values()) - slack <= figure.index
    assert figure.index <= max(figure.by_element.values()) + slack
    assert all(Decimal(0) <= v <= Decimal(100) for v in figure.by_element.values())


def test_it_rounds_half_up_only_when_written():
    assert rounded(Decimal("12.345")) == Decimal("12.35")
    assert rounded(Decimal("12.344999")) == Decimal("12.34")
    assert rounded(Decimal(200) / 3) == Decimal("66.67")
