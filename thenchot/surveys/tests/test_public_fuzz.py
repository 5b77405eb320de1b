"""Whatever is posted to the public form — random field names, values, sizes, tokens — the
answer is a 2xx, 3xx or 4xx page, never a server error; and a refused sending writes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thenchot.surveys import services
from thenchot.surveys.models import Response

pytestmark = pytest.mark.django_db

text = st.text(max_size=40)
values = st.one_of(
    text,
    st.integers(-10, 10).map(str),
    st.sampled_from(["", "1", "5", "6", "0", "\x00", "é" * 30, "1e3", " 4 "]),
)
names = st.one_of(
    st.sampled_from(["answer-Q1", "answer-Q2", "answer-Q5", "form", "answer-", "answer-X"]),
    text.map(lambda s: "answer-" + s),
    text,
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.lists(st.tuples(names, values), max_size=12),
    keep_token=st.booleans(),
    short=st.one_of(st.just("bd2025"), st.text(alphabet="abc-_0129", min_size=1, max_size=20)),
)
def test_it_never_fails_on_any_input(
    ward_survey, monkeypatch, settings_fixture, fields, keep_token, short
):
    monkeypatch.setattr(services, "today", lambda: dt.date(2025, 6, 15))
    cache.clear()
    client = Client()
    page = client.get(reverse("surveys:public", args=["bd2025"]))
    token = re.search(r'name="form" value="([^"]+)"', page.content.decode())
    assert token is not None
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    if keep_token:
        data["form"] = [token.group(1)]
    before = Response.objects.count()
    response = client.post(f"/s/{short}/", data)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert Response.objects.count() == before


@pytest.fixture
def settings_fixture(settings):
    settings.THENCHOT_SURVEY_RATE_LIMIT = (10_000, 60)
    return settings
