"""The page helpers every app's views share (core.forms, core.pages, core.paging): one rule
each for a refusal on a form, a refusal in messages, the create page, the sorted list and the
statistics query."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.forms import (
    apply_refusal,
    by_code,
    out_of_scope_on,
    submit_form,
    take,
    unknown_code,
    without,
)
from thenchot.core.pages import (
    act_and_redirect,
    first_or_404,
    form_page,
    query_without,
    statistics_filters,
)
from thenchot.core.paging import sort_links, sort_order

SORTS = {"name": ("name_key", "code"), "code": ("code",)}


class _Form(forms.Form):
    code = forms.CharField(label="Code")
    title = forms.CharField(label="Title", required=False)


def _request(method: str = "get", data: dict[str, Any] | None = None) -> Any:
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m.message)) for m in get_messages(request)]


class _Scope:
    def __init__(self, readable: set[int]) -> None:
        self.readable = readable

    def can_read_unit(self, unit_id: int) -> bool:
        return unit_id in self.readable


# -- sorting and query strings ----------------------------------------------------------------
def test_it_sorts_by_a_known_key_and_reverses_it():
    assert sort_order(SORTS, "code", "name") == ("code", ("code",))
    assert sort_order(SORTS, "-name", "name") == ("-name", ("-name_key", "-code"))


def test_it_falls_back_to_the_default_for_an_unknown_or_empty_sort():
    assert sort_order(SORTS, "salary", "name") == ("name", ("name_key", "code"))
    assert sort_order(SORTS, "", "name") == ("name", ("name_key", "code"))
    assert sort_order(SORTS, None, "code") == ("code", ("code",))


def test_the_active_heading_links_to_its_reverse():
    links = sort_links(SORTS, "name")
    assert links["name"] == {"value": "-name", "active": True, "descending": False}
    assert links["code"] == {"value": "code", "active": False, "descending": False}
    assert sort_links(SORTS, "-name")["name"] == {
        "value": "name",
        "active": True,
        "descending": True,
    }


def test_the_query_keeps_the_filters_without_the_named_keys_and_empty_values():
    request = _request(data={"q": "an", "unit": "", "page": "3", "status": ["a", ""]})
    assert query_without(request, "page") == "q=an&status=a"


# -- refusals on forms -----------------------------------------------------------------------
def test_a_refusal_is_said_on_top_and_beside_its_field_once():
    form = _Form({"code": "X"})
    assert form.is_valid()
    exc = DomainError("Refused.", field_errors={"code": ["Taken.", "Refused."], "other": ["No."]})
    apply_refusal(form, exc)
    assert form.non_field_errors() == ["Refused."]
    assert form.errors["code"] == ["Taken."]


def test_messages_of_fields_the_form_lacks_go_on_top_when_asked():
    form = _Form({"code": "X"})
    form.is_valid()
    apply_refusal(form, DomainError("Refused.", field_errors={"other": ["No."]}), unplaced=True)
    assert form.non_field_errors() == ["Refused.", "No."]


def test_out_of_scope_goes_on_the_named_field_and_other_refusals_beside_theirs():
    form = _Form({"code": "X"})
    form.is_valid()
    out_of_scope_on("code")(form, OutOfScope())
    assert form.errors["code"] == [str(OutOfScope.default_message)]
    other = _Form({"code": "X"})
    other.is_valid()
    out_of_scope_on("code")(other, DomainError("Refused.", field_errors={"title": ["Too long."]}))
    assert other.errors == {"title": ["Too long."]}


def test_take_and_without_pick_the_fields_a_service_takes():
    data = {"code": "X", "title": "T", "version": 3}
    assert take(data, "code", "title") == {"code": "X", "title": "T"}
    assert without(data, "version") == {"code": "X", "title": "T"}
    with pytest.raises(KeyError):
        take(data, "missing")


@pytest.mark.django_db
def test_an_unknown_code_is_refused_naming_it(world):
    from thenchot.org.models import Unit

    unit = Unit.objects.order_by("code").first()
    assert by_code(Unit.objects, unit.code, "Unknown unit code '%(code)s'.") == unit
    with pytest.raises(forms.ValidationError) as caught:
        by_code(Unit.objects, "NO-SUCH-UNIT", "Unknown unit code '%(code)s'.")
    assert caught.value.code == "unknown"
    assert caught.value.messages == ["Unknown unit code 'NO-SUCH-UNIT'."]
    assert unknown_code("Unknown '%(code)s'.", "Q").messages == ["Unknown 'Q'."]


@pytest.mark.django_db
def test_first_or_404_reveals_nothing(world):
    from thenchot.org.models import Unit

    assert first_or_404(Unit.objects.order_by("code")) is not None
    with pytest.raises(Http404):
        first_or_404(Unit.objects.filter(code="NO-SUCH-UNIT"))


# -- the create page -------------------------------------------------------------------------
def test_a_get_renders_nothing_saved():
    calls: list[Any] = []
    assert submit_form(_request(), _Form(), calls.append) is None
    assert calls == []


def test_a_valid_post_answers_what_save_answers():
    request = _request("post", {"code": "X"})
    done = HttpResponse("saved")
    assert submit_form(request, _Form(request.POST), lambda data: done) is done


def test_a_refused_post_puts_the_refusal_on_the_form_and_renders_again():
    request = _request("post", {"code": "X"})
    form = _Form(request.POST)

    def save(data: dict[str, Any]) -> HttpResponse:
        raise DomainError("Refused.", field_errors={"code": ["Taken."]})

    assert submit_form(request, form, save) is None
    assert form.errors["code"] == ["Taken."]


def test_a_refusal_out_of_scope_is_a_403_when_forbidden():
    from django.core.exceptions import PermissionDenied

    request = _request("post", {"code": "X"})

    def save(data: dict[str, Any]) -> HttpResponse:
        raise OutOfScope()

    with pytest.raises(PermissionDenied):
        submit_form(request, _Form(request.POST), save, forbid=True)


def test_an_invalid_formset_stops_the_save():
    request = _request("post", {"code": "X"})
    formset = forms.formset_factory(_Form)({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"})
    formset.forms[0].empty_permitted = False
    calls: list[Any] = []
    assert submit_form(request, _Form(request.POST), calls.append, formsets=[formset]) is None
    assert calls == []


@pytest.mark.django_db
def test_the_page_is_400_after_a_refused_post_and_200_on_a_get(monkeypatch):
    monkeypatch.setattr(
        "thenchot.core.pages.render", lambda r, t, c, status: HttpResponse(status=status)
    )
    get = _request()
    assert form_page(get, "x.html", {"form": _Form()}, lambda data: None).status_code == 200
    post = _request("post", {"code": ""})
    assert form_page(post, "x.html", {"form": _Form(post.POST)}, lambda d: None).status_code == 400


# -- actions told in messages ----------------------------------------------------------------
def test_a_done_action_says_its_message_and_goes_on():
    request = _request("post", {"code": "X"})
    response = act_and_redirect(
        request,
        "/back/",
        lambda data: f"Saved {data['code']}.",
        form=_Form(request.POST),
        done="/on/",
    )
    assert response.url == "/on/"
    assert _said(request) == [("success", "Saved X.")]


def test_an_invalid_form_is_said_field_by_field_and_goes_back():
    request = _request("post", {"code": ""})
    response = act_and_redirect(request, "/back/", lambda data: "never", form=_Form(request.POST))
    assert response.url == "/back/"
    assert _said(request) == [("error", "Code: This field is required.")]


def test_a_refusal_is_said_with_its_details_unless_told_not_to():
    def refuse(data: dict[str, Any]) -> str:
        raise DomainError("Refused.", field_errors={"code": ["Taken.", "Refused."]})

    request = _request("post")
    assert act_and_redirect(request, "/back/", refuse).url == "/back/"
    assert _said(request) == [("error", "Refused."), ("error", "Taken.")]
    quiet = _request("post")
    act_and_redirect(quiet, "/back/", refuse, details=False)
    assert _said(quiet) == [("error", "Refused.")]


# -- the statistics query --------------------------------------------------------------------
def test_the_period_defaults_and_the_as_of_date_are_capped():
    request = _request(data={"to": "2026-12-31"})
    query = statistics_filters(
        request,
        _Scope({1}),
        {"A": 1},
        default_to=dt.date(2026, 12, 31),
        default_unit=lambda on: 1,
        as_of_at_most=dt.date(2026, 6, 1),
    )
    assert query.date_to == dt.date(2026, 12, 31)
    assert query.as_of == dt.date(2026, 6, 1)
    assert query.unit_id == 1 and query.error == "" and query.ready


def test_an_unreadable_unit_reads_as_unknown():
    request = _request(data={"unit": "B"})
    query = statistics_filters(
        request,
        _Scope({1}),
        {"A": 1, "B": 2},
        default_to=dt.date(2026, 1, 31),
        default_unit=lambda on: 1,
    )
    assert query.unit_id is None and "B" in query.error and not query.ready


def test_a_reversed_period_is_an_error():
    request = _request(data={"from": "2026-05-01", "to": "2026-04-01"})
    query = statistics_filters(
        request, _Scope({1}), {}, default_to=dt.date(2026, 4, 1), default_unit=lambda on: 1
    )
    assert query.error and not query.ready
    assert query.as_of == dt.date(2026, 4, 1)
