"""Record codes that must work as part of an address.

Tasks, documents, inspections, plans and discipline cases are opened by their code in page and
API addresses (`/directives/tasks/<code>/`), and a code may hold "/" ("12/KL-UBND"). A code
that ends like one of the record's actions ("A/comment") would open that action of another
record ("A") instead of its own page. `AddressableCode` refuses such a code where records are
written — the model field's validator (services call `full_clean`) and the interchange field's
check (imports) — by asking the URL configuration itself whether the record's addresses lead
back to it, so a route added later is covered without a list to keep.

Resolving costs a few hundred microseconds, too much for an import of 100,000 tasks, so it is
asked only of a code that could be shadowed: one holding a word that some route spells out
("comment", "new", "plans"...) or a dot (the API's format suffix, "A.json"). Any other route
that matched the record's address would have to match one of its literal words against a part
of the code; a test holds the shortcut to the full answer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


@deconstructible
class AddressableCode:
    """Validator: every URL named in `url_names` (each taking `code`), made for the code,
    resolves to that same URL name with that same code."""

    def __init__(self, *url_names: str) -> None:
        self.url_names = url_names

    def __call__(self, value: str) -> None:
        error = self.error(value)
        if error is not None:
            raise ValidationError(error, code="address")

    def error(self, code: str) -> str | None:
        """Why `code` cannot be used (in the active language), or None."""
        if "." not in code and route_words().isdisjoint(code.split("/")):
            return None
        return self.resolved_error(code)

    def resolved_error(self, code: str) -> str | None:
        """`error` without the shortcut: the URL configuration asked for every code."""
        for name in self.url_names:
            try:
                path = unquote(reverse(name, kwargs={"code": code}))
                match = resolve(path)
            except (NoReverseMatch, Resolver404):
                return _("The code '%(code)s' cannot be used in an address.") % {"code": code}
            if match.view_name != name or match.kwargs.get("code") != code:
                return _(
                    "The code '%(code)s' would open another page (%(path)s): choose another code."
                ) % {"code": code, "path": path}
        return None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AddressableCode) and other.url_names == self.url_names

    def __hash__(self) -> int:
        return hash(self.url_names)


_WORD = re.compile(r"[A-Za-z0-9_-]+")


@functools.cache
def route_words() -> frozenset[str]:
    """Every word spelled out in the project's URL patterns (over-inclusive: converter names and
    regex fragments too, which only send a few more codes to the full check)."""
    words: set[str] = set()

    def walk(patterns: Sequence[URLPattern | URLResolver]) -> None:
        for pattern in patterns:
            words.update(_WORD.findall(str(pattern.pattern)))
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)

    walk(get_resolver().url_patterns)
    return frozenset(words)
