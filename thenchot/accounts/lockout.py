"""Login throttling and lockout (django-axes): after `THENCHOT_LOGIN_FAILURE_LIMIT` wrong
passwords for one account from one address, that account is refused from that address, even
with the right password, for `THENCHOT_LOGIN_COOLOFF_MINUTES`; a success resets the count.

`LockoutBackend` is axes' backend, placed first among the authentication backends: it refuses a
locked-out attempt before any backend checks a password. A call without a request (the command
line, Django's test client `login()`) does not come from the network and is not counted."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request: Any = None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def lockout_response(request: Any, original_response: Any = None, credentials: Any = None) -> Any:
    """The page a locked-out attempt gets (HTTP 429), in the reader's language, saying how long."""
    import math

    from django.conf import settings
    from django.shortcuts import render

    minutes = max(1, math.ceil(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
