"""A person's Decree 90 rating for a year, step by step (rules.md `decree-90-2020`,
"Workflow"), and the self-assessment form (01, 02 or 03) printed with the person's record."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import scope_for
from thenchot.appraisal import inputs, services
from thenchot.appraisal.choices import Level
from thenchot.appraisal.forms import Decree90StepForm
from thenchot.appraisal.views.common import _render, _status_of
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.forms import apply_domain_error
from thenchot.core.views import login_required
from thenchot.org.tree import tree
from thenchot.people.selectors import staff_queryset


def _dossier(request: HttpRequest, code: str, year: int) -> services.Dossier:
    # Out of scope reads as "not found", like the person's own page.
    staff = get_object_or_404(staff_queryset(scope_for(request)), code=code)
    try:
        return services.decree90_dossier(staff=staff, year=year)
    except DomainError as exc:
        raise Http404(str(exc.message)) from None


@login_required
def decree90(request: HttpRequest, code: str, year: int) -> HttpResponse:
    dossier = _dossier(request, code, year)
    form = Decree90StepForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.decree90_step_record(
                    staff=dossier.staff,
                    year=year,
                    step=data["step"],
                    done_on=data["done_on"],
                    document_number=data.get("document_number") or "",
                    note=data.get("note") or "",
                    by=request.user,
                )
            except OutOfScope as exc:
                raise PermissionDenied(str(exc.message)) from None
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = _status_of(exc)
            else:
                messages.success(request, _("The step was recorded."))
                return redirect(request.path)
        else:
            status = 400
    elif dossier.next_step is not None:
        form = Decree90StepForm(initial={"step": dossier.next_step.value})
    return _render(
        request,
        "appraisal/decree90.html",
        {"dossier": dossier, "form": form},
        status,
    )


@login_required
def decree90_form(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The self-assessment form of the person's category, with their record for the year."""
    dossier = _dossier(request, code, year)
    staff = dossier.staff
    end = min(dt.date(year, 12, 31), max(dt.date(year, 1, 1), dt.date.today()))
    counts = inputs.own_task_counts([staff.pk], dt.date(year, 1, 1), end).get(staff.pk)
    snap = tree()
    agency = snap.units[snap.agency_of(staff.unit_id, end)]
    return _render(
        request,
        "appraisal/decree90_form.html",
        {
            "dossier": dossier,
            "staff": staff,
            "year": year,
            "counts": counts,
            "agency": agency,
            "levels": [Level(v) for v in ("excellent", "good", "complete", "not_complete")],
        },
    )
