"""Import page, XLSX template and export downloads. Logic lives in `services`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thenchot.accounts.scoping import scope_for
from thenchot.core.errors import DomainError
from thenchot.core.interchange import registered_sections
from thenchot.exchange import background
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
            if getattr(request, "htmx", False) and upload.size > background.background_bytes():
                token = background.start(
                    upload=upload,
                    user=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                    language=get_language(),
                )
                found = background.state(token, request.user.pk)
                return _progress(request, token, found or {})
            result = import_file(
                data=upload.file,
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
def import_status_view(request: HttpRequest, token: str) -> HttpResponse:
    """A background import's progress, then its result: the fragment the page asks for every
    second (htmx), or the import page showing it."""
    found = background.state(token, request.user.pk)
    if found is None:
        raise Http404
    if getattr(request, "htmx", False):
        if found["status"] == background.DONE:
            result = background.result_of(found)
            return render(request, "exchange/_result.html", {"result": result})
        return _progress(request, token, found)
    titled = [(section.key, section.title) for section in registered_sections()]
    context = {
        "form": ImportForm(),
        "result": background.result_of(found) if found["status"] == background.DONE else None,
        "sections": section_keys(),
        "titled": titled,
        "running": None if found["status"] == background.DONE else _running(token, found),
    }
    return render(request, "exchange/import.html", context)


def _running(token: str, found: dict[str, Any]) -> dict[str, Any]:
    return {
        "token": token,
        "status": found.get("status"),
        "filename": found.get("filename", ""),
        "step": background.step_of(found),
    }


def _progress(request: HttpRequest, token: str, found: dict[str, Any]) -> HttpResponse:
    return render(request, "exchange/_progress.html", _running(token, found))


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
