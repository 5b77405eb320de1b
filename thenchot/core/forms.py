"""Form helpers shared by every app's views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thenchot.core.errors import DomainError


def apply_domain_error(form: Any, exc: DomainError) -> None:
    """A service's refusal onto the form: field messages next to their fields, and the
    refusal's message on top when no field message could be placed."""
    placed = False
    for name, errors in exc.field_errors.items():
        for error in errors:
            if name in form.fields:
                form.add_error(name, str(error))
                placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def run_form_action(
    request: Any,
    form: Any,
    action: Callable[[dict[str, Any]], str],
    *,
    done: Callable[[], Any],
    again: Callable[[Any], Any],
) -> Any:
    """The one shape of a page's form action: a valid form runs `action(cleaned_data)` (a
    service call returning the success message) and answers `done()` (a redirect); a refusal
    goes back on the form and `again(form)` re-renders the page with it (status 400). Out of
    scope answers 403; a stale version (`ConcurrentUpdate`) is said and the page reloaded."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied

    from thenchot.core.concurrency import ConcurrentUpdate
    from thenchot.core.errors import OutOfScope

    if form.is_valid():
        try:
            message = action(form.cleaned_data)
        except OutOfScope:
            raise PermissionDenied from None
        except ConcurrentUpdate as exc:
            messages.error(request, str(exc.message))
            return done()
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, message)
            return done()
    return again(form)
