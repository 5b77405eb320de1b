"""The base every API viewset stands on: the request's scope, the audit actor, the as-of date.

DRF authenticates tokens inside the view, after Django's middleware has run, so the middleware's
audit context (and any scope cached on the Django request) still sees an anonymous user for a
token call. `ScopedViewSetMixin.initial` therefore recomputes both from the authenticated user.
"""

from __future__ import annotations

import datetime as dt
from contextvars import Token
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.filters import OrderingFilter
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from thenchot.core import scope as scopes
from thenchot.core.api.authentication import with_prepared_token
from thenchot.core.context import ActionContext, _current

# The scope class of the app that provides it (`accounts.scoping.Scope`); core never names it.
ScopeT = TypeVar("ScopeT")


class StableOrderingFilter(OrderingFilter):
    """Ordering that always ends on the primary key, so pages never repeat or skip a row."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(term.lstrip("-") in {"pk", "id"} for term in ordering):
            ordering.append("pk")
        return ordering


def date_param(request: Request, name: str, *, required: bool = False) -> dt.date | None:
    """The query parameter `name` as a date, None when absent (a 400 when `required`); a value
    that is not a YYYY-MM-DD date is a 400."""
    raw = request.query_params.get(name, "")
    if not raw:
        if required:
            raise serializers.ValidationError({name: [_("This parameter is required.")]})
        return None
    try:
        return forms.DateField(input_formats=["%Y-%m-%d"]).clean(raw)
    except forms.ValidationError as exc:
        raise serializers.ValidationError(
            {name: [_("Enter a date as YYYY-MM-DD, for example 2023-06-30.")]}
        ) from exc


def parse_as_of(request: Request) -> dt.date | None:
    """The `as_of` query parameter as a date (None when absent); a bad value is a 400."""
    return date_param(request, "as_of")


if TYPE_CHECKING:
    # The mixin always sits before a DRF generic view: type it as one, so `self.request` and
    # the `super()` calls below are checked against DRF's own signatures.
    _ScopedBase = GenericAPIView[Any]
else:
    _ScopedBase = object


class ScopedViewSetMixin(Generic[ScopeT], _ScopedBase):
    """Restricts every queryset to the user's scope and audits writes as the API user.

    Subclasses implement `scoped_queryset(scope)`; `get_queryset()` is not to be overridden,
    so no endpoint can forget the restriction.
    """

    _scope: ScopeT | None = None
    _context_token: Token[ActionContext] | None = None
    # The settings' classes, DRF's token authentication read by a query compiled once.
    authentication_classes = with_prepared_token(list(api_settings.DEFAULT_AUTHENTICATION_CLASSES))

    # -- request life cycle ----------------------------------------------------------------
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Authentication has happened: the audit trail names the API user, not "anonymous".
        ctx = replace(_current.get(), actor=request.user, source="api")
        self._context_token = _current.set(ctx)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        if self._context_token is not None:
            _current.reset(self._context_token)
            self._context_token = None
        return super().finalize_response(request, response, *args, **kwargs)

    # -- scope and date --------------------------------------------------------------------
    @property
    def scope(self) -> ScopeT:
        if self._scope is None:
            self._scope = cast(ScopeT, scopes.provider().for_user(self.request.user))
            # Keep the Django request in step, so helpers that call `scope_for(request)` agree.
            django_request: Any = self.request._request  # holds the private cache attribute
            django_request._thenchot_scope = self._scope
        return self._scope

    @property
    def as_of_given(self) -> dt.date | None:
        if not hasattr(self, "_as_of_given"):
            self._as_of_given = parse_as_of(self.request)
        return self._as_of_given

    @property
    def as_of(self) -> dt.date:
        """The date the response describes: `as_of` when given, else today (local time)."""
        return self.as_of_given or timezone.localdate()

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            # Schema generation inspects the queryset without a real user: show it nothing.
            return self.scoped_queryset(cast(ScopeT, scopes.provider().nobody()))
        qs = self.scoped_queryset(self.scope)
        if self._lock_rows:
            # Only the endpoint's own rows: a joined row (the period, the person) is not locked.
            qs = qs.select_for_update(of=("self",))
        return qs

    _lock_rows = False

    def get_locked_object(self) -> Any:
        """`get_object()` read with SELECT … FOR UPDATE: the record of the URL through the
        scope and locked in one query (call it inside `transaction.atomic()`), so a write
        need not read the row a second time to lock it."""
        self._lock_rows = True
        try:
            return self.get_object()
        finally:
            self._lock_rows = False

    def scoped_queryset(self, scope: ScopeT) -> QuerySet[Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["as_of"] = self.as_of
        context["as_of_given"] = self.as_of_given
        return context
