"""Apps bring their own pages to the language test: an optional module
`thenchot/<app>/tests/i18n_pages.py` may define

- `build(pw: PageWorld) -> None`: create the records its pages show (through the services where a
  page reads what a service leaves behind) and keep them in `pw.extra["<name>"]`;
- `KNOWN_TEXTS() -> list[str]`: texts its pages show that are data but no record's (names a
  library computes, such as the public holidays');
- `ARGS`, `MORE_ARGS`, `QUERY` (route name -> function of the page world), `POST_ONLY`,
  `EXCLUDED_ROUTES`, `PREFERRED` (route name -> str) and `ANONYMOUS`, `FOLLOW` (sets of route
  names), merged into the tables of tests/i18n/routes.py.

So an app added by the checklist of docs/architecture.md edits no file of this folder.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from django.apps import apps


@cache
def page_modules() -> tuple[ModuleType, ...]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("thenchot."):
            continue
        name = f"{config.name}.tests.i18n_pages"
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name not in (name, f"{config.name}.tests"):
                raise
    return tuple(found)


def merge_into(tables: dict[str, dict | set]) -> None:
    """Add every page module's entries to the named tables (a dict updates, a set unions)."""
    for module in page_modules():
        for table_name, table in tables.items():
            extra = getattr(module, table_name, None)
            if extra is None:
                continue
            clash = set(extra) & set(table)
            assert not clash, f"{module.__name__}.{table_name} redefines {sorted(clash)}"
            if isinstance(table, dict):
                table.update(extra)
            else:
                table |= set(extra)


def known_texts() -> list[str]:
    """Data the apps' pages show that no record stores (`KNOWN_TEXTS` of the page modules)."""
    out: list[str] = []
    for module in page_modules():
        texts = getattr(module, "KNOWN_TEXTS", None)
        if texts is not None:
            out += texts()
    return out
