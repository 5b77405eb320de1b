"""How an app plugs into the site without anyone editing the root URLs or the API root.

An app's `AppConfig` subclasses `PluginAppConfig` and declares what it plugs in: where its
pages and API live (the root URL configuration and `/api/v1/` include every installed app that
says so, in `INSTALLED_APPS` order), its menu entry, and its parts for the registries of `core`
(report block, person panel, due-date source, record-access rules, demo loader), which the
base's `ready()` registers. `ready()` is left to an app only for what is its own (see
docs/architecture.md, "Add an app").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import import_module
from importlib.util import find_spec
from typing import Any, ClassVar

from django.apps import AppConfig, apps
from django.urls import URLPattern, URLResolver, include, path
from django.utils.module_loading import import_string

from thenchot.core.menu import MenuEntry, MenuGroup, menu_entries, menu_groups
from thenchot.core.registry import (
    RecordAccess,
    demo_loaders,
    due_sources,
    person_panels,
    record_access,
    unit_panels,
)
from thenchot.core.reporting import register_block


@dataclass(frozen=True)
class Part:
    """An object of the app, named by where it lives inside the app (`"due.task_due_source"` is
    `<app>.due.task_due_source`): it is imported only once the app is ready, as it reads the
    app's models, and `order` is its place among the other apps' parts of its kind."""

    path: str
    order: int = 100


class PluginAppConfig(AppConfig):
    # Django picks the one AppConfig subclass an app's `apps.py` holds; importing this base
    # there makes two, so the base opts out and each subclass opts back in.
    default = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.default = True
        # The app is the package of the `apps` module declaring it; its pages, if it has a
        # `urls` module, are under "<label>/" unless it says otherwise.
        if "name" not in cls.__dict__:
            cls.name = cls.__module__.rpartition(".")[0]
        if "url_prefix" not in cls.__dict__ and find_spec(f"{cls.name}.urls") is not None:
            cls.url_prefix = f"{cls.__dict__.get('label', cls.name.rpartition('.')[2])}/"

    #: the prefix of the app's pages ("directives/"; "" for pages at the site root), whose
    #: patterns are `<app>.urls`; "<label>/" by default when there is such a module, None when
    #: the app has no pages
    url_prefix: ClassVar[str | None] = None
    #: its main-menu entry, at `menu_order` among the others, and the drop-downs it opens; the
    #: entry is keyed by the app's label, labelled with its verbose name and marked current on
    #: the pages of its URL namespace, unless it says otherwise
    menu: ClassVar[MenuEntry | None] = None
    menu_order: ClassVar[int] = 100
    menu_groups: ClassVar[tuple[MenuGroup, ...]] = ()
    #: its modules that register something when imported ("interchange": its sections; "jobs")
    imports: ClassVar[tuple[str, ...]] = ()
    #: a `core.reporting.ReportBlock`
    report_block: ClassVar[Part | None] = None
    #: a `core.panels.PersonPanel`, shown under the app's label
    person_panel: ClassVar[Part | None] = None
    #: a `core.panels.UnitPanel`, shown on the unit's page under the app's label
    unit_panel: ClassVar[Part | None] = None
    #: a `core.due.DueSource`
    due_source: ClassVar[Part | None] = None
    #: a mapping of model labels ("directives.task") to who may read such a record's history
    record_access: ClassVar[Part | None] = None
    #: a `core.registry.DemoLoader`, run under the app's label
    demo_loader: ClassVar[Part | None] = None

    def ready(self) -> None:
        for module in self.imports:
            import_module(f"{self.name}.{module}")
        if self.menu is not None:
            entry = replace(
                self.menu,
                key=self.menu.key or self.label,
                label=self.menu.label or self.verbose_name,
                namespaces=self.menu.namespaces or (self.label,),
            )
            menu_entries.register(entry.key, entry, order=self.menu_order)
        for group in self.menu_groups:
            menu_groups.register(group.key, group)
        if self.report_block is not None:
            register_block(self._load(self.report_block), order=self.report_block.order)
        if self.person_panel is not None:
            panel = self._load(self.person_panel)
            person_panels.register(self.label, panel, order=self.person_panel.order)
        if self.unit_panel is not None:
            unit_panel = self._load(self.unit_panel)
            unit_panels.register(self.label, unit_panel, order=self.unit_panel.order)
        if self.due_source is not None:
            source = self._load(self.due_source)
            due_sources.register(source.policy_key, source, order=self.due_source.order)
        if self.record_access is not None:
            rules: Mapping[str, RecordAccess] = self._load(self.record_access)
            for model_label, rule in rules.items():
                record_access.register(model_label, rule)
        if self.demo_loader is not None:
            loader = self._load(self.demo_loader)
            demo_loaders.register(self.label, loader, order=self.demo_loader.order)

    @property
    def has_api(self) -> bool:
        """Whether the app has an `api/urls.py`, whose routes are included under `/api/v1/`."""
        try:
            return find_spec(f"{self.name}.api.urls") is not None
        except ModuleNotFoundError:  # no `api` package at all
            return False

    def _load(self, part: Part) -> Any:
        return import_string(f"{self.name}.{part.path}")


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
