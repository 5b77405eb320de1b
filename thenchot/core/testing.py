"""Test helpers that belong to no app. Factories live beside their models: `accounts.testing`
(users), `org.testing` (units), `people.testing` (staff and the persona world)."""

from __future__ import annotations

import re
from typing import Any

_CSRF_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def page_html(response: Any) -> str:
    """A page's HTML with its random CSRF tokens blanked, so that a test asserting that a short
    code ("STC") is absent cannot fail on a token that happens to contain it."""
    return _CSRF_TOKEN.sub(r"\1", response.content.decode())
