"""The test provider's URLs, its claims (user name, e-mail, names, groups) and two helpers for
the tests: a login form, and setting a person's groups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, get_user_model, login
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import include, path
from django.utils.http import url_has_allowed_host_and_scheme
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    # Every claim whatever the scopes asked (the groups claim has no standard scope).
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "preferred_username": user.username,
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }


def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        user = authenticate(
            request,
            username=request.POST.get("username", ""),
            password=request.POST.get("password", ""),
        )
        if user is None:
            return HttpResponse("wrong credentials", status=401)
        login(request, user)
        target = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return HttpResponseBadRequest("bad next")
        return HttpResponseRedirect(target)
    return HttpResponse("<form method=post><input name=username><input name=password></form>")


def groups_view(request: HttpRequest) -> HttpResponse:
    """POST username, groups (comma-separated): the provider's administrator at work."""
    if request.method != "POST":
        return HttpResponseBadRequest("POST only")
    user = get_user_model().objects.get(username=request.POST["username"])
    names = [g for g in request.POST.get("groups", "").split(",") if g]
    user.groups.set([Group.objects.get_or_create(name=n)[0] for n in names])
    return HttpResponse("ok")


urlpatterns = [
    path("login/", login_view),
    path("test/groups/", groups_view),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
