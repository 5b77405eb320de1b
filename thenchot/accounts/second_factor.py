"""A second factor for the accounts that decide who may do what.

Administrators and personnel officers (`Role.ADMIN`, `Role.PERSONNEL`, and superusers) sign in
with their password and then a time-based one-time code (TOTP, RFC 6238) from an authenticator
app on their phone: django-otp keeps the devices and checks the codes (with its throttling of
wrong codes). The first time, the account enrols: the page shows a QR code (segno) and the
secret to type in by hand, and the device counts once a first code from it is accepted.

`SecondFactorMiddleware` holds every page of such an account at the code page until the session
is verified; the API answers 403 instead of redirecting. Requests authenticated by an API
token carry no session and are not concerned (tokens are issued by an administrator). The
requirement is on by default and off in the demo and the tests (`THENCHOT_SECOND_FACTOR`);
the tests of this module turn it on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import scope_for

REQUIRED_ROLES = frozenset({Role.ADMIN.value, Role.PERSONNEL.value})
# Paths a not-yet-verified session may reach: the code pages themselves, logging out, the
# language switch, static files, and the health check.
EXEMPT_PREFIXES = ("/login/", "/logout/", "/i18n/", "/static/", "/health/", "/jsi18n/")


def enabled() -> bool:
    return bool(getattr(settings, "THENCHOT_SECOND_FACTOR", True))


def required_for(request: HttpRequest) -> bool:
    """Does this signed-in session need a verified second factor? (The reader's scope, which
    the page computes anyway, says which roles the account holds.)"""
    user = request.user
    if not enabled() or not user.is_authenticated:
        return False
    return bool(scope_for(request).roles & REQUIRED_ROLES)


def verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


class SecondFactorMiddleware:
    """After `django_otp.middleware.OTPMiddleware`: an account that needs a second factor
    reaches nothing but the code pages until its session is verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not request.path.startswith(EXEMPT_PREFIXES)
            and required_for(request)
            and not verified(request)
        ):
            return self.hold(request)
        return self.get_response(request)

    @staticmethod
    def hold(request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("This account needs its one-time code: sign in on the website.")},
                status=403,
            )
        target = reverse("accounts:second_factor")
        if request.method == "GET":
            from urllib.parse import urlencode

            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


def device_for(user: Any, *, confirmed: bool) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()
