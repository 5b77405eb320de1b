"""The menu's links are reversed once per URLconf and script prefix, and the cached paths are
the ones `reverse()` gives: a prefix of its own, another URLconf and a name that does not
resolve each get their own answer."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import override_settings
from django.urls import clear_script_prefix, reverse, set_script_prefix

from thenchot.core import menu
from thenchot.core.menu import MenuEntry, _url, menu_entries


@pytest.fixture(autouse=True)
def _fresh_cache() -> object:
    menu._reversed.clear()
    yield
    menu._reversed.clear()
    clear_script_prefix()


def test_it_gives_what_reverse_gives_for_every_entry() -> None:
    for _key, entry in menu_entries.items():
        expected = reverse(entry.url_name)
        assert _url(entry.url_name) == expected
        assert _url(entry.url_name) == expected  # and again from the cache


def test_it_reverses_a_name_once() -> None:
    with mock.patch.object(menu, "reverse", wraps=reverse) as spy:
        first = _url("home:index")
        second = _url("home:index")
    assert first == second == "/"
    assert spy.call_count == 1


def test_it_keeps_a_missing_page_missing() -> None:
    with mock.patch.object(menu, "reverse", wraps=reverse) as spy:
        assert _url("ghost:index") is None
        assert _url("ghost:index") is None
    assert spy.call_count == 1


def test_it_follows_the_script_prefix() -> None:
    assert _url("home:index") == "/"
    set_script_prefix("/thenchot/")
    assert _url("home:index") == "/thenchot/"
    clear_script_prefix()
    assert _url("home:index") == "/"


def test_it_forgets_the_paths_when_the_urlconf_changes() -> None:
    assert _url("home:index") == "/"
    menu._reversed[next(iter(menu._reversed))] = "/stale/"
    with override_settings(ROOT_URLCONF="thenchot.urls"):
        assert _url("home:index") == "/"


def test_it_draws_the_same_menu_twice(client_for, world) -> None:  # type: ignore[no-untyped-def]
    shown = MenuEntry(key="home", label="Only home", url_name="home:index")
    with menu_entries.overridden({"home": shown}):
        first = client_for("lan").get("/staff/").content
        second = client_for("lan").get("/staff/").content
    assert b'href="/">Only home' in first
    assert first.count(b"Only home") == second.count(b"Only home") == 1
