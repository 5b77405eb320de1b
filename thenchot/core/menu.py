"""The main menu, filled by the apps: each registers its entries from `AppConfig.ready()`.

An entry names a URL; an entry whose URL does not resolve (its app is not installed) or whose
`visible` test says no is left out, so the menu never links to a page that is not there. Entries
with the same `group` become one drop-down under the group's label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thenchot.core.registry import Registry


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str | Promise


@dataclass(frozen=True)
class MenuEntry:
    url_name: str  # "directives:mine"
    # An app's entry (`PluginAppConfig.menu`) is keyed by the app's label and labelled with its
    # verbose name unless it says otherwise.
    key: str = ""
    label: str | Promise = ""
    #: the URL namespaces whose pages mark this entry (or its group) as the current one
    namespaces: tuple[str, ...] = ()
    group: str = ""  # a `MenuGroup` key, or "" for a top-level entry
    element_id: str = ""  # the link's id (browser tests and the skip links find it by id)
    badge_url_name: str = ""  # a URL whose HTML (a count) is loaded beside the label
    visible: Callable[[HttpRequest], bool] | None = None


menu_entries: Registry[MenuEntry] = Registry("menu entries")
menu_groups: Registry[MenuGroup] = Registry("menu groups")

#: The group the oversight apps (inspections, discipline, rotation) share; each declares it.
OVERSIGHT = MenuGroup(key="oversight", label=_("Oversight"))


#: (URLconf, script prefix, URL name) -> the reversed path, or None where it does not resolve.
#: Every page draws the menu, and reversing its ~17 names cost ~0.9 ms a request; a name
#: without arguments reverses to the same path for as long as the URLconf and the prefix stay
#: (no URL pattern is translated), and both are part of the key.
_reversed: dict[tuple[str, str, str], str | None] = {}


@receiver(setting_changed)
def _forget_reversed(*, setting: str, **kwargs: Any) -> None:
    # Tests that swap the URLconf module keep its name in ROOT_URLCONF only sometimes.
    if setting in {"ROOT_URLCONF", "INSTALLED_APPS"}:
        _reversed.clear()
    if setting in {"ROOT_URLCONF", "INSTALLED_APPS", "TEMPLATES"}:
        _drawn.clear()


def _url(name: str) -> str | None:
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    key = (str(urlconf), get_script_prefix(), name)
    try:
        return _reversed[key]
    except KeyError:
        pass
    try:
        url: str | None = reverse(name)
    except NoReverseMatch:
        url = None
    _reversed[key] = url
    return url


def main_menu(request: HttpRequest) -> list[dict[str, Any]]:
    """The menu as the template draws it: top-level links and drop-downs (a dict with
    `entries`, never `items`: a template would read a dict's own `items` method), in registry
    order."""
    resolver = getattr(request, "resolver_match", None)
    current = resolver.namespace if resolver is not None else ""
    out: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for _key, entry in menu_entries.items():
        url = _url(entry.url_name)
        if url is None or (entry.visible is not None and not entry.visible(request)):
            continue
        item = {
            "key": entry.key,
            "label": entry.label,
            "url": url,
            "id": entry.element_id,
            "active": current in entry.namespaces,
            "badge_url": _url(entry.badge_url_name) if entry.badge_url_name else None,
        }
        if not entry.group:
            out.append(item)
            continue
        group = groups.get(entry.group)
        if group is None:
            label = menu_groups.get(entry.group).label if entry.group in menu_groups else ""
            group = {"key": entry.group, "label": label, "entries": [], "active": False}
            groups[entry.group] = group
            out.append(group)
        group["entries"].append(item)
        group["active"] = group["active"] or item["active"]
    return out


#: (language, the menu as `main_menu` gives it) -> its HTML. Every page draws the menu, and
#: drawing it in the template cost ~0.7 ms a page (issue 18), while a city's pages show a few
#: dozen different menus (the entries a role sees, the section marked current). The key holds
#: every value the partial reads, the labels as the language renders them, so a drawing is
#: only ever reused for the same menu.
_drawn: dict[tuple[Any, ...], str] = {}
_DRAWN_MAX = 1024


def _drawn_key(items: list[dict[str, Any]]) -> tuple[Any, ...]:
    return tuple(
        (
            item["key"],
            str(item["label"]),
            item.get("url"),
            item.get("id"),
            item["active"],
            item.get("badge_url"),
            _drawn_key(item["entries"]) if "entries" in item else None,
        )
        for item in items
    )


def menu_html(request: HttpRequest) -> SafeString:
    """`partials/main_menu.html` drawn for the request's menu (`main_menu`), kept per menu."""
    items = main_menu(request)
    key = (get_language(), _drawn_key(items))
    html = _drawn.get(key)
    if html is None:
        html = render_to_string("partials/main_menu.html", {"main_menu": items})
        if len(_drawn) >= _DRAWN_MAX:
            _drawn.clear()
        _drawn[key] = html
    return mark_safe(html)  # noqa: S308 - the partial's own output, escaped when it was drawn
