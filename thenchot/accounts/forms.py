"""Login and password forms (Django's, with the fields our pages need)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username"})
        self.fields["password"].label = _("Password")


class ResetPasswordForm(PasswordResetForm):
    """Reset for every active account with this e-mail, including accounts without a usable
    password yet: imported accounts get none, and people set their first one through here."""

    def get_users(self, email: str) -> Iterator[Any]:
        User = get_user_model()
        email_field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})
        # An account the agency's directory owns signs in there: a password set here would
        # never be accepted (thenchot.directory, an optional app above this one).
        if django_apps.is_installed("thenchot.directory"):
            users = users.filter(directory_account__isnull=True)
        return iter(users)
