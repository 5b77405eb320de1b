"""What the unit page (org) shows of its people: the heads on the date and the staff count,
linking to the staff list filtered to the unit. Registered with `org.views.unit_page_parts`
in `PeopleConfig.ready()`: org sits below people and does not import it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from thenchot.accounts.scoping import Scope
from thenchot.org.models import Unit
from thenchot.people.filtersets import StaffFilterSet
from thenchot.people.selectors import heads_of, staff_queryset


def unit_page_part(scope: Scope, unit: Unit, on: dt.date) -> dict[str, Any]:
    staff_filter = StaffFilterSet(
        data={"unit": unit.code, "as_of": on.isoformat()}, queryset=staff_queryset(scope, on)
    )
    staff_query = {"unit": unit.code}
    if on != timezone.localdate():
        staff_query["as_of"] = on.isoformat()
    return {
        "heads": list(heads_of(unit.pk, on)),
        "staff_count": staff_filter.qs.count(),
        "staff_url": reverse("people:list") + "?" + urlencode(staff_query),
    }
