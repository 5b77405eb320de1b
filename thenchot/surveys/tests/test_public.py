"""The public form: a citizen answers with no account; every bad sending is refused with a
clear message and nothing written — a closed survey, a score outside 1–5, a question of
another survey, a forged or reused form, a flood from one address, an oversized body."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from thenchot.audit.models import AuditEntry
from thenchot.surveys import services
from thenchot.surveys.models import Answer, Response

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 6, 15)


@pytest.fixture(autouse=True)
def on_day(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: DAY)
    cache.clear()
    yield
    cache.clear()


def _form(client: Client, short: str = "bd2025") -> tuple[str, str]:
    page = client.get(reverse("surveys:public", args=[short]))
    assert page.status_code == 200
    html = page.content.decode()
    token = re.search(r'name="form" value="([^"]+)"', html)
    assert token is not None
    return reverse("surveys:public", args=[short]), token.group(1)


def test_it_records_an_anonymous_response_and_thanks(ward_survey):
    client = Client(enforce_csrf_checks=True)
    url, token = _form(client)
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        url,
        {
            "csrfmiddlewaretoken": csrf,
            "form": token,
            "answer-Q1": "5",
            "answer-Q2": "3",
            "answer-Q3": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:public_thanks", args=["bd2025"])
    saved = Response.objects.get()
    assert saved.submitted_on == DAY
    assert dict(saved.answers.values_list("question__code", "score")) == {"Q1": 5, "Q2": 3}
    entry = AuditEntry.objects.get(object_id=str(saved.pk), model_label="surveys.response")
    assert entry.actor is None and entry.after["answers"] == {"Q1": 5, "Q2": 3}
    assert "form_token" not in entry.after
    assert client.get(response["Location"]).status_code == 200


def test_it_is_vietnamese_by_default_and_english_on_request(ward_survey):
    client = Client()
    page = client.get(reverse("surveys:public", args=["bd2025"]))
    assert 'lang="vi"' in page.content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("surveys:public", args=["bd2025"]))
    html = page.content.decode()
    assert 'lang="en"' in html and "No answer" in html and 'id="language-switch"' in html


def test_it_refuses_a_post_without_csrf(ward_survey):
    client = Client(enforce_csrf_checks=True)
    url, token = _form(client)
    assert client.post(url, {"form": token, "answer-Q1": "5"}).status_code == 403
    assert not Response.objects.exists()


@pytest.mark.parametrize("value", ["0", "6", "abc", "4.5", "-1", "99999999999"])
def test_it_refuses_an_answer_outside_one_to_five_naming_it(client, ward_survey, value):
    url, token = _form(client)
    response = client.post(url, {"form": token, "answer-Q1": value, "answer-Q2": "4"})
    assert response.status_code == 400
    assert f"&#x27;{value[:12]}&#x27;" in response.content.decode()
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_it_refuses_a_question_of_another_survey(client, ward_survey, stc_survey):
    from thenchot.surveys.models import Question

    Question.objects.create(survey=stc_survey, position=9, code="X9", text="x", element="result")
    url, token = _form(client)
    response = client.post(url, {"form": token, "answer-X9": "5", "answer-Q1": "4"})
    assert response.status_code == 400
    assert "X9" in response.content.decode()
    assert not Response.objects.exists()


def test_it_refuses_a_response_after_the_survey_closed(client, ward_survey, monkeypatch):
    url, token = _form(client)
    monkeypatch.setattr(services, "today", lambda: dt.date(2026, 1, 1))
    response = client.post(url, {"form": token, "answer-Q1": "5"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "31/12/2025" in html and "KS-BD" in html
    assert not Response.objects.exists()
    page = client.get(url)
    assert (
        'id="survey-closed"' in page.content.decode() and 'name="form"' not in page.content.decode()
    )


def test_it_records_the_same_form_once(client, ward_survey):
    url, token = _form(client)
    first = client.post(url, {"form": token, "answer-Q1": "5"})
    again = client.post(url, {"form": token, "answer-Q1": "5"})
    assert first.status_code == 302
    assert again.status_code == 409
    assert Response.objects.count() == 1


def test_it_refuses_a_forged_or_foreign_token(client, ward_survey, stc_survey):
    url, _token = _form(client)
    _other_url, other_token = _form(client, "stc2025")
    for token in ("", "forged", other_token):
        assert client.post(url, {"form": token, "answer-Q1": "5"}).status_code == 400
    assert not Response.objects.exists()


def test_it_limits_the_sendings_of_one_address(client, ward_survey, settings):
    settings.THENCHOT_SURVEY_RATE_LIMIT = (3, 600)
    url, _token = _form(client)
    codes = []
    for _ in range(5):
        _u, token = _form(client)
        codes.append(client.post(url, {"form": token, "answer-Q1": "4"}).status_code)
    assert codes == [302, 302, 302, 429, 429]
    assert Response.objects.count() == 3
    other = Client(REMOTE_ADDR="10.0.0.9")
    _u, token = _form(other)
    assert other.post(url, {"form": token, "answer-Q1": "4"}).status_code == 302
    # The cache holds a hash of the address, never the address.
    from django.test import RequestFactory

    from thenchot.surveys.public import client_key

    assert "127.0.0.1" not in client_key(RequestFactory().get("/"))


def test_it_refuses_an_oversized_body(client, ward_survey, settings):
    settings.THENCHOT_SURVEY_MAX_BODY = 500
    url, token = _form(client)
    response = client.post(url, {"form": token, "answer-Q1": "4", "junk": "x" * 2000})
    assert response.status_code == 413
    assert not Response.objects.exists()


def test_it_refuses_an_empty_response(client, ward_survey):
    url, token = _form(client)
    response = client.post(url, {"form": token, "answer-Q1": ""})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_an_unknown_short_code_is_not_found(client, ward_survey):
    assert client.get(reverse("surveys:public", args=["nope"])).status_code == 404
    assert client.get("/s/" + "x" * 40 + "/").status_code == 404
