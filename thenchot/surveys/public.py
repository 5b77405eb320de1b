"""The public form: a citizen answers a survey on a phone, with no account.

What it keeps: the day and the scores, nothing else — no name, no address, no IP. Abuse:
- CSRF: Django's middleware (the form carries the token; the cookie is the only one set).
- Rate limit per client address: at most `THENCHOT_SURVEY_RATE_LIMIT` (count, seconds) sendings
  per address (default 30 per hour), counted in Django's cache under a *salted hash* of the
  address, which expires with the window — the address itself is never stored. Behind a proxy
  set `THENCHOT_SURVEY_CLIENT_IP_HEADER` (e.g. "HTTP_X_REAL_IP") to the header it sets.
- Duplicates: the page hands out a signed one-time token (`signing`, valid
  `THENCHOT_SURVEY_FORM_MAX_AGE` seconds, default 2 hours) naming the survey; the response keeps
  only the SHA-256 of its nonce, unique in the database, so the same form sent twice (a double
  tap, a replay) is recorded once, across every server process.
- Size: a body over `THENCHOT_SURVEY_MAX_BODY` bytes (default 8 KiB) is refused before it is read;
  answers longer than a few characters or naming unknown questions are refused, each named.
Every refusal is a 4xx page that says why; nothing is written.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thenchot.core.errors import DomainError
from thenchot.surveys import selectors, services
from thenchot.surveys.choices import SCORES
from thenchot.surveys.models import Survey

FIELD_PREFIX = "answer-"
TOKEN_FIELD = "form"
SALT = "thenchot.surveys.public-form"
SCORE_TEXTS = tuple(str(s) for s in SCORES)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def rate_limit() -> tuple[int, int]:
    count, seconds = _setting("THENCHOT_SURVEY_RATE_LIMIT", (30, 3600))
    return int(count), int(seconds)


def form_max_age() -> int:
    return int(_setting("THENCHOT_SURVEY_FORM_MAX_AGE", 2 * 3600))


def max_body() -> int:
    return int(_setting("THENCHOT_SURVEY_MAX_BODY", 8 * 1024))


def client_key(request: HttpRequest) -> str:
    """A salted hash of the client address: the cache key counts sendings without the address."""
    header = _setting("THENCHOT_SURVEY_CLIENT_IP_HEADER", "")
    address = str(request.META.get(header) if header else "") or str(
        request.META.get("REMOTE_ADDR", "")
    )
    address = address.split(",")[0].strip()[:64]
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"surveys-rate:{address}".encode(), hashlib.sha256
    ).hexdigest()
    return f"surveys:rate:{digest[:32]}"


def over_limit(request: HttpRequest) -> bool:
    """Count this sending; True once the address has sent more than the limit in the window."""
    count, seconds = rate_limit()
    key = client_key(request)
    if cache.add(key, 1, timeout=seconds):
        return count < 1
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds)
        sent = 1
    return sent > count


def issue_token(survey: Survey) -> str:
    return signing.dumps({"s": survey.pk, "n": secrets.token_urlsafe(16)}, salt=SALT)


def read_token(survey: Survey, token: str) -> str | None:
    """The SHA-256 of the token's nonce, or None if it is forged, expired or of another survey."""
    if not token or len(token) > 200:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=form_max_age())
    except signing.BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or data.get("s") != survey.pk
        or not isinstance(data.get("n"), str)
    ):
        return None
    return hashlib.sha256(data["n"].encode()).hexdigest()


def _survey(short_code: str) -> Survey:
    survey = selectors.public_survey(short_code)
    if survey is None:
        raise Http404
    return survey


def _page(
    request: HttpRequest,
    survey: Survey,
    *,
    status: int = 200,
    error: str = "",
    errors: dict[str, list[str]] | None = None,
    chosen: dict[str, str] | None = None,
) -> HttpResponse:
    on = services.today()
    is_open = survey.open_on(on)
    chosen = chosen or {}
    questions = []
    for q in selectors.questions_of(survey):
        field = f"{FIELD_PREFIX}{q.code}"
        picked = chosen.get(q.code, "")
        questions.append(
            {
                "question": q,
                "field": field,
                "none_checked": picked not in SCORE_TEXTS,
                # The radio buttons, prepared here: the page is the hot path of the form.
                "options": [
                    {"value": text, "id": f"{field}-{text}", "checked": picked == text}
                    for text in SCORE_TEXTS
                ],
                "errors": (errors or {}).get(q.code, []),
            }
        )
    response = render(
        request,
        "surveys/public_form.html",
        {
            "survey": survey,
            "questions": questions,
            "token": issue_token(survey) if is_open else "",
            "is_open": is_open,
            "error": error,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, short_code: str) -> HttpResponse:
    survey = _survey(short_code)
    if request.method == "GET":
        return _page(request, survey)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > max_body():
        return _page(
            request,
            survey,
            status=413,
            error=_("The form is too large (%(size)s bytes); at most %(limit)s bytes are accepted.")
            % {"size": length, "limit": max_body()},
        )
    if over_limit(request):
        return _page(
            request,
            survey,
            status=429,
            error=_(
                "Too many responses were sent from this network in a short time. "
                "Please try again later."
            ),
        )
    data = request.POST
    answers: dict[str, Any] = {}
    chosen: dict[str, str] = {}
    for name in data:
        if not name.startswith(FIELD_PREFIX):
            continue
        code = name[len(FIELD_PREFIX) :]
        values = data.getlist(name)
        value = values[-1] if values else ""
        answers[code] = value[:12]
        chosen[code[:40]] = value[:10]
    nonce = read_token(survey, str(data.get(TOKEN_FIELD, "")))
    if nonce is None:
        return _page(
            request,
            survey,
            status=400,
            chosen=chosen,
            error=_("This form has expired or is not valid. Please answer again on this page."),
        )
    try:
        services.response_submit(survey=survey, answers=answers, form_token=nonce)
    except services.DuplicateResponse:
        return render(
            request,
            "surveys/public_thanks.html",
            {"survey": survey, "duplicate": True},
            status=409,
        )
    except DomainError as exc:
        return _page(
            request,
            survey,
            status=400,
            chosen=chosen,
            error=str(exc.message),
            errors={k: [str(m) for m in v] for k, v in exc.field_errors.items()},
        )
    return redirect(reverse("surveys:public_thanks", args=[survey.short_code]), permanent=False)


@require_GET
def public_thanks(request: HttpRequest, short_code: str) -> HttpResponse:
    survey = _survey(short_code)
    return render(request, "surveys/public_thanks.html", {"survey": survey, "duplicate": False})
