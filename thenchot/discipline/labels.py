"""The legal bases the pure rules (`rules.py`, no Django) name, in the reader's language.

The rules keep plain English identifiers so they stay free of Django and testable as data; every
page, message and panel shows them through `basis_label`, so a Vietnamese page never shows
"Decree 172/2025 (salary step-down abolished)" (issue 11).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thenchot.discipline import rules

_OLD = "Decree 112/2020 (amended by Decree 71/2023)"
_NEW = "Decree 172/2025"

BASIS_LABELS: dict[str, Promise] = {
    _OLD + ", art. 7": _("Decree 112/2020 (amended by Decree 71/2023), art. 7"),
    _OLD + ", art. 8": _("Decree 112/2020 (amended by Decree 71/2023), art. 8"),
    _OLD + ", art. 15": _("Decree 112/2020 (amended by Decree 71/2023), art. 15"),
    _OLD + ", art. 15 (Decree 172/2025 does not cover viên chức)": _(
        "Decree 112/2020 (amended by Decree 71/2023), art. 15 (Decree 172/2025 does not cover"
        " public employees)"
    ),
    _NEW: _("Decree 172/2025"),
    _NEW + " (salary step-down abolished)": _("Decree 172/2025 (salary step-down abolished)"),
    _NEW + " (demotion abolished)": _("Decree 172/2025 (demotion abolished)"),
    "2025 regime": _("rules in force from 1 July 2025"),
    "Law 52/2019": _("Law 52/2019"),
    "Law 52/2019, art. 82": _("Law 52/2019, art. 82"),
    "Law 52/2019, art. 82 (default after 2025-07-01)": _(
        "Law 52/2019, art. 82 (applied by default after 1 July 2025)"
    ),
    "TT 08/2013/TT-BNV": _("Circular 08/2013/TT-BNV"),
    rules.REPEAT_BASIS: _("Decree 172/2025 (a new violation while a decision is running)"),
}


def basis_label(basis: str) -> str:
    """The basis in the active language; an unknown one as written (a rule added without its
    label still says something, and the catalogue test flags it)."""
    return str(BASIS_LABELS.get(basis, basis))
