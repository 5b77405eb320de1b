"""Source documents: the list (with XLSX export), the document page with its tasks, recording a
document, and its attachments, served through a view that checks the reader."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.exports import Column, dated_filename, xlsx_response
from thenchot.core.forms import out_of_scope_on, run_form_action
from thenchot.core.http import HtmxHttpRequest
from thenchot.core.pages import first_or_404, form_page, query_without
from thenchot.core.text import fold
from thenchot.core.views import int_choice, login_required, parse_date
from thenchot.directives import selectors, services
from thenchot.directives.choices import DocumentKind
from thenchot.directives.forms import AttachmentForm, DocumentForm
from thenchot.directives.models import DocumentAttachment, SourceDocument
from thenchot.directives.views.common import (
    DEFAULT_PAGE_SIZE,
    PAGE_SIZES,
    SHOWN_PAGE_SIZES,
    STATUS_CLASSES,
    STATUS_LABELS,
    assigning_units,
    can_assign,
    file_response,
)
from thenchot.org.tree import tree


def _document_search(qs: QuerySet[SourceDocument], text: str) -> QuerySet[SourceDocument]:
    """Diacritic-free search over code, number and title. Documents carry no folded column, so
    the matching is done on the (few thousand) candidate rows in Python: two queries."""
    words = fold(text).split()
    if not words:
        return qs
    ids = [
        pk
        for pk, code, number, title in qs.values_list("pk", "code", "number", "title")
        if all(w in fold(f"{code} {number} {title}") for w in words)
    ]
    return qs.filter(pk__in=ids)


def _documents_filtered(request: HttpRequest, scope: Scope) -> tuple[QuerySet[SourceDocument], str]:
    qs = selectors.document_queryset(scope)
    kinds = [k for k in request.GET.getlist("kind") if k in DocumentKind.values]
    if kinds:
        qs = qs.filter(kind__in=kinds)
    issuer = (request.GET.get("issuer") or "").strip()
    error = ""
    if issuer:
        snap = tree()
        unit_id = snap.by_code.get(issuer)
        if unit_id is None:
            error = _("Unknown unit code '%(code)s'.") % {"code": issuer}
            qs = qs.none()
        else:
            qs = qs.filter(issuer_id__in=sorted(snap.subtree_on(unit_id, timezone.localdate())))
    date_from = parse_date(request.GET.get("issued_from"))
    date_to = parse_date(request.GET.get("issued_to"))
    if date_from:
        qs = qs.filter(issued_on__gte=date_from)
    if date_to:
        qs = qs.filter(issued_on__lte=date_to)
    if request.GET.get("q"):
        qs = _document_search(qs, request.GET["q"])
    return qs.order_by("-issued_on", "code"), error


@login_required
@require_GET
def document_list(request: HtmxHttpRequest) -> HttpResponse:
    scope = scope_for(request)
    qs, error = _documents_filtered(request, scope)
    kinds = dict(DocumentKind.choices)
    if request.GET.get("format") == "xlsx":
        columns = [
            Column(gettext_lazy("Code"), lambda d: d.code, 18),
            Column(gettext_lazy("Kind"), lambda d: kinds.get(d.kind, d.kind)),
            Column(gettext_lazy("Number"), lambda d: d.number or None),
            Column(gettext_lazy("Issued on"), lambda d: d.issued_on),
            Column(gettext_lazy("Issuing unit"), lambda d: d.issuer.code),
            Column(gettext_lazy("Issuing unit name"), lambda d: d.issuer.name, 30),
            Column(gettext_lazy("Signer"), lambda d: d.signer or None, 24),
            Column(gettext_lazy("Title"), lambda d: d.title, 60),
        ]
        return xlsx_response(
            filename=dated_filename("documents"),
            columns=columns,
            rows=qs.iterator(chunk_size=2000),
            sheet_title="documents",
        )
    page_size = int_choice(request.GET.get("page_size"), PAGE_SIZES, DEFAULT_PAGE_SIZE)
    context = {
        "page": Paginator(qs, page_size).get_page(request.GET.get("page")),
        "form_data": request.GET,
        "kinds": DocumentKind.choices,
        "kind_labels": kinds,
        "selected_kinds": request.GET.getlist("kind"),
        "page_size": page_size,
        "page_sizes": SHOWN_PAGE_SIZES,
        "error": error,
        "export_query": query_without(request, "page", "format", "page_size"),
        "can_create": can_assign(selectors.authority_for(request.user)),
    }
    if request.htmx and request.htmx.target == "document-table":
        return render(
            request, "directives/_document_table.html", context, status=400 if error else 200
        )
    return render(request, "directives/document_list.html", context, status=400 if error else 200)


def _readable_document(request: HttpRequest, code: str) -> SourceDocument:
    return first_or_404(selectors.document_queryset(scope_for(request)).filter(code=code))


def _document_context(
    request: HttpRequest, doc: SourceDocument, form: AttachmentForm | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    auth = selectors.authority_for(request.user, today)
    can_attach = auth.can_assign_from(doc.issuer_id)
    tasks = (
        selectors.task_queryset(scope_for(request), today)
        .filter(document=doc)
        .order_by("effective_deadline", "code")
    )
    return {
        "document": doc,
        "attachments": list(doc.attachments.order_by("uploaded_at", "id")),
        "tasks": list(tasks[:500]),
        "status_labels": STATUS_LABELS,
        "status_classes": STATUS_CLASSES,
        "can_attach": can_attach,
        "can_assign": can_assign(auth),
        "attach_form": (form or AttachmentForm()) if can_attach else None,
    }


@login_required
@require_GET
def document_page(request: HttpRequest, code: str) -> HttpResponse:
    doc = _readable_document(request, code)
    return render(request, "directives/document_detail.html", _document_context(request, doc))


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    choices = assigning_units(request.user, today)
    snap = tree()
    form = DocumentForm(
        request.POST or None,
        initial={"issued_on": today, "issuer": snap.units[choices[0][0]].code},
    )
    # The issuers are the few units the user assigns from: a datalist of them suffices.
    form.fields["issuer"].widget.attrs["list"] = "issuer-options"

    def save(data: dict[str, Any]) -> HttpResponse:
        doc = services.document_create(by=request.user, **data)
        messages.success(request, _("The document was recorded."))
        return redirect(reverse("directives:document", args=[doc.code]))

    context = {
        "form": form,
        "issuers": [{"code": snap.units[u].code, "name": snap.units[u].name} for u, _l in choices],
    }
    # Out of scope here is the issuing unit the reader typed: said beside it.
    refuse = out_of_scope_on("issuer")
    return form_page(request, "directives/document_form.html", context, save, refuse=refuse)


@login_required
@require_POST
def document_attach(request: HttpRequest, code: str) -> HttpResponse:
    doc = _readable_document(request, code)
    form = AttachmentForm(request.POST, request.FILES)

    def act(data: dict[str, Any]) -> str:
        services.document_attach(by=request.user, document=doc, file=data["file"])
        return _("The file was attached.")

    def again(refused: AttachmentForm) -> HttpResponse:
        context = _document_context(request, doc, refused)
        return render(request, "directives/document_detail.html", context, status=400)

    done = reverse("directives:document", args=[doc.code])
    return run_form_action(request, form, act, done=done, again=again)


@login_required
@require_GET
def attachment_download(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    doc = _readable_document(request, code)
    attachment = first_or_404(DocumentAttachment.objects.filter(pk=pk, document=doc))
    return file_response(attachment.file, attachment.name, attachment.content_type)
