"""Agencies rated themselves for a year (Decree 335/2025): the agencies the reader rates (the
level above them), each with its recorded rating, reasons and task counts, and a form to rate
or re-rate it through `services.agency_rate`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.appraisal import selectors, services
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.forms import AgencyRatingForm
from thenchot.appraisal.models import AgencyRating
from thenchot.appraisal.views.common import _render, _status_of
from thenchot.core.errors import DomainError
from thenchot.core.forms import apply_domain_error
from thenchot.core.views import login_required
from thenchot.org.models import Unit
from thenchot.org.tree import tree


def _rated_by(scope: Scope, year: int) -> list[Unit]:
    """The agencies (not divisions, not the City) whose level above the reader rates on the
    year's last day."""
    snap = tree()
    on = min(vs.today(), dt.date(year, 12, 31))
    ids = []
    for unit_id, info in snap.units.items():
        if info.kind in ("division", "city") or not info.valid_on(on):
            continue
        parent = snap.parent_on(unit_id, on)
        if parent is not None and (scope.city_wide or scope.can_write_unit(parent)):
            ids.append(unit_id)
    return list(Unit.objects.filter(pk__in=ids).order_by("code"))


@login_required
def agency_ratings(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not (scope.city_wide or "personnel" in scope.roles):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    raw_year = str(source.get("year") or vs.today().year - 1)
    year = int(raw_year) if raw_year.isdigit() and len(raw_year) == 4 else vs.today().year - 1
    agencies = _rated_by(scope, year)
    form = AgencyRatingForm(request.POST if request.method == "POST" else None)
    status = 200
    target = None
    if request.method == "POST":
        target = next((u for u in agencies if u.code == request.POST.get("agency")), None)
        if target is None:
            raise Http404
        if form.is_valid():
            try:
                rating = services.agency_rate(
                    agency=target,
                    year=year,
                    general_points=form.cleaned_data["general_points"],
                    result_points=form.cleaned_data["result_points"],
                    by=request.user,
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = _status_of(exc)
            else:
                messages.success(
                    request,
                    _("%(unit)s rated for %(year)s: %(level)s.")
                    % {"unit": target.name, "year": year, "level": rating.get_level_display()},
                )
                url = reverse("appraisal:agencies") + "?" + urlencode({"year": year})
                return redirect(url + f"#agency-{target.code}")
        else:
            status = 400
    ratings = {
        r.agency_id: r
        for r in AgencyRating.objects.filter(period_code=str(year), agency__in=agencies)
    }
    rows: list[dict[str, Any]] = [
        {
            "unit": unit,
            "rating": ratings.get(unit.pk),
            "reasons": selectors.reasons_text(ratings[unit.pk].reasons)
            if unit.pk in ratings
            else [],
            "form": form if target is not None and target.pk == unit.pk else AgencyRatingForm(),
        }
        for unit in agencies
    ]
    return _render(
        request,
        "appraisal/agency_ratings.html",
        {"year": year, "rows": rows, "line": services.line_for(request.user)},
        status,
    )
