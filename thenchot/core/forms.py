"""Form helpers shared by every app's views.

Three ways a page answers a service's refusal, one function each:
- `apply_domain_error` / `apply_refusal`: onto the form, which the page renders again;
- `run_form_action` (an action form on a record's page) and `submit_form` (a create or edit
  page) run the service and choose between the redirect and the page again;
- `refusal_messages` / `form_error_messages`: as flash messages, for the pages whose actions
  always go back to the page they came from (`core.pages.act_and_redirect`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
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


def apply_refusal(form: Any, exc: DomainError, *, unplaced: bool = False) -> None:
    """A service's refusal onto the form, its message always on top: each field message next
    to its field (a copy of the top message is not said twice); with `unplaced`, the messages
    of fields the form does not have go on top as well, else they are dropped (the page's
    form is not where they can be corrected)."""
    top = str(exc.message)
    form.add_error(None, top)
    for name, errors in exc.field_errors.items():
        for error in errors:
            if str(error) == top:
                continue
            if name in form.fields:
                form.add_error(name, str(error))
            elif unplaced:
                form.add_error(None, str(error))


def out_of_scope_on(field: str | None) -> Callable[[Any, DomainError], None]:
    """`apply_domain_error`, except that a refusal out of the reader's scope is said on
    `field` (None: on top of the form), where the reader chose what is out of reach."""
    from thenchot.core.errors import OutOfScope

    def refuse(form: Any, exc: DomainError) -> None:
        if isinstance(exc, OutOfScope):
            form.add_error(field, str(exc.message))
        else:
            apply_domain_error(form, exc)

    return refuse


def unknown_code(message: Any, code: str) -> Any:
    """The refusal of a typed code that names no record: `message` has `%(code)s`."""
    from django.core.exceptions import ValidationError

    return ValidationError(message, params={"code": code}, code="unknown")


def by_code(queryset: Any, code: str, message: Any) -> Any:
    """The record of a form's typed code, or `unknown_code(message, code)`."""
    found = queryset.filter(code=code).first()
    if found is None:
        raise unknown_code(message, code)
    return found


def take(data: Mapping[str, Any], *names: str) -> dict[str, Any]:
    """The cleaned values a service takes under the form's own field names."""
    return {name: data[name] for name in names}


def without(data: Mapping[str, Any], *names: str) -> dict[str, Any]:
    """The cleaned values but `names`: the rest a service takes under the form's names."""
    return {name: value for name, value in data.items() if name not in names}


def submit_form(
    request: Any,
    form: Any,
    save: Callable[[dict[str, Any]], Any],
    *,
    formsets: Iterable[Any] = (),
    refuse: Callable[[Any, DomainError], None] = apply_domain_error,
    forbid: bool = False,
) -> Any:
    """The POST of a create or edit page: when the form (then each formset) is valid,
    `save(cleaned_data)` runs the service and its answer (the redirect) is returned. A refusal
    goes onto the form by `refuse`, or is a 403 when `forbid` and the refusal is one; None
    (a GET, an invalid form, a refusal) tells the caller to render the page with the form."""
    from django.core.exceptions import PermissionDenied

    if request.method != "POST" or not form.is_valid():
        return None
    if not all(formset.is_valid() for formset in formsets):
        return None
    try:
        return save(form.cleaned_data)
    except DomainError as exc:
        if forbid and exc.status == 403:
            raise PermissionDenied(str(exc.message)) from exc
        refuse(form, exc)
    return None


def run_form_action(
    request: Any,
    form: Any,
    action: Callable[[dict[str, Any]], str],
    *,
    done: Callable[[], Any] | str,
    again: Callable[[Any], Any],
    forbid: bool = True,
) -> Any:
    """The one shape of a page's form action: a valid form runs `action(cleaned_data)` (a
    service call returning the success message) and answers `done()` (a redirect; a URL
    stands for the redirect to it); a refusal
    goes back on the form and `again(form)` re-renders the page with it (status 400). Out of
    scope answers 403 (without `forbid`, it is a refusal like any other); a stale version
    (`ConcurrentUpdate`) is said and the page reloaded."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect

    from thenchot.core.concurrency import ConcurrentUpdate
    from thenchot.core.errors import OutOfScope

    if isinstance(done, str):
        done = partial(redirect, done)
    if form.is_valid():
        try:
            message = action(form.cleaned_data)
        except OutOfScope as exc:
            if not forbid:
                apply_domain_error(form, exc)
                return again(form)
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


def refusal_messages(request: Any, exc: DomainError) -> None:
    """A refusal as flash messages: its message, then each field message that says more."""
    from django.contrib import messages

    messages.error(request, str(exc.message))
    for errors in exc.field_errors.values():
        for error in errors:
            if str(error) != str(exc.message):
                messages.error(request, f"{error}")


def form_error_messages(request: Any, form: Any) -> None:
    """An invalid form's errors as flash messages, each headed by its field's label."""
    from django.contrib import messages

    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def year_filter(field_name: str) -> Any:
    """A list filter on the calendar year of a date field: anything but a year 1-9999 is a
    400, not a date the database cannot make (a 500)."""
    import django_filters
    from django.utils.translation import gettext_lazy

    return django_filters.NumberFilter(
        label=gettext_lazy("Year"),
        field_name=field_name,
        lookup_expr="year",
        min_value=1,
        max_value=9999,
        decimal_places=0,
    )


def date_range_filters(field_name: str, since: Any, until: Any) -> tuple[Any, Any]:
    """The two list filters of a date field's range, both ends included, labelled `since`
    and `until`."""
    import django_filters

    return (
        django_filters.DateFilter(label=since, field_name=field_name, lookup_expr="gte"),
        django_filters.DateFilter(label=until, field_name=field_name, lookup_expr="lte"),
    )
