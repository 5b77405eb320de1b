"""What a user may read and write, computed once per request from their role grants.

Every queryset a view or endpoint sees goes through `Scope.restrict_*` first (NetBox's habit);
every write re-checks the target unit inside its transaction with `Scope.require_write`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.utils import timezone

from thenchot.accounts.choices import CITY_WIDE_ROLES, ORG_WRITER_ROLES, Role
from thenchot.core.errors import OutOfScope
from thenchot.core.scope import scope_for_request


class UnitTree(Protocol):
    """What a scope reads of the dated unit tree (`org.tree.TreeSnapshot`)."""

    @property
    def units(self) -> Mapping[int, Any]: ...

    def readable_from(self, unit_id: int, on: dt.date) -> set[int]: ...

    def subtree_on(self, unit_id: int, on: dt.date) -> set[int]: ...


# org sits above accounts (its services and pages take a Scope), so org hands its tree in from
# `AppConfig.ready()` instead of accounts importing `org.tree`.
_tree_provider: Callable[[], UnitTree] | None = None


def use_unit_tree(provider: Callable[[], UnitTree]) -> None:
    """Register the callable returning the current tree snapshot (org does, at start-up)."""
    global _tree_provider
    _tree_provider = provider


def _tree() -> UnitTree:
    if _tree_provider is None:
        raise ImproperlyConfigured("No unit tree registered: is thenchot.org installed?")
    return _tree_provider()


@dataclass
class Scope:
    user_id: int | None
    roles: set[str] = field(default_factory=set)
    city_wide: bool = False
    can_write_org: bool = False
    read_units: frozenset[int] = frozenset()
    write_units: frozenset[int] = frozenset()
    own_staff_id: int | None = None
    on: dt.date = field(default_factory=lambda: timezone.localdate())

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    # -- units ---------------------------------------------------------------------------------
    def can_read_unit(self, unit_id: int) -> bool:
        return self.city_wide or unit_id in self.read_units

    def can_write_unit(self, unit_id: int) -> bool:
        if not self.can_write_org:
            return False
        info = _tree().units.get(unit_id)
        if info is None or (info.valid_to is not None and info.valid_to < self.on):
            return False  # nobody writes to a unit that has ended (rules.md)
        return self.city_wide or unit_id in self.write_units

    def require_write_unit(self, unit_id: int) -> None:
        if not self.can_write_unit(unit_id):
            raise OutOfScope()

    def unit_filter(self, path: str) -> Q:
        """Q restricting rows whose unit (at `path`, e.g. "unit_id") is readable."""
        if self.city_wide:
            return Q()
        if not self.read_units:
            return Q(pk__in=[])
        return Q(**{f"{path}__in": sorted(self.read_units)})

    def restrict_units(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        return qs.filter(self.unit_filter("id"))

    def restrict_staff(self, qs: QuerySet[Any], unit_path: str = "unit_id") -> QuerySet[Any]:
        """Staff rows: their unit readable, or the user's own record."""
        if self.city_wide:
            return qs
        q = self.unit_filter(unit_path) if self.read_units else Q(pk__in=[])
        if self.own_staff_id is not None:
            q |= Q(pk=self.own_staff_id)
        return qs.filter(q)


def compute_scope(user: Any, on: dt.date | None = None) -> Scope:
    on = on or timezone.localdate()
    if user is None or not user.is_authenticated:
        return Scope(user_id=None, on=on)
    grants = list(user.grants.values_list("role", "unit_id"))
    roles = {role for role, _unit in grants}
    staff_id = getattr(getattr(user, "staff", None), "pk", None) if _has_staff(user) else None
    if staff_id is not None:
        roles.add(Role.STAFF)
    city_wide = user.is_superuser or bool(roles & {r.value for r in CITY_WIDE_ROLES})
    snapshot = _tree()
    read: set[int] = set()
    write: set[int] = set()
    for role, unit_id in grants:
        if unit_id is None or role in CITY_WIDE_ROLES or role == Role.STAFF:
            continue
        if unit_id not in snapshot.units:
            continue
        read |= snapshot.readable_from(unit_id, on)
        if role in ORG_WRITER_ROLES:
            write |= snapshot.subtree_on(unit_id, on)
    can_write_org = user.is_superuser or bool(roles & {r.value for r in ORG_WRITER_ROLES})
    return Scope(
        user_id=user.pk,
        roles=roles | ({Role.ADMIN.value} if user.is_superuser else set()),
        city_wide=city_wide,
        can_write_org=can_write_org,
        read_units=frozenset(read),
        write_units=frozenset(write),
        own_staff_id=staff_id,
        on=on,
    )


def _has_staff(user: Any) -> bool:
    try:
        return user.staff is not None
    except Exception:  # RelatedObjectDoesNotExist
        return False


def scope_for(request: Any) -> Scope:
    """The request's scope, computed once and kept on the request (`core.scope`)."""
    return cast(Scope, scope_for_request(request))
