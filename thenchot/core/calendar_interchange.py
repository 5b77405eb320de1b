"""The `holidays` section of the interchange format (shared/spec/interchange.md): `date*`,
`name*`, `working`; keyed by date. A date given here overrides the computed working-day
calendar for that day. Registered by core itself: the calendar is core's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core.auditing import Change
from thenchot.core.calendar import FIRST_YEAR, LAST_YEAR
from thenchot.core.calendar_table import changed, refresh
from thenchot.core.interchange import (
    BOOL,
    DATE,
    STR,
    Counts,
    ExportRequest,
    Field,
    ImportContext,
    Row,
    Section,
    in_batches,
    iso,
    upsert_flat,
)
from thenchot.core.models import Holiday
from thenchot.core.registry import interchange_sections

BATCH = 2000
NAME_LENGTH = 200


class HolidaySection(Section):
    key = "holidays"
    key_field = "date"
    order = 5  # refers to nothing; the processes' cases are counted on it
    title = gettext_lazy("Holidays and working days")
    fields = (
        Field(
            "date",
            DATE,
            required=True,
            help=gettext_lazy("The day (YYYY-MM-DD); one row per date."),
        ),
        Field(
            "name",
            STR,
            required=True,
            max_length=NAME_LENGTH,
            help=gettext_lazy("What the day is, e.g. 'Nghỉ bù Quốc khánh' or 'Làm bù'."),
        ),
        Field(
            "working",
            BOOL,
            help=gettext_lazy(
                "true for a compensatory working day (a Saturday worked); false or empty for a "
                "day off."
            ),
        ),
    )

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        scope = ctx.scope
        admin = scope is None or (scope.city_wide and getattr(scope, "can_write_org", False))
        rows = [r for r in rows if r.get("date") is not None]
        existing = {
            h.date: h
            for h in in_batches(
                [r.data["date"] for r in rows], lambda b: Holiday.objects.filter(date__in=b)
            )
        }
        plans: list[tuple[Row, Holiday | None, dict[str, Any]]] = []
        for row in rows:
            day: dt.date = row.data["date"]
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                ctx.error(
                    row,
                    "date",
                    _("'%(value)s' is outside the calendar's years %(first)s–%(last)s")
                    % {"value": day.isoformat(), "first": FIRST_YEAR, "last": LAST_YEAR},
                )
                continue
            values = {"name": row.get("name", ""), "working": bool(row.get("working", False))}
            old = existing.get(day)
            touched = old is None or any(getattr(old, k) != v for k, v in values.items())
            if touched and not admin:
                ctx.error(
                    row,
                    "date",
                    _("only a city-wide administrator can change the table of holidays"),
                )
            plans.append((row, old, values))
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        plans = ctx.plans.get(self.key, [])
        # The dates whose working status the file sets or changes: what due dates depend on.
        moved = [
            row.data["date"]
            for row, old, values in plans
            if old is None or old.working != values["working"]
        ]
        renamed = any(old is not None and old.name != values["name"] for _r, old, values in plans)
        yield from upsert_flat(
            Holiday,
            ((old, {"date": row.data["date"]}, values) for row, old, values in plans),
            counts=ctx.counts.setdefault(self.key, Counts()),
            batch_size=BATCH,
        )
        if moved:
            changed(moved)
        elif renamed:
            refresh()  # names only: nothing moves, but the calendar's trace shows names

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        if request.scope is not None and request.scope.user_id is None:
            return []
        qs = Holiday.objects.order_by("date")
        if request.date_from:
            qs = qs.filter(date__gte=request.date_from)
        if request.date_to:
            qs = qs.filter(date__lte=request.date_to)
        return [
            {"date": iso(day), "name": name, "working": working}
            for day, name, working in qs.values_list("date", "name", "working")
        ]


interchange_sections.register(HolidaySection.key, HolidaySection())
