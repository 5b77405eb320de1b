"""What a user may read and write, computed once per request from their role grants.

Every queryset a view or endpoint sees goes through `Scope.restrict_*` first (NetBox's habit);
every write re-checks the target unit inside its transaction with `Scope.require_write`.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.db.models import Q, QuerySet
from django.utils import timezone

from thenchot.accounts.choices import CITY_WIDE_ROLES, ORG_WRITER_ROLES, Role
from thenchot.core.errors import OutOfScope
from thenchot.core.scope import memo, scope_for_request


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
    # The grants it was computed from, (role, unit id): what the pages list as the user's roles.
    grants: tuple[tuple[str, int | None], ...] = ()
    # The user's headships on `on`, (unit id, head role), and their staff record's unit, read
    # with the grants (`_compute`); `facts_read` False (a scope built by hand): not read, the
    # apps that need them ask the database.
    headships: tuple[tuple[int, str], ...] = ()
    own_unit_id: int | None = None
    facts_read: bool = False

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
    """The scope of `user` on `on` (default today). Inside a request it is computed once per
    user and day (`core.scope.request_memo`): the apps that ask again get the same one."""
    on = on or timezone.localdate()
    if user is None or not user.is_authenticated:
        return Scope(user_id=None, on=on)
    kept = memo()
    key = ("scope", user.pk, user.is_superuser, on)
    if kept is not None and key in kept:
        return cast(Scope, kept[key])
    scope = _compute(user, on)
    if kept is not None:
        kept[key] = scope
    return scope


def _compute(user: Any, on: dt.date) -> Scope:
    grants, staff_id, own_unit, headships = _grants_and_staff(user, on)
    roles = {role for role, _unit in grants}
    if staff_id is not None:
        roles.add(Role.STAFF)
    city_wide = user.is_superuser or bool(roles & {r.value for r in CITY_WIDE_ROLES})
    read, write = _units_of(grants, on)
    can_write_org = user.is_superuser or bool(roles & {r.value for r in ORG_WRITER_ROLES})
    return Scope(
        user_id=user.pk,
        roles=roles | ({Role.ADMIN.value} if user.is_superuser else set()),
        city_wide=city_wide,
        can_write_org=can_write_org,
        read_units=read,
        write_units=write,
        own_staff_id=staff_id,
        on=on,
        grants=tuple(grants),
        headships=tuple(sorted(headships)),
        own_unit_id=own_unit,
        facts_read=True,
    )


# The grants and the staff link are read on every request (one query, `_grants_and_staff`), so a
# revoked grant or a moved login counts at once; what is cached is only what follows from them:
# the units of the grants on a day, by the grants themselves and the tree snapshot (a pure
# function of the two, so never stale). A few hundred distinct grant sets fill it in a city.
_UNITS_CACHE_SIZE = 2048
_units_cache: OrderedDict[
    tuple[dt.date, tuple[tuple[str, int | None], ...]],
    tuple[UnitTree, frozenset[int], frozenset[int]],
] = OrderedDict()
_units_lock = threading.Lock()
_STAFF_MARK = "~staff"  # not a role: the row of the union that carries the staff id
_UNIT_MARK = "~unit"  # the row that carries the staff record's unit
_HEAD_MARK = "~head:"  # before a head role: a row that carries a unit the user heads on the day


def _grants_and_staff(
    user: Any, on: dt.date
) -> tuple[list[tuple[str, int | None]], int | None, int | None, list[tuple[int, str]]]:
    """The user's grants (role, unit id), their staff record's id and unit, and the units they
    head (or deputise) on `on` with the role, in one query: the appraisal's managing line and
    the units whose evaluations one manages follow from them (they were two more queries on
    every page that asks for either, issue 18)."""
    grants: list[tuple[str, int | None]] = []
    staff_id = own_unit = None
    headships: list[tuple[int, str]] = []
    pk = user.pk
    with connections[user._state.db or "default"].cursor() as cursor:
        cursor.execute(_grants_and_staff_sql(), [pk, pk, pk, pk, on, on])
        for mark, unit_id in cursor.fetchall():
            if mark == _STAFF_MARK:
                staff_id = unit_id
            elif mark == _UNIT_MARK:
                own_unit = unit_id
            elif mark.startswith(_HEAD_MARK):
                headships.append((unit_id, mark[len(_HEAD_MARK) :]))
            else:
                grants.append((mark, unit_id))
    return grants, staff_id, own_unit, headships


@functools.cache
def _grants_and_staff_sql() -> str:
    """Written once from the models' metadata (the ORM's union costs more to compile than the
    database takes to answer it, on every request). The staff and head assignment tables are
    reached through the reverse relations `people.Staff.user` and `people.HeadAssignment.staff`
    by their names only: accounts sits below people and does not import it. A head assignment
    counts on the day when its [valid_from, valid_to] holds it (null bounds open), as
    `org.models.valid_on_q` says."""
    from django.contrib.auth import get_user_model

    from thenchot.accounts.models import RoleGrant

    staff_model: Any = get_user_model()._meta.get_field("staff").related_model
    grant = RoleGrant._meta
    staff = staff_model._meta
    head = staff.get_field("headships").related_model._meta

    def q(name: Any) -> str:
        return str(connection.ops.quote_name(str(name)))

    def column(meta: Any, name: str) -> str:
        return q(meta.get_field(name).column)

    staff_of_user = f"FROM {q(staff.db_table)} WHERE {column(staff, 'user')} = %s"
    valid_from, valid_to = column(head, "valid_from"), column(head, "valid_to")
    return (
        f"SELECT {column(grant, 'role')}, {column(grant, 'unit')}"
        f" FROM {q(grant.db_table)} WHERE {column(grant, 'user')} = %s"
        f" UNION ALL SELECT '{_STAFF_MARK}', {q(staff.pk.column)} {staff_of_user}"
        f" UNION ALL SELECT '{_UNIT_MARK}', {column(staff, 'unit')} {staff_of_user}"
        f" UNION ALL SELECT '{_HEAD_MARK}' || {column(head, 'role')}, {column(head, 'unit')}"
        f" FROM {q(head.db_table)} WHERE {column(head, 'staff')} IN"
        f" (SELECT {q(staff.pk.column)} {staff_of_user})"
        f" AND ({valid_from} IS NULL OR {valid_from} <= %s)"
        f" AND ({valid_to} IS NULL OR {valid_to} >= %s)"
    )


def _units_of(
    grants: list[tuple[str, int | None]], on: dt.date
) -> tuple[frozenset[int], frozenset[int]]:
    """The units the grants read and write on `on` (subtrees and predecessors expanded)."""
    if not any(unit_id is not None for _role, unit_id in grants):
        return frozenset(), frozenset()  # no tree needed (most people: no grant at all)
    snapshot = _tree()
    key = (on, tuple(sorted(grants, key=lambda g: (g[0], g[1] or 0))))
    with _units_lock:
        hit = _units_cache.get(key)
        if hit is not None and hit[0] is snapshot:
            _units_cache.move_to_end(key)
            return hit[1], hit[2]
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
    result = (frozenset(read), frozenset(write))
    with _units_lock:
        _units_cache[key] = (snapshot, *result)
        _units_cache.move_to_end(key)
        while len(_units_cache) > _UNITS_CACHE_SIZE:
            _units_cache.popitem(last=False)
    return result


def scope_for(request: Any) -> Scope:
    """The request's scope, computed once and kept on the request (`core.scope`)."""
    return cast(Scope, scope_for_request(request))
