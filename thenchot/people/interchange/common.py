"""What the staff section's plan and apply share: the plan record and the text helpers."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from thenchot.core.collation import name_sort_key
from thenchot.core.interchange import Record, Row, Shape
from thenchot.core.text import fold
from thenchot.people.models import Staff
from thenchot.people.rules import covers
from thenchot.people.services import EDITABLE_FIELDS

BATCH = 2000


@functools.lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    return fold(text)


def search_text(code: str, full_name: str) -> str:
    """`staff_search_text`, fast for a whole file: names repeat (a city has far fewer distinct
    full names than people) and codes are usually ASCII, whose folding is lower-casing."""
    folded_code = " ".join(code.lower().split()) if code.isascii() else fold(code)
    return f"{_folded(full_name)} {folded_code}"[:300]


@functools.lru_cache(maxsize=65536)
def name_key(full_name: str) -> str:
    """`Staff.name_key` for a whole file, cached for the same reason as `search_text`."""
    return name_sort_key(full_name)


def _unusable_password() -> str:
    # What `make_password(None)` stores, without its per-call cost (200,000 accounts per file):
    # people set their password through the reset link.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


# Plain columns copied from the file to Staff: what the services let a page set, the job
# position aside (the file names it by code). "" stands for an empty text in the database.
SIMPLE = tuple(name for name in EDITABLE_FIELDS if name != "job_position")
TEXT_BLANK = {"position_title", "email"}
STAFF_COLUMNS = [f.attname for f in Staff._meta.concrete_fields]


def file_values(
    row: Row,
    names: Iterable[str],
    old: Mapping[str, Any] | None,
    normal: Callable[[str, Any], Any],
) -> dict[str, Any]:
    """A record's values after the import: the file's where the row gives the field, else the
    stored ones (a file may leave fields out), else a new record's empty value. `normal(name,
    value)` maps a file value (None included) to what the database stores."""
    data = row.data
    if type(data) is Record:  # read without a method call per name (a city: 2,000,000)
        at, items = data.shape.index, data.values_
        return {
            name: normal(name, items[at[name]])
            if name in at
            else (old[name] if old is not None else normal(name, None))
            for name in names
        }
    return {
        name: normal(name, data[name])
        if name in data
        else (old[name] if old is not None else normal(name, None))
        for name in names
    }


def staff_value(name: str, value: Any) -> Any:
    if name in TEXT_BLANK:
        return "" if value is None else value
    if name == "is_leader":
        return bool(value)
    return value


class Stint(NamedTuple):
    """An assignment or a headship as loaded for a plan (the `rules` read its dates)."""

    id: int
    unit_id: int
    valid_from: dt.date | None
    valid_to: dt.date | None


# A closing a plan decided: (id of the assignment or headship, its new end; None: deleted).
Closed = tuple[int, dt.date | None]


# The shape of a plan's `values` (`SIMPLE`), shared by every plan.
VALUES_SHAPE = Shape(SIMPLE)
RELEASED: Mapping[str, Any] = MappingProxyType({})


@dataclass(slots=True)
class StaffPlan:
    row: Row
    old: dict[str, Any] | None  # the database row (None: to create)
    # The SIMPLE fields after the import, in SIMPLE's order (`values` reads them by name); the
    # job position's code is `job`. A tuple, not a dict per plan: a city's 200,000 plans
    # were 448 bytes each, 272 of them the dict; 296 with the tuple (held until the writes).
    items: tuple[Any, ...]
    job: str | None = None  # the job position's code after the import
    # Lists a plan rarely has are empty tuples until it has them: a city's 200,000 plans held
    # a million empty lists.
    changed: Sequence[str] = ()
    unit: str | None = None  # unit code on as_of
    move: bool = False  # unit on as_of changes
    current_unit_id: int | None = None
    username: str | None = None  # account to create, rename or link
    user_action: str = ""  # "", "create", "link", "rename", "email"
    user_id: int | None = None
    head: bool | None = None  # desired is_head when it changes
    head_since: dt.date | None = None  # start of the headship to open (head is True)
    closings: Sequence[Closed] = ()  # assignments a move closes
    head_closings: Sequence[Closed] = ()  # headships it ends
    history: bool = False  # the file's `assignments` give the person's history
    # Terms whose end moves with the end of employment: (id, new end; None: running again).
    endings: Sequence[Closed] = ()
    head_endings: Sequence[Closed] = ()

    @property
    def values(self) -> Mapping[str, Any]:
        """The SIMPLE fields after the import, by name (empty once the plan is written)."""
        return Record(VALUES_SHAPE, self.items) if self.items else RELEASED

    @property
    def login(self) -> str:
        """The account name the plan writes (only plans with a `user_action` have one)."""
        if self.username is None:
            raise RuntimeError(f"staff {self.row.data.get('code')!r}: no account name planned")
        return self.username

    @property
    def unit_code(self) -> str:
        """The unit on `as_of` (only plans that create or move a person have one)."""
        if self.unit is None:
            raise RuntimeError(f"staff {self.row.data.get('code')!r}: no unit planned")
        return self.unit


def touched(plan: StaffPlan) -> bool:
    return (
        plan.old is None
        or bool(plan.changed)
        or plan.move
        or plan.head is not None
        or bool(plan.user_action)
        or bool(plan.endings)
        or bool(plan.head_endings)
    )


def unit_on(stints: list[Stint], on: dt.date) -> Stint | None:
    """The assignment covering `on` (the latest starting, should history overlap)."""
    covering = [s for s in stints if covers(s, on)]
    if not covering:
        return None
    return max(covering, key=lambda s: s.valid_from or dt.date.min)
