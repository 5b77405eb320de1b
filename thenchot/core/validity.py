"""Validity dates, the way every dated record of the project reads them: both ends inclusive,
`None` open (a unit, a parent link, a headship, an assignment). Pure: no Django."""

from __future__ import annotations

import datetime as dt


def within(on: dt.date, valid_from: dt.date | None, valid_to: dt.date | None) -> bool:
    """Is `on` inside [valid_from, valid_to]?"""
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


class Validity:
    """Mixin for a (data)class with `valid_from` and `valid_to`: `valid_on(day)`."""

    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, on: dt.date) -> bool:
        return within(on, self.valid_from, self.valid_to)
