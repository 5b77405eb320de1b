"""Shared arrangements of the survey tests: a survey of the ward (P-BADINH, under the city)
with one question per element, and one of STC (the Department of Finance)."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.surveys.testing import SurveyFactory, with_questions


@pytest.fixture
def ward_survey(world):
    return with_questions(
        SurveyFactory.create(
            code="KS-BD",
            title="Khảo sát hài lòng Phường Ba Đình",
            unit=world.ward,
            opens_on=dt.date(2025, 1, 1),
            closes_on=dt.date(2025, 12, 31),
            short_code="bd2025",
        )
    )


@pytest.fixture
def stc_survey(world):
    return with_questions(
        SurveyFactory.create(
            code="KS-STC",
            title="Khảo sát hài lòng Sở Tài chính",
            unit=world.stc_ns,
            opens_on=dt.date(2025, 1, 1),
            short_code="stc2025",
        )
    )
