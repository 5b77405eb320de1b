"""The one-time code pages (accounts.second_factor): enrol an authenticator app, then give
its code at each sign-in."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from thenchot.accounts import second_factor
from thenchot.core import auditing
from thenchot.core.views import login_required


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("One-time code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={
            "invalid": gettext_lazy("Enter the 6 digits your authenticator app shows.")
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _check(device: Any, form: CodeForm) -> bool:
    """The code against the device, through django-otp's throttling: after a wrong code the
    next try waits (1 s, 2 s, 4 s...), and the refusal says so."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        wait = (info or {}).get("locked_until")
        form.add_error(
            "code",
            _("Too many wrong codes: wait a moment and try again.")
            if wait is None
            else _("Too many wrong codes: try again after %(time)s.")
            % {"time": wait.strftime("%H:%M:%S")},
        )
        return False
    if not device.verify_token(form.cleaned_data["code"].strip()):
        form.add_error("code", _("This code is not right, or it has expired. Try the current one."))
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    next_url = second_factor.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if not second_factor.required_for(request) or second_factor.verified(request):
        return redirect(next_url)
    device = second_factor.device_for(request.user, confirmed=True)
    if device is None:
        return redirect(f"{_setup_url()}?{urlencode({'next': next_url})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(device, form):
        from django_otp import login as otp_login

        otp_login(request, device)
        return redirect(next_url)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "registration/second_factor.html", {"form": form, "next": next_url}, status=status
    )


def _setup_url() -> str:
    from django.urls import reverse

    return reverse("accounts:second_factor_setup")


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: one unconfirmed device per account until a code from it is
    accepted (reloading the page shows the same secret)."""
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    next_url = second_factor.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if not second_factor.required_for(request):
        return redirect(next_url)
    if second_factor.device_for(request.user, confirmed=True) is not None:
        return redirect(next_url if second_factor.verified(request) else "accounts:second_factor")
    device = second_factor.device_for(request.user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=_("Authenticator app"), confirmed=False
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(device, form):
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # The secret never goes to the audit log: the line says which device now counts.
            auditing.record(
                device,
                action=auditing.CREATE,
                after={"user": request.user.pk, "name": device.name, "confirmed": True},
                reason=_("Second factor enrolled"),
            )
        otp_login(request, device)
        return redirect(next_url)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "next": next_url,
        "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "registration/second_factor_setup.html", context, status=status)


def _qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff"))
