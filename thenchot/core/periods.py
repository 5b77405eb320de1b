"""Period codes (`2026-12`, `2026-Q4`, `2026`, as the interchange format writes them) shown
in words: "Tháng 12/2026" / "December 2026" (issue 11). Codes stay in URLs, files and the API."""

from __future__ import annotations

import re

from django.utils.dates import MONTHS
from django.utils.translation import pgettext

_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")


def period_label(code: object) -> str:
    """The period in the active language; anything that is not a period code as given."""
    text = str(code) if code is not None else ""
    match = _CODE.match(text)
    if match is None:
        return text
    year = match["year"]
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            return text
        # Vietnamese writes "Tháng 12/2026", English "December 2026": the catalogue orders it.
        return pgettext("period", "%(month)s %(year)s") % {"month": MONTHS[month], "year": year}
    if match["quarter"]:
        return pgettext("period", "Quarter %(quarter)s %(year)s") % {
            "quarter": match["quarter"],
            "year": year,
        }
    return pgettext("period", "Year %(year)s") % {"year": year}
