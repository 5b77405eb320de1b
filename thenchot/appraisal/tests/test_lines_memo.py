"""Inside a request the managing line is worked out once per user and day, from the grants and
headships the request's scope read: the same line as outside a request, without a query, and
nothing when asked again (issue 18: the home page asked twice)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal.services import line_for
from thenchot.appraisal.services.base import _today
from thenchot.core.scope import request_memo

pytestmark = pytest.mark.django_db


def test_a_request_gets_the_same_line_once(world: Any, django_assert_num_queries: Any) -> None:
    lines = 0
    for name in sorted(world.users):
        user = world.user(name)
        outside = line_for(user)
        lines += bool(outside.reviews or outside.approves)
        with request_memo():
            compute_scope(user, _today())  # what the request's scope already read
            with CaptureQueriesContext(connection) as first:
                inside = line_for(user)
            with django_assert_num_queries(0):
                again = line_for(user)
        assert inside == outside and again is inside
        read = " ".join(q["sql"] for q in first.captured_queries)
        # The scope's one query read the headships too (the tree's version may be read).
        assert not any(t in read for t in ("rolegrant", "people_staff", "people_headassignment"))
    assert lines  # the world has managers: the lines compared are not all empty


def test_outside_a_request_nothing_is_kept(world: Any, django_assert_num_queries: Any) -> None:
    user = world.user(sorted(world.users)[0])
    line_for(user)
    with CaptureQueriesContext(connection) as again:
        line_for(user)
    read = " ".join(q["sql"] for q in again.captured_queries)
    assert "rolegrant" in read and "people_staff" in read
