"""The rules every write to staff history follows, as pure functions over dated terms.

The pages and the API (`people.services`) and the interchange import
(`people.interchange.staff`) both call these, so each rule and its wording exist once: the
services raise the refusal, the import reports it at its row and column. Nothing here reads or
writes the database; callers load the terms (model instances or plain records) and write the
outcome, one record at a time or in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from thenchot.core.errors import DomainError

ONE_DAY = dt.timedelta(days=1)


class Dated(Protocol):
    """Anything valid over inclusive dates, open when None: a unit, an assignment, a headship."""

    @property
    def valid_from(self) -> dt.date | None: ...

    @property
    def valid_to(self) -> dt.date | None: ...


T = TypeVar("T", bound=Dated)


class Refused(DomainError):
    """A rule's refusal. `clause` is the wording the import prints after the place
    (`staff[3].unit: unit 'X' did not exist on ...`); pages and the API show it as a sentence
    beside `field`."""

    def __init__(self, clause: str, *, field: str, also: tuple[str, ...] = ()) -> None:
        sentence = capfirst(clause)
        # `also`: other inputs the refusal concerns, marked on a form beside `field` (either
        # may be the one to correct); the import names `field` alone, as its column.
        super().__init__(sentence, field_errors={f: [sentence] for f in (field, *also)})
        self.clause = clause
        self.field = field


def covers(term: Dated, on: dt.date) -> bool:
    return (term.valid_from is None or term.valid_from <= on) and (
        term.valid_to is None or on <= term.valid_to
    )


def unit_refusal(
    unit: Dated, *, code: str, on: dt.date, field: str = "unit", also: tuple[str, ...] = ()
) -> Refused | None:
    """Nobody joins, moves to or heads a unit on a day it does not exist: units carry validity
    dates and an ended unit takes no new records (rules.md, "Organisation history")."""
    if covers(unit, on):
        return None
    return Refused(
        _("unit '%(value)s' did not exist on %(date)s") % {"value": code, "date": on.isoformat()},
        field=field,
        also=also,
    )


def placement_refusals(
    unit: Dated, *, code: str, on: dt.date, joined_on: dt.date | None
) -> list[Refused]:
    """A person is placed in a unit that exists on the reference date (today on a page, the
    file's `as_of` in an import) and, for a new person whose joining day is given, on that day
    too (their first assignment starts then)."""
    refusals = [r for r in [unit_refusal(unit, code=code, on=on)] if r is not None]
    if joined_on is not None and joined_on != on:
        refusal = unit_refusal(unit, code=code, on=joined_on, field="joined_on", also=("unit",))
        if refusal is not None:
            refusals.append(refusal)
    return refusals


@dataclass(frozen=True)
class Closing(Generic[T]):
    """What happens to a running term when a successor starts (or the term stops) on a day."""

    term: T
    ends_on: dt.date | None  # None: deleted, the successor replacing it the day it began

    @property
    def deleted(self) -> bool:
        return self.ends_on is None


def _close(term: T, on: dt.date) -> Closing[T]:
    # A term that began on `on` itself leaves no day behind: it is replaced (a same-day
    # correction: a file or a transfer restating who was where that day), not ended.
    start = term.valid_from
    return Closing(term, None if start is not None and start >= on else on - ONE_DAY)


def _closings(terms: Iterable[T], *, on: dt.date, clause: str, field: str) -> list[Closing[T]]:
    """Close the terms still running on `on` for a successor starting that day; one that
    starts later cannot be overtaken (history after the successor would be rewritten)."""
    out: list[Closing[T]] = []
    for term in terms:
        if term.valid_to is not None and term.valid_to < on:
            continue  # over before the successor starts
        if term.valid_from is not None and term.valid_from > on:
            raise Refused(clause % {"date": term.valid_from.isoformat()}, field=field)
        out.append(_close(term, on))
    return out


def transfer_closings(
    assignments: Iterable[T], *, on: dt.date, field: str = "unit"
) -> list[Closing[T]]:
    """A transfer from `on` closes the person's assignments still running on that day: the
    history is kept, and the person is in one unit at a time."""
    return _closings(
        assignments,
        on=on,
        clause=_("the current assignment starts on %(date)s; a transfer must come after it"),
        field=field,
    )


def head_closings(
    heads: Iterable[T], *, on: dt.date, field: str = "valid_from"
) -> list[Closing[T]]:
    """A new head from `on` ends the term of the unit's head still running on that day: a
    unit has one head on a date ("the head of X on D", rules.md "Organisation history").
    Callers pass role `head` only: deputies are not concerned."""
    return _closings(
        heads,
        on=on,
        clause=_("the current head's term starts on %(date)s; a new head must come after it"),
        field=field,
    )


def end_closings(terms: Iterable[T], *, on: dt.date) -> list[Closing[T]]:
    """The terms covering `on` stop that day (someone is no longer head): closed as for a
    successor; terms that do not cover `on` are left as they are."""
    return [_close(term, on) for term in terms if covers(term, on)]
