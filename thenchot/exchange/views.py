"""Import page, XLSX template and export downloads. Logic lives in `services`."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thenchot.accounts.scoping import scope_for
from thenchot.core.errors import DomainError
from thenchot.core.interchange import registered_sections
from thenchot.exchange.forms import ImportForm
from thenchot.exchange.services import FORMATS, export_data, import_file, section_keys
from thenchot.exchange.writers import template_xlsx

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF_FILTERS = ("unit", "as_of", "q", "category", "is_leader", "is_head")


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.can_write_org:
        raise PermissionDenied(_("Only personnel officers and administrators can import data."))
    result = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = import_file(
                data=upload.read(),
                filename=upload.name,
                scope=scope,
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            if not result.ok:
                status = 400
        else:
            status = 400
    else:
        form = ImportForm()
    partial = request.method == "POST" and getattr(request, "htmx", False)
    # Each section by its name in the reader's language, with the key the file uses for it.
    titled = [(section.key, section.title) for section in registered_sections()]
    context = {"form": form, "result": result, "sections": section_keys(), "titled": titled}
    template = "exchange/_result.html" if partial else "exchange/import.html"
    return render(request, template, context, status=status)


@login_required
@require_GET
def template_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(registered_sections()), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="thenchot-template.xlsx"'
    return response


@login_required
@require_GET
def export_view(request: HttpRequest) -> HttpResponse:
    section = request.GET.get("section") or ""
    fmt = request.GET.get("format") or "xlsx"
    if section not in section_keys() or fmt not in FORMATS:
        return HttpResponseBadRequest(_("Unknown section or format."))
    as_of = timezone.localdate()
    raw_date = request.GET.get("as_of")
    if raw_date:
        try:
            as_of = dt.date.fromisoformat(raw_date)
        except ValueError:
            return HttpResponseBadRequest(_("'as_of' is not a date (YYYY-MM-DD)."))
    params: dict[str, str | list[str]] = {}
    for key in STAFF_FILTERS:
        values = request.GET.getlist(key)
        if key == "category" and values:
            params[key] = values
        elif values and values[0] != "":
            params[key] = values[0]
    try:
        payload = export_data(
            fmt=fmt,
            sections=[section],
            scope=scope_for(request),
            as_of=as_of,
            params=params,
        )
    except DomainError as exc:
        return HttpResponseBadRequest(str(exc.message))
    content_type = "application/json; charset=utf-8" if fmt == "json" else XLSX_TYPE
    response = HttpResponse(payload, content_type=content_type)
    filename = f"thenchot-{section}-{as_of.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
