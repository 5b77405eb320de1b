"""Every page carries the security headers: CSP, no framing, no sniffing, same-origin referrer."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_page_carries_the_security_headers(world, client_for):
    for response in (Client().get("/login/"), client_for("an").get("/")):
        assert response.status_code == 200
        csp = response["Content-Security-Policy"]
        directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
        assert directives["script-src"] == ["'self'"]  # no inline script, no other origin
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_no_page_template_holds_an_inline_script():
    """The policy allows scripts from our static files only: an inline <script> or an on…=
    attribute in a template would be blocked by the browser (and silently do nothing)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]  # the thenchot package
    offenders = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"\son(click|change|submit|load|input)=", text
        ):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_the_session_ends_with_the_working_day(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
