"""The `rotations` block of the statistical report (shared/spec/report.md).

Rotations effective within [from, to]; one counts when the unit the person left (`from_unit`,
their unit the day before the move) lay in the subtree of the report's unit on that day. Cadre
rotations of leaders are outside the periodic-rotation figures (interchange.md): `total` and
`by_kind` count the three periodic kinds, `cadre_rotation` the leaders' moves beside them. One grouped query, then
membership tested in Python, one subtree per distinct date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core.reporting import ReportBlock
from thenchot.discipline.statistics import SubtreeOn
from thenchot.rotation.choices import PERIODIC_KINDS, RotationKind
from thenchot.rotation.models import Rotation


def compute_block(
    *, unit: Any, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> dict[str, Any]:
    rows = (
        Rotation.objects.filter(effective_on__gte=date_from, effective_on__lte=min(date_to, as_of))
        .values_list("kind", "from_unit_id", "effective_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    inside = SubtreeOn(unit.pk)
    counts = dict.fromkeys(RotationKind.values, 0)
    day = dt.timedelta(days=1)
    for kind, from_unit, effective_on, n in rows:
        if inside.contains(from_unit, effective_on - day):
            counts[kind] = counts.get(kind, 0) + n
    by_kind = {str(k): counts[k] for k in PERIODIC_KINDS}
    return {
        "total": sum(by_kind.values()),
        "by_kind": by_kind,
        "cadre_rotation": counts[RotationKind.CADRE_ROTATION],
    }


def has_data() -> bool:
    return Rotation.objects.exists()


def narrative(block: dict[str, Any]) -> str:
    by_kind = block["by_kind"]
    return _(
        "%(periodic)d periodic rotations: %(divisions)d between divisions in the same "
        "specialty, %(fields)d between fields inside a division, %(agencies)d between agencies."
    ) % {
        "periodic": block["total"],
        "divisions": by_kind.get(RotationKind.BETWEEN_DIVISIONS, 0),
        "fields": by_kind.get(RotationKind.BETWEEN_FIELDS, 0),
        "agencies": by_kind.get(RotationKind.BETWEEN_AGENCIES, 0),
    }


rotations_block = ReportBlock(
    key="rotations",
    title=gettext_lazy("Periodic job rotation"),
    compute=compute_block,
    has_data=has_data,
    narrative=narrative,
)
