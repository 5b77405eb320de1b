"""The `quota_overrides` section of the interchange format (rules.md "Settled points" 14), keyed
by (`agency`, `period`, `group`): a different quota for one agency's period, by a recorded
decision. Each row is checked as `services.quota_override_record` checks it
(`services.override_problems`: refused without the decision's number and date, a ratio that is
not a percentage); a row that would change the quota of a closed period is refused. The close
uses these records instead of the pack's default, and its trace names the decision.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.appraisal import rules, services
from thenchot.appraisal.choices import PeriodStatus, QuotaGroupChoice, QuotaOverrideBase
from thenchot.appraisal.models import EvaluationPeriod, QuotaOverride
from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import Change
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.org.interchange import selected_unit_ids, unit_catalogue, unit_ids
from thenchot.org.tree import tree

VALUES = ("ratio", "base", "decision_number", "decided_on", "reason")


@spec.section("quota_overrides", 72, gettext_lazy("Quota overrides"))
class QuotaOverrideSection(Section):
    key_field = "_key"  # composite (agency, period, group): checked in `plan`
    fields = (
        spec.unit(
            "agency",
            gettext_lazy("Code of the agency whose quota the decision changes."),
            required=True,
        ),
        spec.text("period", gettext_lazy("YYYY-MM, YYYY-Qn or YYYY."), required=True, max_length=7),
        spec.enum(
            "group",
            QuotaGroupChoice.values,
            gettext_lazy("all (default), leaders or non_leaders."),
        ),
        spec.number("ratio", gettext_lazy("The quota, in percent (40 for 40%)."), required=True),
        spec.enum(
            "base",
            QuotaOverrideBase.values,
            gettext_lazy(
                "What the ratio is a share of: rated, headcount or good_or_better; "
                "empty: the rule pack's."
            ),
        ),
        spec.text(
            "decision_number",
            gettext_lazy("The decision's number, named in the close's reasons."),
            required=True,
            max_length=120,
        ),
        spec.date("decided_on", gettext_lazy("The decision's date."), required=True),
        spec.text("reason", gettext_lazy("Why (free text).")),
    )

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        units = unit_catalogue(ctx)
        seen: dict[tuple[str, str, str], Row] = {}
        keyed: list[tuple[Row, str, str, str]] = []
        for row in rows:
            agency, text = row.get("agency"), row.get("period")
            group = row.get("group") or QuotaGroupChoice.ALL
            problems = services.override_problems(
                period=text,
                group=group,
                ratio=row.get("ratio"),
                base=row.get("base"),
                decision_number=row.get("decision_number"),
                decided_on=row.get("decided_on"),
            )
            for name, message in problems:
                if row.get(name) is not None or not self.field_map()[name].required:
                    ctx.error(row, name, message)  # a missing required value: reported once
            if agency is None or text is None or problems:
                continue
            if agency not in units:
                ctx.error(row, "agency", _("unknown unit code '%(value)s'") % {"value": agency})
                continue
            period = str(rules.Period.parse(text))
            first = seen.get((agency, period, group))
            if first is not None:
                ctx.error(
                    row,
                    "period",
                    _(
                        "duplicate quota override of '%(agency)s' for '%(value)s' (first at %(first)s)"
                    )
                    % {"agency": agency, "value": text, "first": first.at()},
                )
                continue
            seen[(agency, period, group)] = row
            unit_id = units[agency].id
            if ctx.scope is not None and (unit_id is None or not ctx.scope.can_write_unit(unit_id)):
                ctx.error(
                    row,
                    "agency",
                    _("you may not change the quota of '%(value)s'") % {"value": agency},
                )
                continue
            keyed.append((row, agency, period, group))
        ids = [units[a].id for _r, a, _p, _g in keyed if units[a].id is not None]
        existing = {
            (o.agency_id, o.period_code, o.group): o
            for o in QuotaOverride.objects.filter(agency_id__in=sorted(set(ids)))
        }
        closed = set(
            EvaluationPeriod.objects.filter(
                agency_id__in=sorted(set(ids)), status=PeriodStatus.CLOSED
            ).values_list("agency_id", "code")
        )
        plans: list[tuple[Row, QuotaOverride | None, str, str, str, dict[str, Any]]] = []
        for row, agency, period, group in keyed:
            unit_id = units[agency].id
            old = existing.get((unit_id, period, group)) if unit_id is not None else None
            values = {
                "ratio": row.get("ratio"),
                "base": row.get("base") or "",
                "decision_number": row.get("decision_number").strip(),
                "decided_on": row.get("decided_on"),
                "reason": row.get("reason") or "",
            }
            changes = old is None or any(getattr(old, k) != v for k, v in values.items())
            if changes and (unit_id, period) in closed:
                ctx.error(
                    row,
                    "period",
                    _("the period %(value)s of '%(agency)s' is closed: its quota cannot change")
                    % {"value": period, "agency": agency},
                )
                continue
            plans.append((row, old, agency, period, group, values))
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        ids = unit_ids(ctx)
        yield from engine.upsert_flat(
            QuotaOverride,
            (
                (old, {"agency_id": ids[agency], "period_code": period, "group": group}, values)
                for _row, old, agency, period, group, values in ctx.plans.get(self.key, [])
            ),
            counts=ctx.counts.setdefault(self.key, engine.Counts()),
        )

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = QuotaOverride.objects.select_related("agency")
        if request.scope is not None or request.unit_code or request.params.get("unit"):
            qs = qs.filter(agency_id__in=sorted(selected_unit_ids(tree(), request)))
        out = []
        for o in qs:
            period = rules.Period.parse(o.period_code)
            if request.date_from and period.end < request.date_from:
                continue
            if request.date_to and period.start > request.date_to:
                continue
            out.append(
                {
                    "agency": o.agency.code,
                    "period": o.period_code,
                    "group": o.group,
                    "ratio": engine.number_out(o.ratio),
                    "base": o.base or None,
                    "decision_number": o.decision_number,
                    "decided_on": engine.iso(o.decided_on),
                    "reason": o.reason or None,
                }
            )
        out.sort(key=lambda r: (r["agency"], r["period"], r["group"]))
        return out


spec.register(QuotaOverrideSection())
