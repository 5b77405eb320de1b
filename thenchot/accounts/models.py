from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.choices import Role
from thenchot.core.fields import parent_reference, reference
from thenchot.core.models import unique


class User(AbstractUser):
    """A person's login. The staff record links to it (`Staff.user`)."""

    # The language chosen with the language switch, kept here (not only in the cookie) so that
    # background jobs write inbox texts and e-mails in it; empty: the site language.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RoleGrant(models.Model):
    """`user` holds `role` over `unit` and everything under it (city-wide roles ignore it)."""

    user = parent_reference(settings.AUTH_USER_MODEL, _("user"), "grants")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = reference("org.Unit", _("unit"), "grants", optional=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            unique(
                ["user", "role", "unit"],
                name="accounts_grant_unique",
                message=_("This role is already granted on this unit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.role} @ {self.unit_id}"
