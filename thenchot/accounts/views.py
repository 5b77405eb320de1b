"""Login, logout, password change and reset: Django's views, pointed at our namespaced URLs.

The URL names live under `accounts:`, so every redirect is named here rather than read from
the global LOGIN_URL / LOGIN_REDIRECT_URL names.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import PasswordContextMixin
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.urls import reverse, reverse_lazy

from thenchot.accounts.forms import LoginForm, ResetPasswordForm
from thenchot.core.views import HOME_URL, LOGIN_URL, login_required

# Where an authentication backend leaves the reason it refused someone it recognised (the
# agency directory: "your group has no role here"), to be shown instead of "wrong password".
REFUSAL_ATTRIBUTE = "login_refusal"


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True
    next_page = HOME_URL

    def form_invalid(self, form: Any) -> HttpResponse:
        refusal = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        if refusal:
            form.errors[NON_FIELD_ERRORS] = form.error_class([refusal])
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # "Sign in with the agency account" (OpenID Connect), when one is configured: the route
        # belongs to thenchot.directory (docs/sso.md), which sets THENCHOT_OIDC_ENABLED.
        if getattr(settings, "THENCHOT_OIDC_ENABLED", False):
            url = reverse("directory:oidc_init")
            next_url = context.get("next")
            context["oidc_login_url"] = (
                f"{url}?{urlencode({'next': next_url})}" if next_url else url
            )
        return context


class LogoutView(auth_views.LogoutView):
    next_page = LOGIN_URL


# The templates are Django's own names ("registration/password_change_form.html", ...), which
# ours override; only the redirects (namespaced) and the reset e-mail (plain text) differ.
class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Django's version resolves settings.LOGIN_URL as a global URL name; ours is namespaced.
        context = PasswordContextMixin.get_context_data(self, **kwargs)
        context["login_url"] = reverse(LOGIN_URL)
        return context


login = LoginView.as_view()
logout = LogoutView.as_view()
password_change = login_required(PasswordChangeView.as_view())
password_change_done = login_required(auth_views.PasswordChangeDoneView.as_view())
password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = PasswordResetCompleteView.as_view()


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also remembers the choice on the signed-in person's
    account: reminders and e-mails are written by background jobs, which have no cookie."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = getattr(request, "user", None)
    if (
        request.method == "POST"
        and user is not None
        and user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response
