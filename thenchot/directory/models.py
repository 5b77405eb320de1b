"""Which directory groups give which role on which unit, which accounts the directory owns, and
which role grants it made (so that it takes back only its own)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.choices import CITY_WIDE_ROLES, Role
from thenchot.core.models import VersionedModel


class DirectorySource(models.TextChoices):
    OIDC = "oidc", _("OpenID Connect")
    LDAP = "ldap", _("LDAP / Active Directory")


def normalize_group(name: str) -> str:
    """The key a group is compared by: directories compare DNs and names case-insensitively,
    and spaces after a DN's commas are not significant."""
    return ",".join(part.strip() for part in name.strip().split(",")).casefold()


class GroupMapping(VersionedModel):
    """Members of directory group `group` hold `role` over `unit` and its subtree (city-wide
    roles name no unit). Applied at each sign-in through the directory."""

    group = models.CharField(
        _("directory group"),
        max_length=500,
        help_text=_(
            "As the directory sends it: the group's DN for LDAP/Active Directory "
            "(cn=...,ou=...,dc=...), the value of the groups claim for OpenID Connect."
        ),
    )
    group_key = models.CharField(_("group key"), max_length=500, editable=False, db_index=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The role covers this unit and everything under it."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("directory group mapping")
        verbose_name_plural = _("directory group mappings")
        ordering = ["group_key", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["group_key", "role", "unit"],
                name="directory_mapping_unique",
                violation_error_message=_("This group already gives this role on this unit."),
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False)
                | Q(role__in=sorted(r.value for r in CITY_WIDE_ROLES)),
                name="directory_mapping_unit_required",
                violation_error_message=_("Choose the unit the role covers."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}"

    def normalize(self) -> None:
        """The comparison key from the group; a city-wide role names no unit."""
        self.group = self.group.strip()
        self.group_key = normalize_group(self.group)
        if self.role in {r.value for r in CITY_WIDE_ROLES}:
            self.unit = None

    def clean(self) -> None:
        # The admin writes through `save_versioned` (an UPDATE of the form's values), which
        # never calls save(): the key is set here. A form leaves out the constraints on a field
        # it does not show (the key), so the one on the key is checked here too.
        self.normalize()
        same = GroupMapping.objects.filter(
            group_key=self.group_key, role=self.role, unit=self.unit
        ).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError(_("This group already gives this role on this unit."))

    def save(self, *args: object, **kwargs: object) -> None:
        self.normalize()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class DirectoryAccount(models.Model):
    """The directory owns this account: it signs in only through the directory (never with a
    local password), keyed by the directory's stable identifier."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="directory_account",
    )
    source = models.CharField(_("directory"), max_length=10, choices=DirectorySource.choices)
    # OIDC: the `sub` claim; LDAP: the entry's DN.
    subject = models.CharField(_("identifier in the directory"), max_length=500)
    groups = models.JSONField(_("groups at the last sign-in"), default=list, blank=True)
    last_sign_in = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("directory account")
        verbose_name_plural = _("directory accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "subject"],
                name="directory_account_subject_unique",
                violation_error_message=_("Another account has this directory identifier."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.subject}"


class DirectoryGrant(models.Model):
    """A role grant the directory made: taken back when the groups stop giving it. Grants
    made by hand have no such row and are never touched by a sign-in."""

    grant = models.OneToOneField(
        "accounts.RoleGrant",
        verbose_name=_("role grant"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="directory_grant",
    )
    source = models.CharField(_("directory"), max_length=10, choices=DirectorySource.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role granted by the directory")
        verbose_name_plural = _("roles granted by the directory")

    def __str__(self) -> str:
        return f"{self.grant_id} ({self.source})"
