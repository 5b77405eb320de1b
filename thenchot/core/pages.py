"""Page helpers shared by every app's views (core imports no app)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.contrib import messages
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thenchot.core.errors import DomainError
from thenchot.core.forms import (
    apply_domain_error,
    form_error_messages,
    refusal_messages,
    submit_form,
)
from thenchot.core.paging import sort_links
from thenchot.core.views import login_required, parse_date

_M = TypeVar("_M", bound=Model)


def act_and_redirect(
    request: HttpRequest,
    back: str,
    action: Callable[[dict[str, Any]], str],
    *,
    form: Any = None,
    done: str | None = None,
    details: bool = True,
) -> HttpResponse:
    """A POST whose outcome the page tells in flash messages. An invalid `form`'s errors, or
    the service's refusal, are said and the reader goes `back`; otherwise
    `action(cleaned_data)` (no form: an empty dict) runs the service and returns the success
    message, and the reader goes to `done` (else `back`). Without `details` a refusal says its
    message alone, not its field messages."""
    if form is not None and not form.is_valid():
        form_error_messages(request, form)
        return redirect(back)
    try:
        message = action(form.cleaned_data if form is not None else {})
    except DomainError as exc:
        if details:
            refusal_messages(request, exc)
        else:
            messages.error(request, str(exc.message))
        return redirect(back)
    messages.success(request, message)
    return redirect(done or back)


def form_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    save: Callable[[dict[str, Any]], Any],
    *,
    formsets: Iterable[Any] = (),
    refuse: Callable[[Any, DomainError], None] = apply_domain_error,
) -> HttpResponse:
    """A create or edit page whose form is `context["form"]`: a POST goes through
    `core.forms.submit_form` and a saved record's answer (the redirect) is returned; otherwise
    the page is rendered, with 400 after a POST (the form invalid or refused)."""
    saved = submit_form(request, context["form"], save, formsets=formsets, refuse=refuse)
    if saved is not None:
        return saved
    status = 400 if request.method == "POST" else 200
    return render(request, template, context, status=status)


def first_or_404(queryset: QuerySet[_M]) -> _M:
    """The first record of a queryset already narrowed to what the reader may see: missing and
    out of reach are the same 404, so the page reveals nothing."""
    found = queryset.first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class StatisticsFilters:
    """What a statistics page reads from its query: the period, the date statuses are taken
    on, the unit at the root of the table, and the error the page says instead of figures."""

    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    unit_id: int | None
    error: str

    @property
    def ready(self) -> bool:
        """Whether there are figures to show: a unit, and nothing to correct."""
        return self.unit_id is not None and not self.error

    @property
    def root(self) -> int | None:
        """The unit at the root of the figures, None when there are none to show."""
        return self.unit_id if self.ready else None


def statistics_filters(
    request: HttpRequest,
    scope: Any,
    by_code: Mapping[str, int],
    *,
    default_to: dt.date,
    default_unit: Callable[[dt.date], int | None],
    as_of_at_most: dt.date | None = None,
) -> StatisticsFilters:
    """`?from=&to=&as_of=&unit=` of a statistics page. The period runs from 1 January of this
    year to `default_to` unless given; statuses are taken on `to` (no later than
    `as_of_at_most`) unless `as_of` is given. A unit code the reader cannot read is an
    unknown one; without a code, `default_unit(to)` is the root."""
    get = request.GET
    date_from = parse_date(get.get("from")) or dt.date(timezone.localdate().year, 1, 1)
    date_to = parse_date(get.get("to")) or default_to
    latest = min(as_of_at_most, date_to) if as_of_at_most is not None else date_to
    as_of = parse_date(get.get("as_of")) or latest
    code = (get.get("unit") or "").strip()
    error = ""
    unit_id: int | None
    if code:
        unit_id = by_code.get(code)
        if unit_id is None or not scope.can_read_unit(unit_id):
            error = _("Unknown unit code '%(code)s'.") % {"code": code}
            unit_id = None
    else:
        unit_id = default_unit(date_to)
    if date_to < date_from:
        error = _("'To' cannot be before 'from'.")
    return StatisticsFilters(date_from, date_to, as_of, unit_id, error)


def query_without(request: HttpRequest, *keys: str) -> str:
    """The page's query string minus `keys` and empty values, for export and sort links that
    must keep the reader's filters."""
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    for key in list(query):
        values = [v for v in query.getlist(key) if v]
        if values:
            query.setlist(key, values)
        else:
            del query[key]
    return query.urlencode()


def sorted_list_context(
    request: HttpRequest,
    filterset: Any,
    page: Any,
    sort: str,
    sorts: Mapping[str, tuple[str, ...]],
    page_sizes: tuple[int, ...],
) -> dict[str, Any]:
    """What the template of a filtered, sorted and paged list reads besides its rows' own
    labels: the filters and the query they came from, the page, the sort in force with the
    column headings' links, and the page sizes offered."""
    return {
        "filterset": filterset,
        "form_data": request.GET,
        "page": page,
        "sort": sort,
        "sort_links": sort_links(sorts, sort),
        "page_size": page.paginator.per_page,
        "page_sizes": page_sizes,
    }


def record_form_view(
    load: Callable[[HttpRequest, str], Any],
    form_class: Any,
    act: Callable[[Any, Any, dict[str, Any]], str],
    run: Callable[[HttpRequest, Any, Any, Callable[[dict[str, Any]], str]], HttpResponse],
    *,
    prefix: str | None = None,
) -> Callable[[HttpRequest, str], HttpResponse]:
    """The POST view of a form on the page of a record found by the URL's `code`. `load`
    reads the record (a 404 when missing or out of reach); `act(user, record, cleaned_data)`
    records the form through its service and returns what to say; `run(request, record,
    form, action)` answers (`core.forms.run_form_action` with the page's redirect and
    re-render)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, code: str) -> HttpResponse:
        record = load(request, code)
        # No prefix given: the form's own default prefix (if it sets one) stands.
        named = {"prefix": prefix} if prefix is not None else {}
        form = form_class(request.POST, request.FILES, **named)
        return run(request, record, form, partial(act, request.user, record))

    return view
