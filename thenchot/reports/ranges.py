"""The ranges a report covers and how a report names them.

The page offers a month, a quarter, the first six or nine months, a year or any dates
(`ReportRange`); the phrase naming a range ("9 tháng đầu năm 2023", "quý III năm 2023") is read
from the dates alone (`range_phrase`), so the command line, the monthly reports and the page
say the same thing for the same dates. Official dates follow Decree 30/2020/ND-CP (annex I):
"ngày 05 tháng 02 năm 2020" — a day below 10 and the months January and February take a
leading zero.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KINDS = ("month", "quarter", "half", "nine_months", "year", "custom")
KIND_LABELS = {
    "month": gettext_lazy("Month"),
    "quarter": gettext_lazy("Quarter"),
    "half": gettext_lazy("First six months"),
    "nine_months": gettext_lazy("First nine months"),
    "year": gettext_lazy("Year"),
    "custom": gettext_lazy("Dates of my choice"),
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class RangeError(ValueError):
    """A range that cannot be read; the message names the value."""


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class ReportRange:
    date_from: dt.date
    date_to: dt.date

    @classmethod
    def of(
        cls,
        kind: str,
        *,
        year: int,
        month: int = 1,
        quarter: int = 1,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> ReportRange:
        if kind == "month":
            if not 1 <= month <= 12:
                raise RangeError(_("There is no month %(value)s.") % {"value": month})
            return cls(dt.date(year, month, 1), month_end(year, month))
        if kind == "quarter":
            if not 1 <= quarter <= 4:
                raise RangeError(_("There is no quarter %(value)s.") % {"value": quarter})
            first = 3 * quarter - 2
            return cls(dt.date(year, first, 1), month_end(year, first + 2))
        if kind == "half":
            return cls(dt.date(year, 1, 1), month_end(year, 6))
        if kind == "nine_months":
            return cls(dt.date(year, 1, 1), month_end(year, 9))
        if kind == "year":
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))
        if kind == "custom":
            if date_from is None or date_to is None:
                raise RangeError(_("Give both dates of the range."))
            if date_to < date_from:
                raise RangeError(
                    _("'To' (%(to)s) cannot be before 'from' (%(from)s).")
                    % {"to": date_to.strftime("%d/%m/%Y"), "from": date_from.strftime("%d/%m/%Y")}
                )
            return cls(date_from, date_to)
        raise RangeError(_("Unknown kind of range '%(value)s'.") % {"value": kind})


def official_date(day: dt.date) -> str:
    """ "ngày 30 tháng 9 năm 2023" (Decree 30/2020/ND-CP: "ngày 05 tháng 02 năm 2020")."""
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("day %(day)s month %(month)s year %(year)s") % {
        "day": dd,
        "month": mm,
        "year": day.year,
    }


def short_date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def range_phrase(date_from: dt.date, date_to: dt.date) -> str:
    """How a report names its range, in the active language: "tháng 9 năm 2023",
    "quý III năm 2023", "6 tháng đầu năm 2023", "9 tháng đầu năm 2023", "năm 2023",
    "từ ngày 05/01/2023 đến ngày 15/03/2023"."""
    year = date_to.year
    whole_months = (
        date_from.day == 1
        and date_to == month_end(date_to.year, date_to.month)
        and date_from.year == year
    )
    if whole_months:
        first, last = date_from.month, date_to.month
        if first == last:
            return _("month %(month)s of %(year)s") % {"month": last, "year": year}
        if first == 1 and last == 12:
            return _("the year %(year)s") % {"year": year}
        if last - first == 2 and first % 3 == 1:
            return _("quarter %(quarter)s of %(year)s") % {
                "quarter": ROMAN[last // 3],
                "year": year,
            }
        if first == 1:
            return _("the first %(months)s months of %(year)s") % {"months": last, "year": year}
        if first == 7 and last == 12:
            return _("the last six months of %(year)s") % {"year": year}
    return _("from %(from)s to %(to)s") % {
        "from": short_date(date_from),
        "to": short_date(date_to),
    }
