"""A manager who changes only the level must say why, as for changed points (issue 11)."""

from __future__ import annotations

import pytest

from thenchot.appraisal.services.review import ReviewChange, _apply_review
from thenchot.core.errors import DomainError

pytestmark = pytest.mark.django_db


class _Evaluation:
    """Only what `_apply_review` reads before it refuses."""

    general_points = task_points = bonus_points = None
    proposed_level = "good"


def test_it_refuses_a_level_only_adjustment_without_a_comment(monkeypatch):
    import sys

    # The package re-exports a function named `review`: reach the module itself.
    review = sys.modules["thenchot.appraisal.services.review"]
    monkeypatch.setattr(review, "check_points", lambda ev, merged: {"tasks": 30})
    with pytest.raises(DomainError) as refused:
        _apply_review(_Evaluation(), ReviewChange(level="excellent"), None, missing=False)
    assert "comment" in str(refused.value.message)
