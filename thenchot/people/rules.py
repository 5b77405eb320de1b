"""The rules every write to staff history follows, as pure functions over dated terms.

The pages and the API (`people.services`) and the interchange import
(`people.interchange.staff`) both call these, so each rule and its wording exist once: the
services raise the refusal, the import reports it at its row and column. Nothing here reads or
writes the database; callers load the terms (model instances or plain records) and write the
outcome, one record at a time or in bulk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
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


def reference_day(on: dt.date, left_on: dt.date | None) -> dt.date:
    """The day a person's unit is the one on record: `on` (today on a page, the file's
    `as_of` in an import), or their last day of employment when they left before it."""
    return on if left_on is None or left_on >= on else left_on


def employment_refusal(joined_on: dt.date | None, left_on: dt.date | None) -> Refused | None:
    if joined_on is None or left_on is None or left_on >= joined_on:
        return None
    return Refused(
        _("'%(value)s' is before the joining day %(date)s")
        % {"value": left_on.isoformat(), "date": joined_on.isoformat()},
        field="left_on",
        also=("joined_on",),
    )


def placement_refusals(
    unit: Dated,
    *,
    code: str,
    on: dt.date,
    joined_on: dt.date | None,
    left_on: dt.date | None = None,
) -> list[Refused]:
    """A person is placed in a unit that exists on the reference date (`reference_day`) and,
    for a new person whose joining day is given, on that day too (their first assignment
    starts then); nobody leaves before joining."""
    on = reference_day(on, left_on)
    refusals = [
        r
        for r in [employment_refusal(joined_on, left_on), unit_refusal(unit, code=code, on=on)]
        if r is not None
    ]
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


@dataclass(frozen=True)
class Ending(Generic[T]):
    """A term's new last day when the end of employment moves (None: running again)."""

    term: T
    ends_on: dt.date | None


def leaving_ends(
    terms: Iterable[T],
    *,
    left_on: dt.date | None,
    previous: dt.date | None = None,
    field: str = "left_on",
) -> list[Ending[T]]:
    """Nobody works past their last day: the assignments and headships still running on
    `left_on` end that day, and one that would start after it is refused. A leaving day taken
    back or moved (`previous`) first lets the terms it had ended run again."""
    out: list[Ending[T]] = []
    for term in terms:
        end = term.valid_to
        if previous is not None and end == previous:
            end = None
        if left_on is not None:
            if term.valid_from is not None and term.valid_from > left_on:
                raise Refused(
                    _("an assignment starts on %(date)s, after the last day of employment")
                    % {"date": term.valid_from.isoformat()},
                    field=field,
                )
            if end is None or end > left_on:
                end = left_on
        if end != term.valid_to:
            out.append(Ending(term, end))
    return out


def history_refusals(
    terms: Sequence[Dated], *, joined_on: dt.date | None, left_on: dt.date | None
) -> list[tuple[int, Refused]]:
    """A person's history as a file gives it: one unit at a time, no day left out between the
    first assignment and the last, the first starting on the joining day and the last ending
    on the last day of employment when these are known. `terms` are in date order; the
    refusals name the index of the term concerned."""
    out: list[tuple[int, Refused]] = []

    def refuse(index: int, clause: str, field: str) -> None:
        out.append((index, Refused(clause, field=field)))

    for index, term in enumerate(terms):
        start, end = term.valid_from, term.valid_to
        if start is not None and end is not None and end < start:
            refuse(
                index,
                _("'%(value)s' is before the first day %(date)s")
                % {"value": end.isoformat(), "date": start.isoformat()},
                "to",
            )
        if index == 0:
            if joined_on is not None and start != joined_on:
                refuse(
                    index,
                    _("the first assignment must start on the joining day %(date)s")
                    % {"date": joined_on.isoformat()},
                    "from",
                )
            continue
        before = terms[index - 1].valid_to
        if start is None:
            refuse(index, _("only the first assignment may start on an unknown day"), "from")
        elif before is None or before >= start:
            refuse(
                index,
                _("overlaps the assignment from %(date)s")
                % {"date": _day(terms[index - 1].valid_from)},
                "from",
            )
        elif before + ONE_DAY < start:
            refuse(
                index,
                _("leaves a gap after the assignment ending on %(date)s")
                % {"date": before.isoformat()},
                "from",
            )
    if terms and left_on is not None and terms[-1].valid_to != left_on:
        refuse(
            len(terms) - 1,
            _("the last assignment must end on the last day of employment %(date)s")
            % {"date": left_on.isoformat()},
            "to",
        )
    return out


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "…"
