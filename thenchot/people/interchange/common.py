"""What the staff section's plan and apply share: the plan record and the text helpers."""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from thenchot.core.text import fold
from thenchot.core.interchange import (
    Row,
)
from thenchot.people.models import (
    Staff,
)

BATCH = 2000
ROTATION_MIN, ROTATION_MAX = 24, 60


@functools.lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    return fold(text)


def search_text(code: str, full_name: str) -> str:
    """`staff_search_text`, fast for a whole file: names repeat (a city has far fewer distinct
    full names than people) and codes are usually ASCII, whose folding is lower-casing."""
    folded_code = " ".join(code.lower().split()) if code.isascii() else fold(code)
    return f"{_folded(full_name)} {folded_code}"[:300]


def _unusable_password() -> str:
    # What `make_password(None)` stores, without its per-call cost (200,000 accounts per file):
    # people set their password through the reset link.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


# Plain columns copied from the file to Staff; "" stands for an empty text in the database.
SIMPLE = (
    "full_name",
    "category",
    "position_title",
    "is_leader",
    "in_position_since",
    "joined_on",
    "date_of_birth",
    "retirement_on",
    "email",
)
TEXT_BLANK = {"position_title", "email"}
STAFF_COLUMNS = [f.attname for f in Staff._meta.concrete_fields]


@dataclass
class StaffPlan:
    row: Row
    old: dict[str, Any] | None  # the database row (None: to create)
    values: dict[str, Any]  # SIMPLE fields + job_position code, after the import
    changed: list[str] = field(default_factory=list)
    unit: str | None = None  # unit code on as_of
    move: bool = False  # unit on as_of changes
    current_unit_id: int | None = None
    username: str | None = None  # account to create, rename or link
    user_action: str = ""  # "", "create", "link", "rename", "email"
    user_id: int | None = None
    head: bool | None = None  # desired is_head when it changes


def touched(plan: StaffPlan) -> bool:
    return (
        plan.old is None
        or bool(plan.changed)
        or plan.move
        or plan.head is not None
        or bool(plan.user_action)
    )


def _unit_on(
    assignments: list[tuple[int, dt.date | None, dt.date | None]], on: dt.date
) -> tuple[int, dt.date | None, dt.date | None] | None:
    covering = [
        a for a in assignments if (a[1] is None or a[1] <= on) and (a[2] is None or on <= a[2])
    ]
    if not covering:
        return None
    return max(covering, key=lambda a: a[1] or dt.date.min)
