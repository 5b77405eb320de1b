"""The main menu is drawn once per menu and language (issue 18): a page gets the drawing of its
own menu, the same HTML as the partial gives, and another section, another role's entries or
another language is another drawing."""

from __future__ import annotations

from unittest import mock

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from thenchot.core import menu
from thenchot.core.menu import MenuEntry, main_menu, menu_entries, menu_html


def _request(world, name: str, path: str):  # type: ignore[no-untyped-def]
    request = RequestFactory().get(path)
    request.user = world.user(name)
    request.resolver_match = resolve(path)
    return request


def test_it_draws_what_the_partial_draws(world) -> None:  # type: ignore[no-untyped-def]
    menu._drawn.clear()
    for name, path in (("lan", "/"), ("lan", "/staff/"), ("an", "/appraisal/me/")):
        request = _request(world, name, path)
        expected = render_to_string("partials/main_menu.html", {"main_menu": main_menu(request)})
        assert menu_html(request) == expected
        assert menu_html(request) == expected  # and again, kept


def test_it_draws_each_menu_once(world) -> None:  # type: ignore[no-untyped-def]
    menu._drawn.clear()
    with mock.patch.object(menu, "render_to_string", wraps=render_to_string) as spy:
        with translation.override("vi"):
            home = menu_html(_request(world, "lan", "/"))
            again = menu_html(_request(world, "lan", "/"))
            staff = menu_html(_request(world, "lan", "/staff/"))  # another section marked
        with translation.override("en"):
            english = menu_html(_request(world, "lan", "/"))
    assert home == again and spy.call_count == 3
    assert staff != home and english != home


def test_it_draws_a_changed_entry_anew(world) -> None:  # type: ignore[no-untyped-def]
    menu._drawn.clear()
    request = _request(world, "lan", "/")
    before = menu_html(request)
    shown = MenuEntry(key="home", label="Only home", url_name="home:index")
    with menu_entries.overridden({"home": shown}):
        during = menu_html(request)
    assert "Only home" in during and "Only home" not in before
    assert menu_html(request) == before
