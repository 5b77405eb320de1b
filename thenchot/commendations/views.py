"""Commendation pages: the list (unit subtree, year, form, innovation), a commendation's page
(with the quota overrides it led to and, for an agency, the action that grants the higher
quota), the forms to record, correct and delete one, and the quota overrides with the
commendation each came from."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
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
from thenchot.core.views import login_required
from thenchot.org.tree import tree

PER_PAGE = 50


def _apply_error(form: Any, exc: DomainError) -> None:
    form.add_error(None, str(exc.message))
    for field, errors in exc.field_errors.items():
        if field in form.fields:
            for error in errors:
                if str(error) != str(exc.message):
                    form.add_error(field, str(error))


def _commendation(scope: Scope, code: str) -> Commendation:
    found = selectors.commendations_queryset(scope).filter(code=code).first()
    if found is None:
        raise Http404
    return found


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


def _save(scope: Scope, form: CommendationForm, item: Commendation | None) -> Commendation:
    data = form.cleaned_data
    values = {
        "staff": data["staff"],
        "unit": data["unit"],
        "kind": data["kind"],
        "decided_on": data["decided_on"],
        "decision_number": data["decision_number"],
        "issued_by": data["issued_by"],
        "reason": data["reason"],
        "innovation": data["innovation"],
    }
    if item is None:
        return services.commendation_create(scope=scope, code=data.get("code") or None, **values)
    if data.get("version") is None:
        raise DomainError(_("Reload the page: the version you read is missing."))
    return services.commendation_update(
        scope=scope, commendation=item, expected_version=data["version"], **values
    )


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
    if request.method == "POST" and form.is_valid():
        try:
            item = _save(scope, form, None)
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            _apply_error(form, exc)
        else:
            messages.success(request, _("Commendation %(code)s recorded.") % {"code": item.code})
            return redirect(reverse("commendations:detail", args=[item.code]))
    return render(request, "commendations/form.html", {"form": form, "item": None})


@login_required
@require_http_methods(["GET", "POST"])
def commendation_edit(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    item = _commendation(scope, code)
    if not selectors.can_write(scope, item):
        raise PermissionDenied
    initial = {
        "staff": item.staff.code if item.staff else "",
        "unit": item.unit.code if item.unit else "",
        "kind": item.kind,
        "decision_number": item.decision_number,
        "decided_on": item.decided_on,
        "issued_by": item.issued_by,
        "reason": item.reason,
        "innovation": item.innovation,
        "version": item.version,
    }
    form = CommendationForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            item = _save(scope, form, item)
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            _apply_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("commendations:detail", args=[item.code]))
    return render(request, "commendations/form.html", {"form": form, "item": item})


@login_required
@require_POST
def commendation_delete(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    item = _commendation(scope, code)
    if not selectors.can_write(scope, item):
        raise PermissionDenied
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
    item = _commendation(scope, code)
    if not selectors.can_write(scope, item):
        raise PermissionDenied
    form = GrantQuotaForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            override = services.commendation_grant_quota(
                scope=scope,
                by=request.user,
                commendation=item,
                period=data["period"].strip(),
                ratio=data["ratio"],
                base=data["base"] or "",
                group=data["group"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("The quota of %(unit)s for %(period)s is now %(ratio)s%% (decision %(number)s).")
                % {
                    "unit": item.unit.name if item.unit else "",
                    "period": override.period_code,
                    "ratio": f"{override.ratio.normalize():f}",
                    "number": override.decision_number,
                },
            )
    else:
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect(reverse("commendations:detail", args=[item.code]))


@login_required
@require_GET
def quota_overrides(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    rows = selectors.overrides_with_commendations(scope)
    return render(request, "commendations/quota_overrides.html", {"rows": rows})
