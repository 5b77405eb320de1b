"""Commendation pages: the list (unit subtree, year, form, innovation), a commendation's page
(with the quota overrides it led to and, for an agency, the action that grants the higher
quota), the forms to record, correct and delete one, and the quota overrides with the
commendation each came from."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.commendations import selectors, services
from thenchot.commendations.choices import CommendationKind
from thenchot.commendations.filtersets import CommendationFilterSet
from thenchot.commendations.forms import CommendationForm, DeleteForm, GrantQuotaForm
from thenchot.commendations.models import Commendation
from thenchot.core.errors import DomainError
from thenchot.core.forms import apply_refusal, submit_form, take
from thenchot.core.pages import act_and_redirect, first_or_404
from thenchot.core.views import login_required
from thenchot.org.tree import tree

PER_PAGE = 50


def _commendation(scope: Scope, code: str) -> Commendation:
    return first_or_404(selectors.commendations_queryset(scope).filter(code=code))


def _writable(scope: Scope, code: str) -> Commendation:
    """A commendation a form posts to: read through the scope, and changed only by a user
    who may write it."""
    item = _commendation(scope, code)
    if not selectors.can_write(scope, item):
        raise PermissionDenied
    return item


@login_required
@require_GET
def commendation_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    filters = CommendationFilterSet(
        request.GET,
        queryset=selectors.commendations_queryset(scope).order_by("-decided_on", "code"),
    )
    qs = filters.qs if filters.is_valid() else selectors.commendations_queryset(scope).none()
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    years = list(range(timezone.localdate().year, timezone.localdate().year - 10, -1))
    return render(
        request,
        "commendations/list.html",
        {
            "page": page,
            "commendations": page.object_list,
            "kinds": CommendationKind.choices,
            "years": years,
            "params": request.GET,
            "can_create": selectors.may_commend_anywhere(scope),
        },
    )


# The form's fields the service takes under their own names (with "staff" and "unit").
_FIELDS = ("kind", "decided_on", "decision_number", "issued_by", "reason", "innovation")


def _save(scope: Scope, form: CommendationForm, item: Commendation | None) -> Commendation:
    data = form.cleaned_data
    values = take(data, "staff", "unit", *_FIELDS)
    if item is None:
        return services.commendation_create(scope=scope, code=data.get("code") or None, **values)
    if data.get("version") is None:
        raise DomainError(_("Reload the page: the version you read is missing."))
    return services.commendation_update(
        scope=scope, commendation=item, expected_version=data["version"], **values
    )


def _form_page(
    request: HttpRequest, scope: Scope, form: CommendationForm, item: Commendation | None
) -> HttpResponse:
    """The record and correct page: a saved commendation goes to its page with a message; a
    refusal out of the reader's scope is a 403, any other goes onto the form."""

    def save(_data: dict[str, Any]) -> HttpResponse:
        saved = _save(scope, form, item)
        if item is None:
            messages.success(request, _("Commendation %(code)s recorded.") % {"code": saved.code})
        else:
            messages.success(request, _("Saved."))
        return redirect(reverse("commendations:detail", args=[saved.code]))

    done = submit_form(request, form, save, refuse=apply_refusal, forbid=True)
    return done or render(request, "commendations/form.html", {"form": form, "item": item})


@login_required
@require_http_methods(["GET", "POST"])
def commendation_new(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not selectors.may_commend_anywhere(scope):
        raise PermissionDenied
    initial: dict[str, Any] = {"decided_on": timezone.localdate()}
    for name in ("staff", "unit"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = CommendationForm(request.POST or None, initial=initial)
    return _form_page(request, scope, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def commendation_edit(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    item = _writable(scope, code)
    initial = {name: getattr(item, name) for name in (*_FIELDS, "version")}
    initial["staff"] = item.staff.code if item.staff else ""
    initial["unit"] = item.unit.code if item.unit else ""
    form = CommendationForm(request.POST or None, initial=initial, editing=True)
    return _form_page(request, scope, form, item)


@login_required
@require_POST
def commendation_delete(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    item = _writable(scope, code)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page: the version you read is missing."))
        return redirect(reverse("commendations:detail", args=[item.code]))
    try:
        services.commendation_delete(
            scope=scope, commendation=item, expected_version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(reverse("commendations:detail", args=[item.code]))
    messages.success(request, _("Commendation %(code)s deleted.") % {"code": item.code})
    return redirect(reverse("commendations:list"))


def _is_agency(item: Commendation) -> bool:
    return (
        item.unit_id is not None
        and tree().agency_of(item.unit_id, timezone.localdate()) == item.unit_id
    )


@login_required
@require_GET
def commendation_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    item = _commendation(scope, code)
    can_write = selectors.can_write(scope, item)
    return render(
        request,
        "commendations/detail.html",
        {
            "item": item,
            "can_write": can_write,
            "overrides": selectors.overrides_of(item),
            "can_grant": can_write and _is_agency(item),
            "grant_form": GrantQuotaForm(
                initial={"version": item.version, "period": timezone.localdate().strftime("%Y-%m")}
            ),
            "delete_form": DeleteForm(initial={"version": item.version}),
        },
    )


@login_required
@require_POST
def commendation_grant_quota(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    item = _writable(scope, code)

    def act(data: dict[str, Any]) -> str:
        override = services.commendation_grant_quota(
            scope=scope,
            by=request.user,
            commendation=item,
            period=data["period"].strip(),
            ratio=data["ratio"],
            base=data["base"] or "",
            group=data["group"],
        )
        return _(
            "The quota of %(unit)s for %(period)s is now %(ratio)s%% (decision %(number)s)."
        ) % {
            "unit": item.unit.name if item.unit else "",
            "period": override.period_code,
            "ratio": f"{override.ratio.normalize():f}",
            "number": override.decision_number,
        }

    back = reverse("commendations:detail", args=[item.code])
    return act_and_redirect(request, back, act, form=GrantQuotaForm(request.POST))


@login_required
@require_GET
def quota_overrides(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    rows = selectors.overrides_with_commendations(scope)
    return render(request, "commendations/quota_overrides.html", {"rows": rows})
