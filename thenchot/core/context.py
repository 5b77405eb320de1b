"""Who is acting, and why, for the audit trail.

Web requests set this in `RequestContextMiddleware`; commands, imports and background jobs set it
with `acting(...)`. The audit writer reads it, so services never pass the request around.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class ActionContext:
    actor: Any = None  # accounts.User or None (system)
    request_id: str = ""
    source: str = "system"  # web, api, import, command, job, system
    reason: str = ""


_current: ContextVar[ActionContext] = ContextVar("thenchot_action", default=ActionContext())


def current() -> ActionContext:
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting(
    *,
    actor: Any = None,
    source: str | None = None,
    reason: str | None = None,
    request_id: str | None = None,
) -> Iterator[ActionContext]:
    """Run a block as `actor` (None keeps the current one) from `source`, with `reason`."""
    base = _current.get()
    ctx = replace(
        base,
        actor=actor if actor is not None else base.actor,
        source=source or base.source,
        reason=reason if reason is not None else base.reason,
        request_id=request_id or base.request_id or new_request_id(),
    )
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
