"""The inbox: the user's own notifications only (another user's id is a 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from thenchot.core.http import HtmxHttpRequest
from thenchot.notifications import selectors, services
from thenchot.notifications.models import Notification

PAGE_SIZE = 25


def _own(request: HttpRequest, pk: int) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient_id=request.user.pk)


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    show = "unread" if request.GET.get("show") == "unread" else "all"
    qs = selectors.inbox(user=request.user, unread_only=show == "unread")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "show": show,
            "unread_total": selectors.unread_count(user=request.user),
        },
    )


@login_required
@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/_badge.html",
        {"count": selectors.unread_count(user=request.user)},
    )


@login_required
@require_POST
def mark_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    notification = services.mark_read(user=request.user, notification=_own(request, pk))
    if request.htmx:
        response = render(request, "notifications/_row.html", {"n": notification})
        response["HX-Trigger"] = "notifications-changed"
        return response
    return HttpResponseRedirect(_back(request))


@login_required
@require_POST
def mark_all_read(request: HtmxHttpRequest) -> HttpResponse:
    services.mark_all_read(user=request.user)
    if request.htmx:
        return HttpResponseClientRefresh()
    return HttpResponseRedirect(_back(request))


@login_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go to the record; only links inside this site are followed."""
    notification = services.mark_read(user=request.user, notification=_own(request, pk))
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("notifications:inbox")
    return HttpResponseRedirect(target)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:inbox")
