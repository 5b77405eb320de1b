"""Domain errors that services raise and both the UI and the API render the same way."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused change, with a message in the user's language and an optional field map."""

    default_message: Any = _("The change was refused.")
    code = "invalid"
    status = 400

    def __init__(self, message: Any = None, *, field_errors: dict[str, list[Any]] | None = None):
        self.message = message if message is not None else self.default_message
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))


class OutOfScope(DomainError):
    default_message = _("You do not have access to this record or unit.")
    code = "out_of_scope"
    status = 403
