"""The report's figures as tables with labels and formatted numbers, for the page, the XLSX and
the PDF alike (one shape, three renderings), built from the report.md JSON of any block.

A block's top-level numbers make one table (figure, number); an object of numbers (`by_kind`,
`recommendations`) a table of its own; an object holding objects (`evaluations.years`) its own
tables, titled by it; a list of objects (`by_conductor`, `reform.units`) a table with a column
per key, the values of a nested object (`by_kind`) spread into columns. Units are named
"Name (CODE)". Labels and numbers are in the active language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from thenchot.core.numbers import format_decimal
from thenchot.reports import labels

# Keys whose numbers are identifiers, never grouped ("2.023" is no year).
PLAIN_NUMBERS = {"year", "rank"}
HEADER_KEYS = ("unit", "from", "to", "as_of")


@dataclass(frozen=True)
class Cell:
    value: Any  # as in the JSON (int, float, str, None)
    text: str  # as shown
    numeric: bool = False
    decimals: bool = False  # a number with decimals (an index, points): XLSX "0.00"
    plain: bool = False  # a year or a rank: no thousands separator


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class BlockView:
    key: str
    title: str
    tables: list[Table]


def unit_label(code: Any, on: dt.date | None = None) -> str:
    from thenchot.org.tree import tree

    snap = tree()
    uid = snap.by_code.get(str(code))
    if uid is None:
        return str(code)
    return f"{snap.units[uid].name} ({code})"


def unit_name(code: Any) -> str:
    from thenchot.org.tree import tree

    snap = tree()
    uid = snap.by_code.get(str(code))
    return snap.units[uid].name if uid is not None else str(code)


def number_text(value: Any, *, plain: bool = False) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return str(value) if plain else format_decimal(value, 0)
    if isinstance(value, (float, Decimal)):
        return format_decimal(value, 2, grouping=not plain)
    return str(value)


IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")


def cell(value: Any, *, key: str = "", block: str | None = None) -> Cell:
    if key == "unit" and isinstance(value, str):
        return Cell(value=value, text=unit_label(value))
    if isinstance(value, bool):
        return Cell(value=value, text=str(_("Yes") if value else _("No")))
    if isinstance(value, str) and IDENTIFIER.fullmatch(value):
        # A stored choice ("department", "self"): its label, never the raw value.
        found = labels.known_value_label(value, block=block)
        return Cell(value=value, text=str(found) if found else labels.readable(value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        plain = key in PLAIN_NUMBERS
        decimals = not isinstance(value, int)
        return Cell(value, number_text(value, plain=plain), True, decimals, plain)
    if isinstance(value, list):
        return Cell(value=", ".join(map(str, value)), text=", ".join(map(str, value)))
    return Cell(value=value, text="" if value is None else str(value))


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _counts_table(key: str, counts: dict[str, Any], *, block: str, parent: str | None) -> Table:
    names = labels.value_labels(counts.keys(), block=block)
    table = Table(
        title=str(labels.figure_label(key, parent=parent, block=block)),
        headers=[pgettext("report table", "Category"), pgettext("report table", "Number")],
    )
    for value_key, value in counts.items():
        table.rows.append([Cell(value_key, str(names[str(value_key)])), cell(value, key=value_key)])
    return table


def _list_table(key: str, items: list[Any], *, block: str) -> Table:
    title = str(labels.figure_label(key, block=block))
    columns: list[tuple[str, str | None]] = []  # (key, nested value key or None)
    nested_keys: dict[str, list[str]] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        for k, v in item.items():
            if isinstance(v, dict):
                known = nested_keys.setdefault(k, [])
                for nk in v:
                    if nk not in known:
                        known.append(nk)
                        columns.append((k, nk))
            elif (k, None) not in columns:
                columns.append((k, None))
    headers: list[str] = []
    for k, nk in columns:
        if nk is None:
            headers.append(str(labels.figure_label(k, parent=key, block=block)))
        else:
            # Counted by a choice (by_kind: "planned"): its label; keyed by data (criteria by
            # their codes): the object's label and the key.
            name = labels.known_value_label(nk, block=block)
            headers.append(
                str(name)
                if name is not None
                else f"{labels.figure_label(k, parent=key, block=block)} {nk}"
            )
    table = Table(title=title, headers=headers)
    for item in items:
        if not isinstance(item, dict):
            table.rows.append([cell(item, block=block)])
            continue
        row = []
        for k, nk in columns:
            value = item.get(k) if nk is None else (item.get(k) or {}).get(nk)
            row.append(cell(value, key=k if nk is None else nk, block=block))
        table.rows.append(row)
    return table


def _tables(
    obj: dict[str, Any], *, block: str, title: str, parent: str | None = None
) -> list[Table]:
    tables: list[Table] = []
    main = Table(title=title, headers=[_("Figure"), pgettext("report table", "Number")])
    for key, value in obj.items():
        if _is_scalar(value):
            label = str(labels.figure_label(key, parent=parent, block=block))
            main.rows.append([Cell(key, label), cell(value, key=key, block=block)])
    if main.rows:
        tables.append(main)
    for key, value in obj.items():
        if isinstance(value, dict):
            # `recommendations` holds figures (total, done, overdue); `by_kind` holds the
            # values records are counted by.
            if all(_is_scalar(v) for v in value.values()) and not all(
                (key, k) in labels.FIGURES for k in value
            ):
                tables.append(_counts_table(key, value, block=block, parent=parent))
            else:
                title = str(labels.figure_label(key, parent=parent, block=block))
                tables.extend(_tables(value, block=block, title=title, parent=key))
        elif isinstance(value, list):
            tables.append(_list_table(key, value, block=block))
    return tables


def block_views(data: dict[str, Any]) -> list[BlockView]:
    """Every block of `data` (report.md JSON), in the report's order."""
    views = []
    for key, value in data.items():
        if key in HEADER_KEYS or not isinstance(value, dict):
            continue
        title = str(labels.block_title(key))
        views.append(BlockView(key=key, title=title, tables=_tables(value, block=key, title="")))
    return views
