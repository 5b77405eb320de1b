"""No English on a Vietnamese page and no Vietnamese on an English one (issue 11, point 6).

Every named GET page of the product (tests/i18n/routes.py says which routes are left out and
why) is rendered, for a persona who may read it, three times:
- with a pseudo-Vietnamese catalogue in which every translated message is marked: a word outside
  the marks that is no record's data did not come from the catalogue (a string written in a
  template or in Python without gettext, or a msgid without a Vietnamese translation yet);
- in Vietnamese: no tell-tale English word ("the", "Save", "Period"…) that neither the data nor
  a Vietnamese translation holds;
- in English: no word with a Vietnamese letter that neither the data nor an English message
  holds (messages may gloss a legal term in Vietnamese: "Reprimand (khiển trách)").
On every render, no raw stored value ("civil_servant") where its label belongs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.template import Context, Template
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from tests.i18n import catalogue as cat
from tests.i18n.plugins import known_texts
from tests.i18n.routes import (
    ANONYMOUS,
    ARGS,
    FOLLOW,
    MORE_ARGS,
    POST_ONLY,
    PREFERRED,
    QUERY,
    READERS,
    Route,
    excluded_reason,
    named_routes,
    page_routes,
)
from tests.i18n.world import PageWorld, build_page_world

pytestmark = pytest.mark.django_db

# Words a page shows as they are in both languages: the product's name, the language codes
# of the language switch.
PROPER_NAMES = {"then", "chốt", *(code for code, _name in settings.LANGUAGES)}
# Fields whose values are no text to show: secrets, search keys, and the codes of rule packs
# (a page names a pack by its title).
NOT_SHOWN = {"password", "search_text", "key", "rule_pack", "pack_version"}


@dataclass
class Setting:
    world: PageWorld
    data: cat.KnownData
    pseudo_dir: Path


def _choice_values() -> set[str]:
    return {
        str(value)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.choices
        for value, _label in field.flatchoices
    }


def known_data() -> cat.KnownData:
    """Every text value stored by the world's records, but stored choice values: those must
    show as their labels, so they are no data a page may show raw."""
    raw = _choice_values()
    values: list[str] = []
    for model in apps.get_models():
        if not model.__module__.startswith("thenchot."):
            continue
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
            and not field.choices
            and field.name not in NOT_SHOWN
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            values += [
                value
                for value in row
                if isinstance(value, str)
                and value not in raw
                and not cat.SNAKE_CASE.fullmatch(value)
            ]
    return cat.KnownData(values + known_texts())


@pytest.fixture(scope="module")
def setting(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Setting]:  # type: ignore[no-untyped-def]
    """One world for every page of the module (building it per page would be slow); each test
    rolls its own changes back."""
    pseudo_dir = cat.write_pseudo_locale(tmp_path_factory.mktemp("pseudo-locale"), "vi")
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        with translation.override("vi"):
            world = build_page_world()
        yield Setting(world=world, data=known_data(), pseudo_dir=pseudo_dir)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def allowed() -> dict[str, set[str]]:
    return {
        "vi": cat.catalogue_words("vi", source=False) | PROPER_NAMES,
        "en": cat.catalogue_words("vi", source=True) | PROPER_NAMES,
    }


def _client(username: str | None, world: PageWorld, language: str | None = None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(world.people.user(username))
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _urls(route: Route, world: PageWorld) -> list[str]:
    kwargs = [ARGS[route.name](world)] if route.params else [{}]
    if route.name in MORE_ARGS:
        kwargs += MORE_ARGS[route.name](world)
    query = "?" + urlencode(QUERY[route.name](world)) if route.name in QUERY else ""
    return [reverse(route.name, kwargs=k or None) + query for k in kwargs]


def _get(client: Client, url: str, route: Route) -> Any:
    return client.get(url, follow=route.name in FOLLOW)


def _reader(route: Route, url: str, world: PageWorld) -> str | None:
    """The first persona the page answers 200 (None: the anonymous visitor's page)."""
    if route.name in ANONYMOUS:
        return None
    first = PREFERRED.get(route.name)
    for username in ([first] if first else []) + [r for r in READERS if r != first]:
        if _get(_client(username, world), url, route).status_code == 200:
            return username
    raise LookupError(f"{url}: no persona may read it")


def _around(text: str, word: str) -> str:
    match = re.search(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", text)
    if match is None:
        return word
    start, end = max(0, match.start() - 50), match.end() + 50
    return " ".join(text[start:end].split())


def _problems(kind: str, found: list[str], text: str) -> list[str]:
    return [f"{kind}: {word!r} in «{_around(text, word)}»" for word in dict.fromkeys(found)]


def check_page(route: Route, url: str, s: Setting, allowed: dict[str, set[str]]) -> list[str]:
    try:
        reader = _reader(route, url, s.world)
    except LookupError as exc:
        return [str(exc)]
    problems: list[str] = []

    with override_settings(LOCALE_PATHS=[s.pseudo_dir]):
        response = _get(_client(reader, s.world), url, route)
    assert response.status_code == 200, (url, response.status_code)
    text = cat.visible_text(response.content.decode())
    problems += [
        f"no Vietnamese translation yet: {message!r}"
        for message in dict.fromkeys(cat.untranslated_messages(text))
    ]
    problems += _problems(
        "outside the catalogue", cat.unmarked_words(text, s.data, PROPER_NAMES), text
    )
    problems += _problems("raw value", cat.raw_identifiers(text, s.data), text)

    response = _get(_client(reader, s.world), url, route)
    text = cat.visible_text(response.content.decode())
    problems += _problems("English on the Vietnamese page", cat.english_words(text, s.data, allowed["vi"]), text)  # fmt: skip

    response = _get(_client(reader, s.world, "en"), url, route)
    assert response["Content-Language"] == "en"
    text = cat.visible_text(response.content.decode())
    problems += _problems("Vietnamese on the English page", cat.vietnamese_words(text, s.data, allowed["en"]), text)  # fmt: skip
    problems += _problems("raw value", cat.raw_identifiers(text, s.data), text)
    return [f"{url} (as {reader or 'a visitor'}) {problem}" for problem in problems]


PAGES = page_routes()


@pytest.mark.parametrize("route", PAGES, ids=[route.name for route in PAGES])
def test_it_shows_each_page_in_one_language(route: Route, setting: Setting, allowed) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    for url in _urls(route, setting.world):
        problems += check_page(route, url, setting, allowed)
    assert not problems, "\n".join(problems)


def test_it_knows_how_to_reach_every_named_route() -> None:
    """A new route is either rendered (its path parameters filled from the world) or left out
    with a reason: nothing is skipped silently."""
    unknown = [
        route.name
        for route in named_routes()
        if excluded_reason(route) is None and route.params and route.name not in ARGS
    ]
    assert not unknown, f"fill the parameters of {unknown} in tests/i18n/routes.py ARGS"


def test_it_leaves_out_only_routes_a_get_does_not_render(setting: Setting) -> None:
    by_name = {route.name: route for route in named_routes()}
    assert set(POST_ONLY) <= set(by_name), set(POST_ONLY) - set(by_name)
    client = _client("quan", setting.world)
    wrong = {}
    for name in POST_ONLY:
        route = by_name[name]
        url = reverse(name, kwargs=ARGS[name](setting.world) if route.params else None)
        status = client.get(url).status_code
        if status != 405:
            wrong[name] = status
    assert not wrong, f"these answer a GET, so they are pages to render: {wrong}"


# --- the checks can fail ---------------------------------------------------------------------


def test_it_flags_a_string_outside_the_catalogue(setting: Setting) -> None:
    page = Template(
        "{% load i18n %}<h1>{% translate 'Staff' %}</h1><p title='Stray tooltip'>"
        "Nguyễn Văn An</p><button>Save now</button><script>var ignored = 'x';</script>"
    )
    with override_settings(LOCALE_PATHS=[setting.pseudo_dir]), translation.override("vi"):
        text = cat.visible_text(page.render(Context()))
    assert cat.MARK_OPEN in text
    assert cat.unmarked_words(text, setting.data, PROPER_NAMES) == [
        "Stray",
        "tooltip",
        "Save",
        "now",
    ]


def test_it_flags_english_on_a_vietnamese_page_and_vietnamese_on_an_english_one(
    setting: Setting, allowed
) -> None:  # type: ignore[no-untyped-def]
    vi = cat.visible_text("<p>Danh sách cán bộ</p><p>Save the period</p><p>Nguyễn Văn An</p>")
    assert cat.english_words(vi, setting.data, allowed["vi"]) == ["Save", "the", "period"]
    en = cat.visible_text("<p>Staff list</p><p>Danh sách</p><p>Sở Nội vụ</p>")
    assert cat.vietnamese_words(en, setting.data, allowed["en"]) == ["sách"]
    raw = cat.visible_text("<td>civil_servant</td>")
    assert cat.raw_identifiers(raw, setting.data) == ["civil_servant"]


def test_it_reads_the_catalogue_from_the_po_files(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
        '#, fuzzy\nmsgid "Old"\nmsgstr "Cũ"\n\n'
        'msgctxt "month"\nmsgid "May"\nmsgstr "Tháng năm"\n\n'
        'msgid "%(n)s task"\nmsgid_plural "%(n)s tasks"\nmsgstr[0] ""\n"%(n)s nhiệm vụ"\n',
        encoding="utf-8",
    )
    entries = {entry.key: entry for entry in cat.read_po(po)}
    assert not entries["Old"].translated
    assert entries["month\x04May"].msgstr == ["Tháng năm"]
    assert entries["%(n)s task\x00%(n)s tasks"].msgstr == ["%(n)s nhiệm vụ"]


def test_it_says_where_an_import_problem_is_in_the_readers_language(setting: Setting) -> None:
    """An import's errors are shown after a POST, which no page render above reaches: the
    place of a problem in a workbook ("sheet staff, row 2, column category") is a message of
    the catalogue around the names the file uses."""
    from thenchot.core.interchange import SheetPlace, sheet_place

    file_names = cat.KnownData(["staff", "category"])
    with override_settings(LOCALE_PATHS=[setting.pseudo_dir]), translation.override("vi"):
        places = [SheetPlace("staff", 2).at("category"), SheetPlace("staff", 2).at(), sheet_place("staff")]  # fmt: skip
    for place in places:
        assert cat.unmarked_words(place, file_names, set()) == [], place
        assert not cat.untranslated_messages(place), place
