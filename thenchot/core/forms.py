"""Form helpers shared by every app's views."""

from __future__ import annotations

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
