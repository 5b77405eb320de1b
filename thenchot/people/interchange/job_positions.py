"""The `job_positions` section of the interchange format."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core.auditing import CREATE, UPDATE, Change, snapshot
from thenchot.core.interchange import (
    BOOL,
    INT,
    STR,
    Counts,
    ExportRequest,
    Field,
    ImportContext,
    Row,
    Section,
)
from thenchot.people.models import (
    JobPosition,
)

BATCH = 2000
ROTATION_MIN, ROTATION_MAX = 24, 60


class JobPositionSection(Section):
    key = "job_positions"
    order = 20
    title = gettext_lazy("Job positions")
    fields = (
        Field(
            "code",
            STR,
            required=True,
            max_length=40,
            help=gettext_lazy("Unique code of the position."),
        ),
        Field(
            "name",
            STR,
            required=True,
            max_length=255,
            help=gettext_lazy("Name of the job position."),
        ),
        Field(
            "rotation_subject",
            BOOL,
            help=gettext_lazy("Subject to periodic rotation (Decree 59/2019)."),
        ),
        Field(
            "rotation_period_months",
            INT,
            help=gettext_lazy("Rotation period in months, 24 to 60."),
        ),
    )
    _names = ("name", "rotation_subject", "rotation_period_months")

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        existing = {j.code: j for j in JobPosition.objects.all()}
        scope = ctx.scope
        admin = scope is None or (scope.city_wide and scope.can_write_org)
        plans: list[tuple[Row, JobPosition | None, dict[str, Any]]] = []
        for row in rows:
            code = row.get("code")
            if code is None:
                continue
            period = row.get("rotation_period_months")
            if period is not None and not ROTATION_MIN <= period <= ROTATION_MAX:
                ctx.error(
                    row,
                    "rotation_period_months",
                    _("the rotation period must be between 24 and 60 months, got '%(value)s'")
                    % {"value": period},
                )
            job = existing.get(code)
            values: dict[str, Any] = {}
            for name in self._names:
                if row.has(name):
                    value = row.data[name]
                    values[name] = bool(value) if name == "rotation_subject" else value
                elif job is not None:
                    values[name] = getattr(job, name)
                else:
                    values[name] = False if name == "rotation_subject" else None
            changed = job is None or any(getattr(job, n) != values[n] for n in self._names)
            if changed and not admin:
                ctx.error(row, "code", _("only a city-wide administrator can change job positions"))
            plans.append((row, job, values))
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        counts = ctx.counts.setdefault(self.key, Counts())
        now = timezone.now()
        creates: list[JobPosition] = []
        updates: list[tuple[JobPosition, dict[str, Any]]] = []
        for row, job, values in ctx.plans.get(self.key, []):
            if job is None:
                creates.append(JobPosition(code=row.data["code"], **values))
                counts.created += 1
            elif any(getattr(job, n) != values[n] for n in self._names):
                before = snapshot(job)
                for name, value in values.items():
                    setattr(job, name, value)
                job.version += 1
                job.updated_at = now
                updates.append((job, before))
                counts.updated += 1
            else:
                counts.unchanged += 1
        JobPosition.objects.bulk_create(creates, batch_size=BATCH)
        for job in creates:
            yield Change(job, CREATE, None, snapshot(job))
        if updates:
            JobPosition.objects.bulk_update(
                [j for j, _b in updates], [*self._names, "version", "updated_at"], batch_size=BATCH
            )
            for job, before in updates:
                yield Change(job, UPDATE, before, snapshot(job))
        ctx.shared["job_positions.ids"] = dict(JobPosition.objects.values_list("code", "id"))

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        if request.scope is not None and request.scope.user_id is None:
            return []
        return [
            {
                "code": code,
                "name": name,
                "rotation_subject": subject,
                "rotation_period_months": period,
            }
            for code, name, subject, period in JobPosition.objects.order_by("code").values_list(
                "code", "name", "rotation_subject", "rotation_period_months"
            )
        ]
