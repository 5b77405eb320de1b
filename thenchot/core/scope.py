"""The seam between core and the app that decides who may read and write what.

Core's API base and page helpers need the request's scope but must not import the app that
computes it (`accounts`, above org and people). That app provides the two functions here from
its `AppConfig.ready()`; core calls them without knowing the scope's class.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol


class ScopeLike(Protocol):
    """What core itself reads of a scope; the apps use the full `accounts.scoping.Scope`."""

    @property
    def user_id(self) -> int | None: ...

    @property
    def city_wide(self) -> bool: ...


@dataclass(frozen=True)
class ScopeProvider:
    for_user: Callable[[Any], ScopeLike]  # the scope of a user (anonymous included)
    nobody: Callable[[], ScopeLike]  # a scope that reads nothing (schema generation)


_provider: ScopeProvider | None = None


def provide(provider: ScopeProvider) -> None:
    global _provider
    _provider = provider


def provider() -> ScopeProvider:
    if _provider is None:  # pragma: no cover - a configuration error, not a runtime state
        raise RuntimeError("No scope provider: is thenchot.accounts in INSTALLED_APPS?")
    return _provider


def scope_for_request(request: Any) -> ScopeLike:
    """The request's scope, computed once and kept on the (Django) request."""
    cached = getattr(request, "_thenchot_scope", None)
    if cached is None:
        cached = provider().for_user(getattr(request, "user", None))
        request._thenchot_scope = cached
    return cached


# What a request has already worked out about who may do what (the scope of a user on a day),
# kept for the rest of that request only: several apps ask for the same user's scope in one page
# (the home page's to-do list asked five times). Outside a request nothing is kept.
_request_memo: ContextVar[dict[Any, Any] | None] = ContextVar("thenchot_scope_memo", default=None)


@contextlib.contextmanager
def request_memo() -> Iterator[None]:
    """Keep computed scopes for the block (a request: `core.middleware`)."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def memo() -> dict[Any, Any] | None:
    """The current request's memo (None outside a request)."""
    return _request_memo.get()
