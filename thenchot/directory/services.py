"""Signing in through a directory: the account found or created, and the directory groups
turned into role grants (docs/sso.md). Both backends (OIDC, LDAP) call `sign_in`, so the rules
live once:

- an account is the directory's once linked (`DirectoryAccount`, keyed by the directory's
  stable identifier); an existing local account of the same username is linked only when it
  has no usable password (imported accounts): one with a local password stays local, and the
  directory's namesake is refused rather than handed someone else's account;
- at each sign-in the roles the groups give (`GroupMapping`) are granted and those the
  directory granted earlier and the groups no longer give are taken back; grants made by hand
  are never touched; every grant and revocation is audited, the person signing in as actor;
- a person whose groups give no role, and who has no role by hand nor a staff record, is
  refused with a message saying so (no account is created for them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.models import RoleGrant
from thenchot.core import auditing
from thenchot.core.context import acting
from thenchot.directory.models import (
    DirectoryAccount,
    DirectoryGrant,
    GroupMapping,
    normalize_group,
)

# Where a backend leaves the reason it refused a sign-in, for the login page and the OIDC
# callback to show (accounts.views reads the same attribute name; it cannot import this app).
REFUSAL_ATTRIBUTE = "login_refusal"


class SignInRefused(Exception):
    """The directory said who the person is, but Then Chốt does not let them in."""

    def __init__(self, message: Any) -> None:
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class DirectoryIdentity:
    """Who the directory says signed in."""

    source: str  # DirectorySource
    subject: str  # OIDC `sub`; LDAP DN
    username: str
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    groups: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class GrantChanges:
    added: tuple[tuple[str, int | None], ...]
    removed: tuple[tuple[str, int | None], ...]


def roles_for_groups(groups: Iterable[str]) -> set[tuple[str, int | None]]:
    """The (role, unit id) pairs the mappings give to members of `groups`."""
    keys = {normalize_group(g) for g in groups if g and g.strip()}
    if not keys:
        return set()
    return set(GroupMapping.objects.filter(group_key__in=keys).values_list("role", "unit_id"))


def apply_groups(*, user: Any, groups: Sequence[str], source: str) -> GrantChanges:
    """Grant what `groups` give and take back what the directory granted before and they no
    longer give; grants made by hand stay as they are. Audited; call inside `acting(...)`."""
    wanted = roles_for_groups(groups)
    with transaction.atomic():
        current = {
            (g.role, g.unit_id): g
            for g in RoleGrant.objects.select_for_update().filter(user_id=user.pk)
        }
        ours = set(
            DirectoryGrant.objects.filter(grant__user_id=user.pk).values_list("grant_id", flat=True)
        )
        added = []
        for role, unit_id in sorted(wanted - set(current), key=_order):
            grant = RoleGrant.objects.create(user=user, role=role, unit_id=unit_id)
            DirectoryGrant.objects.create(grant=grant, source=source)
            auditing.record(grant, action=auditing.CREATE)
            added.append((role, unit_id))
        removed = []
        for key, grant in sorted(current.items(), key=lambda kv: _order(kv[0])):
            if grant.pk in ours and key not in wanted:
                auditing.record(
                    grant, action=auditing.DELETE, before=auditing.snapshot(grant), after=None
                )
                grant.delete()
                removed.append(key)
    return GrantChanges(added=tuple(added), removed=tuple(removed))


def sign_in(*, identity: DirectoryIdentity) -> Any:
    """The account of the person the directory vouches for, with the roles their groups give
    now. Raises `SignInRefused` (with the reason to show) when they may not come in."""
    username = identity.username.strip()
    if not username or not identity.subject:
        raise SignInRefused(_("The directory did not say who you are (no user name)."))
    User = get_user_model()
    reason = _("sign-in through the directory")
    with transaction.atomic():
        link = (
            DirectoryAccount.objects.select_for_update()
            .select_related("user")
            .filter(source=identity.source, subject=identity.subject)
            .first()
        )
        user = link.user if link is not None else None
        if user is None:
            user = User._default_manager.filter(username__iexact=username).first()
            if user is not None and (user.has_usable_password() or is_directory_account(user.pk)):
                raise SignInRefused(
                    _(
                        "A local account named %(username)s already exists. Ask the "
                        "administrator to link it to your agency account."
                    )
                    % {"username": username}
                )
        if user is not None and not user.is_active:
            raise SignInRefused(_("Your account is disabled. Ask the administrator."))
        if user is None and not roles_for_groups(identity.groups):
            raise SignInRefused(_no_role_message())
        with acting(actor=user, source="web", reason=str(reason)):
            if user is None:
                user = User(username=username)
                user.set_unusable_password()
                _copy_names(user, identity)
                user.save()
                auditing.record(user, action=auditing.CREATE)
            else:
                before = auditing.snapshot(user)
                if _copy_names(user, identity):
                    user.save()
                    auditing.record(user, action=auditing.UPDATE, before=before)
            with acting(actor=user):
                if link is None:
                    link = DirectoryAccount(user=user, source=identity.source)
                link.subject = identity.subject
                link.groups = sorted(set(identity.groups))
                link.last_sign_in = timezone.now()
                link.save()
                apply_groups(user=user, groups=identity.groups, source=identity.source)
    # Outside the transaction: the roles taken back stay taken back even if the person is
    # refused now for having none left.
    if not (user.is_superuser or user.grants.exists() or _has_staff(user)):
        raise SignInRefused(_no_role_message())
    return user


def _no_role_message() -> Any:
    return _(
        "Your agency account is in no group that has a role in Then Chốt. Ask the "
        "administrator to map your group to a role."
    )


def is_directory_account(user_id: int) -> bool:
    return DirectoryAccount.objects.filter(user_id=user_id).exists()


def _copy_names(user: Any, identity: DirectoryIdentity) -> bool:
    """The directory is the source of the names and e-mail; True when something changed."""
    changed = False
    for attr in ("email", "first_name", "last_name"):
        value = (getattr(identity, attr) or "").strip()
        limit = user._meta.get_field(attr).max_length
        value = value[:limit] if limit else value
        if value and getattr(user, attr) != value:
            setattr(user, attr, value)
            changed = True
    return changed


def _has_staff(user: Any) -> bool:
    try:
        return getattr(user, "staff", None) is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


def _order(key: tuple[str, int | None]) -> tuple[str, int]:
    return (key[0], key[1] or 0)
