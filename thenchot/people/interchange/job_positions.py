"""The `job_positions` section of the interchange format."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import Change
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.people.interchange.common import BATCH, file_values
from thenchot.people.models import JobPosition

ROTATION_MIN, ROTATION_MAX = 24, 60  # months: two to five years (Decree 59/2019)


def _normal(name: str, value: Any) -> Any:
    return bool(value) if name == "rotation_subject" else value


@spec.section("job_positions", 20, gettext_lazy("Job positions"))
class JobPositionSection(Section):
    fields = (
        spec.code(gettext_lazy("Unique code of the position."), max_length=40),
        spec.text("name", gettext_lazy("Name of the job position."), required=True, max_length=255),
        spec.flag(
            "rotation_subject", gettext_lazy("Subject to periodic rotation (Decree 59/2019).")
        ),
        spec.whole("rotation_period_months", gettext_lazy("Rotation period in months, 24 to 60.")),
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
            stored = {n: getattr(job, n) for n in self._names} if job is not None else None
            values = file_values(row, self._names, stored, _normal)
            changed = job is None or any(getattr(job, n) != values[n] for n in self._names)
            if changed and not admin:
                ctx.error(row, "code", _("only a city-wide administrator can change job positions"))
            plans.append((row, job, values))
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        yield from engine.upsert_flat(
            JobPosition,
            (
                (job, {"code": row.data["code"]}, values)
                for row, job, values in ctx.plans.get(self.key, [])
            ),
            counts=ctx.counts.setdefault(self.key, engine.Counts()),
            batch_size=BATCH,
        )
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
