"""Collective decisions rating heads: the City leadership's (heads of departments) and the Party
Secretary's with the Standing Board (heads of Party boards and mass organisations)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import scope_for
from thenchot.appraisal import services
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.choices import CollectiveBody
from thenchot.appraisal.forms import CollectiveDecisionForm, ReviewRowForm
from thenchot.appraisal.views.common import _render, _row_change, _status_of
from thenchot.core.errors import DomainError
from thenchot.core.forms import apply_domain_error
from thenchot.core.views import login_required


# -- the City leadership's collective decision -------------------------------------------------------
@login_required
def collective(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.city_wide:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    period = vs.valid_period(source.get("period")) or vs.previous_month(vs.period_code(vs.today()))
    body = source.get("body") or CollectiveBody.CITY_COMMITTEE
    if body not in CollectiveBody.values:
        body = CollectiveBody.CITY_COMMITTEE
    rows = vs.collective_rows(period, body)
    posted = request.POST if request.method == "POST" else None
    form = CollectiveDecisionForm(posted)
    row_forms = {ev.pk: ReviewRowForm(posted, prefix=str(ev.pk)) for ev in rows}
    row_errors: dict[int, list[str]] = {}
    status = 200
    if request.method == "POST":
        ids = {int(x) for x in request.POST.getlist("selected") if x.isdigit()}
        valid = form.is_valid()
        ratings: dict[int, services.ReviewChange] = {}
        for ev in rows:
            if ev.pk not in ids:
                continue
            row_form = row_forms[ev.pk]
            if not row_form.is_valid():
                row_errors[ev.pk] = [" ".join(map(str, v)) for v in row_form.errors.values()]
                valid = False
                continue
            ratings[ev.pk] = _row_change(row_form)
        if ids - {ev.pk for ev in rows}:
            raise Http404
        if valid:
            data = form.cleaned_data
            try:
                decision = services.collective_decision_record(
                    number=data["number"],
                    decided_on=data["decided_on"],
                    chaired_by=data["chaired_by"],
                    summary=data.get("summary", ""),
                    body=body,
                    by=request.user,
                    ratings=ratings,
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                for key, msgs in exc.field_errors.items():
                    if key.isdigit():
                        row_errors.setdefault(int(key), []).extend(str(m) for m in msgs)
                status = _status_of(exc)
            else:
                messages.success(
                    request,
                    _("Decision %(number)s recorded: %(count)s heads rated.")
                    % {"number": decision.number, "count": len(ratings)},
                )
                return redirect(
                    reverse("appraisal:collective")
                    + "?"
                    + urlencode({"period": period, "body": body})
                )
        else:
            status = 400
    return _render(
        request,
        "appraisal/collective.html",
        {
            "period": period,
            "body": body,
            "bodies": CollectiveBody.choices,
            "rows": [(ev, row_forms[ev.pk], row_errors.get(ev.pk, [])) for ev in rows],
            "form": form,
            "decisions": vs.recent_decisions(),
            "selected": {int(x) for x in request.POST.getlist("selected") if x.isdigit()}
            if posted
            else set(),
        },
        status,
    )
