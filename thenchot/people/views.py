"""Staff pages: the filtered list (htmx table refresh) and the staff record with its forms.

The list runs a fixed number of queries whatever the page size: the rows come with their unit
and job position joined and `is_head` annotated (`staff_queryset`), and Django's Paginator
adds one COUNT. `tests/test_views_staff_list_queries.py` holds the committed baseline.
"""

from __future__ import annotations

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
from thenchot.core.forms import run_form_action, take
from thenchot.core.http import HtmxHttpRequest
from thenchot.core.pages import query_without, sorted_list_context
from thenchot.core.paging import SEARCH_COUNT_CAP, CappedCountPaginator, sort_order
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


@login_required
@require_GET
def staff_list(request: HtmxHttpRequest) -> HttpResponse:
    scope = scope_for(request)
    today = timezone.localdate()
    on = parse_date(request.GET.get("as_of")) or today
    data = request.GET if any(k in request.GET for k in FILTER_KEYS) else None
    filterset = StaffFilterSet(data, queryset=staff_queryset(scope, on))
    sort, ordering = sort_order(SORTS, request.GET.get("sort"), "name")
    page_size = int_choice(request.GET.get("page_size"), PAGE_SIZES, DEFAULT_PAGE_SIZE)
    searching = bool(request.GET.get("q", "").strip())
    paginator = CappedCountPaginator(
        filterset.qs.order_by(*ordering), page_size, cap=SEARCH_COUNT_CAP if searching else None
    )
    page = paginator.get_page(request.GET.get("page"))
    export_query = query_without(request, "page", "sort", "page_size", "section", "format")
    unit_code = request.GET.get("unit", "").strip()
    unit_id = tree().by_code.get(unit_code) if unit_code else None
    # An unknown code is refused in words, not shown as an empty list (issue 11).
    unit_error = (
        _("Unknown unit code '%(code)s'.") % {"code": unit_code}
        if unit_code and unit_id is None and not unit_code.isdigit()
        else ""
    )
    context = {
        **sorted_list_context(request, filterset, page, sort, SORTS, SHOWN_PAGE_SIZES),
        "categories": StaffCategory.choices,
        "selected_categories": request.GET.getlist("category"),
        "export_query": export_query,
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


def _act_on_staff(
    request: HttpRequest, scope: Scope, staff: Staff, form: Any, form_name: str, act: Any
) -> HttpResponse:
    """A staff page form's action (`core.forms.run_form_action`): back to the record when
    done; refused (out of scope included: the form names the unit), the page again with the
    form and the record as it now is."""

    def again(refused: Any) -> HttpResponse:
        fresh = _readable_staff(scope, staff.code)
        context = _detail_context(scope, fresh, **{form_name: refused})
        return render(request, "people/detail.html", context)

    done = reverse("people:detail", args=[staff.code])
    return run_form_action(request, form, act, done=done, again=again, forbid=False)


@login_required
@require_http_methods(["POST"])
def staff_edit(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    staff = _writable_staff(scope, code)
    form = StaffForm(request.POST, prefix="edit")
    if form.is_valid() and not form.changes(staff):
        messages.info(request, _("Nothing was changed."))
        return redirect(reverse("people:detail", args=[staff.code]))

    def act(data: dict[str, Any]) -> str:
        services.staff_update(
            scope=scope, staff=staff, expected_version=data["version"], data=form.changes(staff)
        )
        return _("The staff record was saved.")

    return _act_on_staff(request, scope, staff, form, "edit_form", act)


@login_required
@require_http_methods(["POST"])
def staff_transfer(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    staff = _writable_staff(scope, code)
    form = TransferForm(request.POST, prefix="transfer")

    def act(data: dict[str, Any]) -> str:
        services.staff_transfer(
            scope=scope,
            staff=staff,
            expected_version=data["version"],
            **take(data, "unit", "on", "note"),
        )
        return _("%(name)s was transferred to %(unit)s from %(date)s.") % {
            "name": staff.full_name,
            "unit": data["unit"].name,
            "date": data["on"].strftime("%d/%m/%Y"),
        }

    return _act_on_staff(request, scope, staff, form, "transfer_form", act)


@login_required
@require_GET
def staff_pick(request: HttpRequest) -> HttpResponse:
    """Suggestions of a staff picker: the staff the user may read, by name or code."""
    found = selectors.pick_staff(scope_for(request), query_of(request))
    return picker_response(request, (Suggestion(s.code, s.full_name, s.unit.name) for s in found))
