"""Staff pages: the filtered list (htmx table refresh) and the staff record with its forms.

The list runs a fixed number of queries whatever the page size: the rows come with their unit
and job position joined and `is_head` annotated (`staff_queryset`), and Django's Paginator
adds one COUNT. `tests/test_views_staff_list_queries.py` holds the committed baseline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError
from thenchot.core.forms import apply_domain_error
from thenchot.core.http import HtmxHttpRequest
from thenchot.core.paging import SEARCH_COUNT_CAP, CappedCountPaginator
from thenchot.core.picker import Suggestion, picker_response, query_of
from thenchot.core.views import int_choice, login_required, parse_date
from thenchot.org.tree import tree
from thenchot.people import selectors, services
from thenchot.people.choices import StaffCategory
from thenchot.people.filtersets import StaffFilterSet
from thenchot.people.forms import StaffForm, TransferForm
from thenchot.people.models import Staff
from thenchot.people.selectors import staff_queryset

PAGE_SIZES = (10, 25, 50, 100)
SHOWN_PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 25
# Whitelisted sort keys: a request never names a column directly.
SORTS: dict[str, tuple[str, ...]] = {
    # By name = given name, middle, family in Vietnamese order (`Staff.name_key`).
    "name": ("name_key", "code"),
    "code": ("code",),
    "unit": ("unit__name", "name_key", "code"),
    "category": ("category", "name_key", "code"),
}
FILTER_KEYS = ("q", "unit", "as_of", "category", "is_leader", "is_head")


def _ordering(sort: str) -> tuple[str, tuple[str, ...]]:
    key = sort.lstrip("-")
    if key not in SORTS:
        return "name", SORTS["name"]
    descending = sort.startswith("-")
    fields = tuple(("-" + f if descending else f) for f in SORTS[key])
    return sort, fields


def _sort_links(current: str) -> dict[str, dict[str, Any]]:
    links = {}
    for key in SORTS:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        links[key] = {
            "value": ("-" + key) if active and not descending else key,
            "active": active,
            "descending": active and descending,
        }
    return links


@login_required
@require_GET
def staff_list(request: HtmxHttpRequest) -> HttpResponse:
    scope = scope_for(request)
    today = timezone.localdate()
    on = parse_date(request.GET.get("as_of")) or today
    data = request.GET if any(k in request.GET for k in FILTER_KEYS) else None
    filterset = StaffFilterSet(data, queryset=staff_queryset(scope, on))
    sort, ordering = _ordering(request.GET.get("sort", "name"))
    page_size = int_choice(request.GET.get("page_size"), PAGE_SIZES, DEFAULT_PAGE_SIZE)
    searching = bool(request.GET.get("q", "").strip())
    paginator = CappedCountPaginator(
        filterset.qs.order_by(*ordering), page_size, cap=SEARCH_COUNT_CAP if searching else None
    )
    page = paginator.get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    for key in ("page", "sort", "page_size", "section", "format"):
        export_query.pop(key, None)
    for key in list(export_query):
        values = [v for v in export_query.getlist(key) if v]
        if values:
            export_query.setlist(key, values)
        else:
            del export_query[key]
    unit_code = request.GET.get("unit", "").strip()
    unit_id = tree().by_code.get(unit_code) if unit_code else None
    # An unknown code is refused in words, not shown as an empty list (issue 11).
    unit_error = (
        _("Unknown unit code '%(code)s'.") % {"code": unit_code}
        if unit_code and unit_id is None and not unit_code.isdigit()
        else ""
    )
    context = {
        "filterset": filterset,
        "form_data": request.GET,
        "page": page,
        "sort": sort,
        "sort_links": _sort_links(sort),
        "page_size": page_size,
        "page_sizes": SHOWN_PAGE_SIZES,
        "categories": StaffCategory.choices,
        "selected_categories": request.GET.getlist("category"),
        "export_query": export_query.urlencode(),
        "on": on,
        "today": today,
        "unit_info": tree().units.get(unit_id) if unit_id else None,
        "unit_error": unit_error,
    }
    status = 400 if unit_error else 200
    if request.htmx:
        return render(request, "people/_staff_table.html", context, status=status)
    return render(request, "people/list.html", context, status=status)


def _readable_staff(scope: Scope, code: str) -> Staff:
    # Out of scope reads as "not found": the page does not reveal that the record exists.
    return get_object_or_404(staff_queryset(scope), code=code)


def _writable_staff(scope: Scope, code: str) -> Staff:
    """The staff record a form posts to: read through the scope, and written only by a user
    who may write its unit."""
    staff = _readable_staff(scope, code)
    if not scope.can_write_unit(staff.unit_id):
        raise PermissionDenied
    return staff


def _detail_context(
    scope: Scope,
    staff: Staff,
    *,
    edit_form: StaffForm | None = None,
    transfer_form: TransferForm | None = None,
) -> dict[str, Any]:
    today = timezone.localdate()
    snap = tree()
    can_write = scope.can_write_unit(staff.unit_id)
    path = [snap.units[i] for i in reversed(snap.ancestors_on(staff.unit_id, today))]
    if can_write:
        edit_form = edit_form or StaffForm.for_staff(staff)
        transfer_form = transfer_form or TransferForm(
            initial={"on": today, "version": staff.version}, prefix="transfer"
        )
    return {
        "staff": staff,
        "path": [
            {"code": u.code, "name": u.name, "readable": scope.can_read_unit(u.id)} for u in path
        ],
        "headships": list(staff.headships.select_related("unit").order_by("-valid_from")),
        "assignments": list(staff.assignments.select_related("unit").order_by("-valid_from")),
        "can_write": can_write,
        "edit_form": edit_form if can_write else None,
        "transfer_form": transfer_form if can_write else None,
        "today": today,
    }


@login_required
@require_GET
def staff_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    staff = _readable_staff(scope, code)
    return render(request, "people/detail.html", _detail_context(scope, staff))


@login_required
@require_http_methods(["POST"])
def staff_edit(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    staff = _writable_staff(scope, code)
    form = StaffForm(request.POST, prefix="edit")
    if form.is_valid():
        changes = form.changes(staff)
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect(reverse("people:detail", args=[staff.code]))
        try:
            services.staff_update(
                scope=scope,
                staff=staff,
                expected_version=form.cleaned_data["version"],
                data=changes,
            )
        except ConcurrentUpdate as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse("people:detail", args=[staff.code]))
        except DomainError as exc:
            staff = _readable_staff(scope, code)
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The staff record was saved."))
            return redirect(reverse("people:detail", args=[staff.code]))
    return render(request, "people/detail.html", _detail_context(scope, staff, edit_form=form))


@login_required
@require_http_methods(["POST"])
def staff_transfer(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    staff = _writable_staff(scope, code)
    form = TransferForm(request.POST, prefix="transfer")
    if form.is_valid():
        on: dt.date = form.cleaned_data["on"]
        try:
            services.staff_transfer(
                scope=scope,
                staff=staff,
                unit=form.cleaned_data["unit"],
                on=on,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        except ConcurrentUpdate as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse("people:detail", args=[staff.code]))
        except DomainError as exc:
            staff = _readable_staff(scope, code)
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s was transferred to %(unit)s from %(date)s.")
                % {
                    "name": staff.full_name,
                    "unit": form.cleaned_data["unit"].name,
                    "date": on.strftime("%d/%m/%Y"),
                },
            )
            return redirect(reverse("people:detail", args=[staff.code]))
    return render(request, "people/detail.html", _detail_context(scope, staff, transfer_form=form))


@login_required
@require_GET
def staff_pick(request: HttpRequest) -> HttpResponse:
    """Suggestions of a staff picker: the staff the user may read, by name or code."""
    found = selectors.pick_staff(scope_for(request), query_of(request))
    return picker_response(request, (Suggestion(s.code, s.full_name, s.unit.name) for s in found))
