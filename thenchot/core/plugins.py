"""How an app plugs into the site without anyone editing the root URLs or the API root.

An app's `AppConfig` subclasses `PluginAppConfig` and says where its pages and API live; the
root URL configuration and `/api/v1/` include every installed app that says so, in
`INSTALLED_APPS` order. Its menu entries, report block, interchange sections, person panel and
due-date source are registered from its `ready()` (see docs/architecture.md, "Add an app").
"""

from __future__ import annotations

from typing import ClassVar

from django.apps import AppConfig, apps
from django.urls import URLPattern, URLResolver, include, path


class PluginAppConfig(AppConfig):
    # Django picks the one AppConfig subclass an app's `apps.py` holds; importing this base
    # there makes two, so the base opts out and each subclass opts back in.
    default = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.default = True

    #: the prefix of the app's pages ("directives/"; "" for pages at the site root), whose
    #: patterns are `<app>.urls`; None when the app has no pages
    url_prefix: ClassVar[str | None] = None
    #: whether `<app>.api.urls` holds routes to include under `/api/v1/`
    has_api: ClassVar[bool] = False


def _plugins() -> list[PluginAppConfig]:
    return [c for c in apps.get_app_configs() if isinstance(c, PluginAppConfig)]


def page_urlpatterns() -> list[URLPattern | URLResolver]:
    return [
        path(c.url_prefix, include(f"{c.name}.urls"))
        for c in _plugins()
        if c.url_prefix is not None
    ]


def api_urlpatterns() -> list[URLPattern | URLResolver]:
    return [path("", include(f"{c.name}.api.urls")) for c in _plugins() if c.has_api]
