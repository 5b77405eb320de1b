"""The picker: choose a person, a unit or a record by typing part of its name or its code.

The widget is a text input that holds the code the form already expects, so a form's cleaning
and the services do not change, and without JavaScript it is that plain code input. With it,
`thenchot.js` turns the input into a combobox: what is typed is sent (htmx) to the search
endpoint named by `url_name`, the suggestions come back as `role="option"` items, and the
chosen one's code goes into a hidden input carrying the field's name (several codes, separated
by spaces, for a multi-pick).

Each app serves the searches of its own records (`picker_response` renders them) and restricts
them to what the requesting user may read; `ranked` gives every endpoint the same matching
(without diacritics, every word of the query) and order (exact code, then name prefix).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thenchot.core.text import fold

PICK_LIMIT = 20  # suggestions shown at once: more would not be read, fewer may hide the one
QUERY_MAX = 100  # characters of a query read (a pasted paragraph is not a name)
PICK_HELP = _("Type part of a name or a code, then choose from the list.")
PICK_MANY_HELP = _(
    "Type part of a name or a code and choose from the list, once for each; codes may also be "
    "typed, separated by spaces."
)


@dataclass(frozen=True)
class Suggestion:
    code: str
    name: str
    detail: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code


class Picker(forms.TextInput):
    """A code input with name search. `url_name` is the search endpoint; `include` a CSS
    selector of other inputs whose values the search also receives (the lead unit, for the
    people in it); `multiple` picks several codes."""

    template_name = "core/widgets/picker.html"

    def __init__(
        self,
        url_name: str,
        *,
        multiple: bool = False,
        include: str = "",
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.url_name = url_name
        self.multiple = multiple
        self.include = include

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, (list, tuple)):
            return " ".join(str(getattr(v, "code", v)) for v in value) or None
        return super().format_value(getattr(value, "code", value))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["picker"] = {
            "url": reverse(self.url_name),
            "multiple": self.multiple,
            "include": self.include,
            "listbox_id": f"{widget_id}-options",
        }
        return context


def query_of(request: HttpRequest) -> str:
    return (request.GET.get("q") or "")[:QUERY_MAX].strip()


def ranked(
    qs: QuerySet[Any],
    text: str,
    *,
    code_field: str = "code",
    search_field: str = "search_text",
    order: Sequence[str] = (),
    limit: int = PICK_LIMIT,
) -> list[Any]:
    """Rows of `qs` whose folded search text holds every word of `text` (or whose code is
    `text`), the exact code first, then names starting with `text`, then codes starting with
    it, then the rest; at most `limit`. An empty query finds nothing."""
    text = text.strip()
    folded = fold(text)
    if not folded:
        return []
    words = Q()
    for word in folded.split():
        words &= Q(**{f"{search_field}__contains": word})
    exact = Q(**{f"{code_field}__iexact": text})
    rank = Case(
        When(exact, then=Value(0)),
        When(Q(**{f"{search_field}__startswith": folded}), then=Value(1)),
        When(Q(**{f"{code_field}__istartswith": text}), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    rows = qs.filter(words | exact).annotate(pick_rank=rank)
    return list(rows.order_by("pick_rank", *order, code_field)[:limit])


def ranked_in_memory(
    rows: Iterable[tuple[str, str, str]], text: str, *, limit: int = PICK_LIMIT
) -> list[Suggestion]:
    """`ranked` for records without a search column: (code, name, detail) rows, folded here."""
    text = text.strip()
    folded = fold(text)
    if not folded:
        return []
    words = folded.split()
    found: list[tuple[int, int, Suggestion]] = []
    for position, (code, name, detail) in enumerate(rows):
        haystack = f"{fold(name)} {fold(code)} {fold(detail)}"
        if code.lower() == text.lower():
            rank = 0
        elif not all(word in haystack for word in words):
            continue
        elif fold(name).startswith(folded):
            rank = 1
        elif fold(code).startswith(folded):
            rank = 2
        else:
            rank = 3
        found.append((rank, position, Suggestion(code, name, detail)))
    found.sort(key=lambda item: (item[0], item[1]))
    return [s for _, _, s in found[:limit]]


def picker_response(
    request: HttpRequest, suggestions: Iterable[Suggestion], *, status: int = 200
) -> HttpResponse:
    """The suggestion list of a picker (options of its listbox)."""
    return render(
        request,
        "core/widgets/picker_options.html",
        {"suggestions": list(suggestions), "query": query_of(request)},
        status=status,
    )
