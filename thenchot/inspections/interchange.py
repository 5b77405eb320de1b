"""The `inspections` section of the interchange format (`shared/spec/interchange.md`).

Fields: `code*`, `kind*`, `ordered_by` (document code), `conducted_by*`, `target_unit*`,
`started_on*`, `ended_on`, `topics` (codes), `findings` (list of `text*`, `severity`) and
`recommendations` (list of `code*`, `text*`, `responsible_unit*`, `due_on*`, `done_on`).
Findings belong to their inspection and are replaced with it; recommendations carry their own
codes (unique in the whole file and database) and are upserted by code, those the file no
longer lists for the inspection being removed. A field the file leaves out is left as it is.

History stands as given (interchange.md): a verification may come without `ordered_by`. What
is never accepted, in a file as in the application: an end before the start, a recommendation
due before its inspection started, unknown codes.

Nested lists are carried by the engine (`engine.NESTED`): a JSON list of objects, or an XLSX
sheet named like the field (`findings`, `recommendations`) with the parent's code in its first
column `inspection`. The engine parses every item (types, required fields, unknown fields) and
gives each its place (`inspections[2].findings[0].text`, `sheet findings, row 5, column text`);
this module checks what needs the database and the rest of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import CREATE, DELETE, UPDATE, Change
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.directives.models import SourceDocument
from thenchot.inspections.choices import InspectionKind, Severity, Topic
from thenchot.inspections.models import INSPECTION_CODE, Finding, Inspection, Recommendation
from thenchot.inspections.selectors import inspection_read_q
from thenchot.org.interchange import unit_catalogue, unit_ids
from thenchot.org.selectors import in_exported_unit

PARENT_COLUMN = "inspection"

FINDING_FIELDS = (
    spec.text("text", gettext_lazy("What the inspectors found."), required=True),
    spec.enum("severity", Severity.values, gettext_lazy("minor, moderate, serious")),
)
RECOMMENDATION_FIELDS = (
    spec.code(gettext_lazy("Unique recommendation code.")),
    spec.text("text", gettext_lazy("The recommendation."), required=True),
    spec.unit(
        "responsible_unit", gettext_lazy("Unit that remedies."), required=True, max_length=None
    ),
    spec.date("due_on", gettext_lazy("Due date, not before the start."), required=True),
    spec.date("done_on", gettext_lazy("Date the remediation was accepted as done.")),
)

_FLAT = (
    spec.code(gettext_lazy("Unique inspection code."), check=INSPECTION_CODE.error),
    spec.enum(
        "kind",
        InspectionKind.values,
        gettext_lazy(
            "planned, surprise (unannounced) or verification (ordered by a higher level)."
        ),
        required=True,
    ),
    spec.ref(
        "ordered_by",
        "documents",
        gettext_lazy("For a verification: code of the document that ordered it."),
        max_length=60,
    ),
    spec.unit(
        "conducted_by", gettext_lazy("Conducting unit code."), required=True, max_length=None
    ),
    spec.unit("target_unit", gettext_lazy("Target unit code."), required=True, max_length=None),
    spec.date("started_on", gettext_lazy("First day of the inspection."), required=True),
    spec.date("ended_on", gettext_lazy("Last day of the inspection.")),
    spec.refs(
        "topics",
        "",
        gettext_lazy(
            "Topic codes: discipline, work_results, administrative_procedures, "
            "complaints_denunciations, petitions."
        ),
    ),
)
FINDINGS = spec.nested(
    "findings", FINDING_FIELDS, PARENT_COLUMN, gettext_lazy("List of findings (text, severity).")
)
RECOMMENDATIONS = spec.nested(
    "recommendations",
    RECOMMENDATION_FIELDS,
    PARENT_COLUMN,
    gettext_lazy("List of recommendations (code, text, responsible_unit, due_on, done_on)."),
)
_NESTED_FIELDS: tuple[engine.Field, ...] = (FINDINGS, RECOMMENDATIONS)

FLAT_NAMES = (
    "kind",
    "ordered_by",
    "conducted_by",
    "target_unit",
    "started_on",
    "ended_on",
    "topics",
)


@dataclass
class Plan:
    row: Row
    existing: Inspection | None
    values: dict[str, Any]  # flat values after the import (codes for references)
    findings: list[dict[str, Any]] | None = None  # None: the file left them as they are
    recommendations: list[dict[str, Any]] | None = None
    changed: bool = False
    old_findings: list[tuple[str, str]] = field(default_factory=list)


@spec.section("inspections", 60, gettext_lazy("Inspections"))
class InspectionSection(Section):
    fields = _FLAT + _NESTED_FIELDS

    # -- import -----------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        units = unit_catalogue(ctx)
        documents = self._document_codes(ctx, rows)
        codes = [r.get("code") for r in rows if r.get("code")]
        existing = {
            i.code: i
            for i in engine.in_batches(
                codes,
                lambda batch: Inspection.objects.filter(code__in=batch).select_related(
                    "conducted_by", "target_unit", "ordered_by"
                ),
            )
        }
        old_findings = self._old_findings([i.pk for i in existing.values()])
        old_recs = self._old_recommendations([i.pk for i in existing.values()])
        findings_of = {r.index: engine.nested_rows(ctx, r, FINDINGS) for r in rows}
        recs_of = {r.index: engine.nested_rows(ctx, r, RECOMMENDATIONS) for r in rows}
        rec_owner = self._rec_owners(recs_of)
        seen_recs: dict[str, str] = {}
        plans: list[Plan] = []
        for row in rows:
            code = row.get("code")
            if code is None:
                continue
            inspection = existing.get(code)
            values = self._flat_values(row, inspection)
            self._check_refs(ctx, row, values, units, documents)
            started = values["started_on"]
            if values["ended_on"] is not None and started and values["ended_on"] < started:
                ctx.error(
                    row,
                    "ended_on",
                    _("'%(value)s' is before the start (%(start)s)")
                    % {"value": engine.iso(values["ended_on"]), "start": engine.iso(started)},
                )
            unknown = [t for t in values["topics"] if t not in Topic.values]
            for topic in unknown:
                ctx.error(
                    row,
                    "topics",
                    _("'%(value)s' is not one of: %(choices)s")
                    % {"value": topic, "choices": ", ".join(Topic.values)},
                )
            plan = Plan(row=row, existing=inspection, values=values)
            found = findings_of[row.index]
            if found is not None:
                plan.findings = [
                    {"text": f.get("text", ""), "severity": f.get("severity", "")} for f in found
                ]
            items = recs_of[row.index]
            if items is not None:
                plan.recommendations = self._plan_recs(
                    ctx, row, items, started, units, rec_owner, seen_recs
                )
            self._check_scope(ctx, row, values, units)
            plan.old_findings = old_findings.get(inspection.pk, []) if inspection else []
            plan.changed = self._differs(
                plan, old_recs.get(inspection.pk, {}) if inspection else {}
            )
            plans.append(plan)
        ctx.plans[self.key] = plans

    def _document_codes(self, ctx: ImportContext, rows: list[Row]) -> set[str]:

        wanted = {r.get("ordered_by") for r in rows if r.get("ordered_by")}
        known = set(
            engine.in_batches(
                sorted(wanted),
                lambda batch: SourceDocument.objects.filter(code__in=batch).values_list(
                    "code", flat=True
                ),
            )
        )
        for doc_row in ctx.rows.get("documents", []):
            if doc_row.get("code"):
                known.add(doc_row.get("code"))
        return known

    @staticmethod
    def _old_findings(ids: list[int]) -> dict[int, list[tuple[str, str]]]:
        out: dict[int, list[tuple[str, str]]] = {}
        rows = engine.in_batches(
            ids,
            lambda batch: (
                Finding.objects.filter(inspection_id__in=batch)
                .order_by("inspection_id", "position", "id")
                .values_list("inspection_id", "text", "severity")
            ),
        )
        for inspection_id, text, severity in rows:
            out.setdefault(inspection_id, []).append((text, severity))
        return out

    @staticmethod
    def _old_recommendations(ids: list[int]) -> dict[int, dict[str, tuple[Any, ...]]]:
        out: dict[int, dict[str, tuple[Any, ...]]] = {}
        rows = engine.in_batches(
            ids,
            lambda batch: Recommendation.objects.filter(inspection_id__in=batch).values_list(
                "inspection_id", "code", "text", "responsible_unit__code", "due_on", "done_on"
            ),
        )
        for inspection_id, code, text, unit, due, done in rows:
            out.setdefault(inspection_id, {})[code] = (text, unit, due, done)
        return out

    @staticmethod
    def _rec_owners(recs_of: dict[int, list[Row] | None]) -> dict[str, str]:
        """recommendation code -> inspection code, for the codes the file uses (database)."""
        wanted = [
            item.get("code")
            for items in recs_of.values()
            for item in items or []
            if item.get("code")
        ]
        pairs = engine.in_batches(
            wanted,
            lambda batch: Recommendation.objects.filter(code__in=batch).values_list(
                "code", "inspection__code"
            ),
        )
        return dict(pairs)

    def _flat_values(self, row: Row, inspection: Inspection | None) -> dict[str, Any]:
        current: dict[str, Any] = {}
        if inspection is not None:
            current = {
                "kind": inspection.kind,
                "ordered_by": inspection.ordered_by.code if inspection.ordered_by else None,
                "conducted_by": inspection.conducted_by.code,
                "target_unit": inspection.target_unit.code,
                "started_on": inspection.started_on,
                "ended_on": inspection.ended_on,
                "topics": list(inspection.topics or []),
            }
        values: dict[str, Any] = {}
        for name in FLAT_NAMES:
            if row.has(name):
                value = row.data[name]
                values[name] = (value or []) if name == "topics" else value
            else:
                values[name] = current.get(name, [] if name == "topics" else None)
        values["topics"] = [t for t in Topic.values if t in values["topics"]] + [
            t for t in values["topics"] if t not in Topic.values
        ]
        return values

    def _check_refs(
        self,
        ctx: ImportContext,
        row: Row,
        values: dict[str, Any],
        units: dict[str, Any],
        documents: set[str],
    ) -> None:
        for name in ("conducted_by", "target_unit"):
            code = values[name]
            if code is not None and code not in units:
                ctx.error(row, name, _("unknown unit code '%(value)s'") % {"value": code})
        doc = values["ordered_by"]
        if doc is not None:
            if doc not in documents:
                ctx.error(
                    row, "ordered_by", _("unknown document code '%(value)s'") % {"value": doc}
                )
            elif values["kind"] != InspectionKind.VERIFICATION:
                ctx.error(
                    row,
                    "ordered_by",
                    _("only a verification is ordered by a document, this one is '%(value)s'")
                    % {"value": values["kind"]},
                )

    def _check_scope(
        self, ctx: ImportContext, row: Row, values: dict[str, Any], units: dict[str, Any]
    ) -> None:
        scope = ctx.scope
        if scope is None or scope.city_wide:
            return
        ref = units.get(values["conducted_by"] or "")
        if ref is None or ref.id is None or ref.id not in scope.write_units:
            ctx.error(
                row,
                "conducted_by",
                _("you cannot import inspections of unit '%(value)s'")
                % {"value": values["conducted_by"]},
            )

    def _plan_recs(
        self,
        ctx: ImportContext,
        row: Row,
        items: list[Row],
        started: dt.date | None,
        units: dict[str, Any],
        owners: dict[str, str],
        seen: dict[str, str],
    ) -> list[dict[str, Any]]:
        recs = []
        parent = row.get("code")
        for item in items:
            values = {f.name: item.get(f.name) for f in RECOMMENDATION_FIELDS}
            code = values["code"]
            if code:
                if code in seen:
                    ctx.error(
                        item,
                        "code",
                        _("duplicate code '%(value)s' (first at %(first)s)")
                        % {"value": code, "first": seen[code]},
                    )
                seen.setdefault(code, item.at("code"))
                owner = owners.get(code)
                if owner is not None and owner != parent:
                    ctx.error(
                        item,
                        "code",
                        _("recommendation '%(value)s' belongs to inspection '%(owner)s'")
                        % {"value": code, "owner": owner},
                    )
            unit = values["responsible_unit"]
            if unit and unit not in units:
                ctx.error(
                    item, "responsible_unit", _("unknown unit code '%(value)s'") % {"value": unit}
                )
            if values["due_on"] and started and values["due_on"] < started:
                ctx.error(
                    item,
                    "due_on",
                    _("'%(value)s' is before the inspection started (%(start)s)")
                    % {"value": engine.iso(values["due_on"]), "start": engine.iso(started)},
                )
            recs.append(values)
        return recs

    @staticmethod
    def _differs(plan: Plan, old_recs: dict[str, tuple[Any, ...]]) -> bool:
        inspection = plan.existing
        if inspection is None:
            return True
        v = plan.values
        current = (
            inspection.kind,
            inspection.ordered_by.code if inspection.ordered_by else None,
            inspection.conducted_by.code,
            inspection.target_unit.code,
            inspection.started_on,
            inspection.ended_on,
            list(inspection.topics or []),
        )
        if current != tuple(v[n] for n in FLAT_NAMES):
            return True
        if (
            plan.findings is not None
            and [(f["text"], f["severity"]) for f in plan.findings] != plan.old_findings
        ):
            return True
        if plan.recommendations is not None:
            wanted = {
                r["code"]: (r["text"], r["responsible_unit"], r["due_on"], r["done_on"])
                for r in plan.recommendations
            }
            if wanted != old_recs:
                return True
        return False

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        from thenchot.inspections.services import snap

        counts = ctx.counts.setdefault(self.key, engine.Counts())
        ids = unit_ids(ctx)
        plans: list[Plan] = ctx.plans.get(self.key, [])
        doc_codes = {p.values["ordered_by"] for p in plans if p.values["ordered_by"]}
        docs = dict(
            SourceDocument.objects.filter(code__in=sorted(doc_codes)).values_list("code", "id")
        )
        for plan in spec.changed_only(plans, counts):
            v = plan.values
            inspection = plan.existing
            before = snap(inspection) if inspection is not None else None
            inspection = inspection or Inspection(code=plan.row.data["code"])
            inspection.kind = v["kind"]
            inspection.ordered_by_id = docs.get(v["ordered_by"]) if v["ordered_by"] else None
            inspection.conducted_by_id = ids[v["conducted_by"]]
            inspection.target_unit_id = ids[v["target_unit"]]
            inspection.started_on = v["started_on"]
            inspection.ended_on = v["ended_on"]
            inspection.topics = v["topics"]
            if before is not None:
                inspection.version += 1
            inspection.save()
            yield spec.counted_change(counts, inspection, before, snap(inspection))
            if (
                plan.findings is not None
                and [(f["text"], f["severity"]) for f in plan.findings] != plan.old_findings
            ):
                for old in Finding.objects.filter(inspection=inspection):
                    yield Change(old, DELETE, snap(old), None)
                Finding.objects.filter(inspection=inspection).delete()
                for position, item in enumerate(plan.findings, start=1):
                    finding = Finding.objects.create(
                        inspection=inspection, position=position, **item
                    )
                    yield Change(finding, CREATE, None, snap(finding))
            if plan.recommendations is not None:
                yield from self._apply_recs(inspection, plan.recommendations, ids)

    @staticmethod
    def _apply_recs(
        inspection: Inspection, wanted: list[dict[str, Any]], ids: dict[str, int]
    ) -> Iterator[Change]:
        from thenchot.inspections.services import snap

        current = {r.code: r for r in Recommendation.objects.filter(inspection=inspection)}
        keep = {r["code"] for r in wanted}
        for code, rec in current.items():
            if code not in keep:
                yield Change(rec, DELETE, snap(rec), None)
                rec.delete()
        for item in wanted:
            found = current.get(item["code"])
            unit_id = ids[item["responsible_unit"]]
            if found is None:
                rec = Recommendation.objects.create(
                    code=item["code"],
                    inspection=inspection,
                    text=item["text"],
                    responsible_unit_id=unit_id,
                    due_on=item["due_on"],
                    done_on=item["done_on"],
                )
                yield Change(rec, CREATE, None, snap(rec))
                continue
            rec = found
            new = (item["text"], unit_id, item["due_on"], item["done_on"])
            if (rec.text, rec.responsible_unit_id, rec.due_on, rec.done_on) == new:
                continue
            before = snap(rec)
            rec.text, rec.responsible_unit_id, rec.due_on, rec.done_on = new
            rec.version += 1
            rec.save()
            yield Change(rec, UPDATE, before, snap(rec))

    # -- export -----------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        scope = request.scope
        qs = Inspection.objects.select_related("conducted_by", "target_unit", "ordered_by")
        if scope is not None:
            if scope.user_id is None:
                return []
            qs = qs.filter(inspection_read_q(scope))
        if request.date_from:
            qs = qs.filter(started_on__gte=request.date_from)
        if request.date_to:
            qs = qs.filter(started_on__lte=request.date_to)
        qs = in_exported_unit(qs, request, "target_unit_id")
        inspections = list(qs.order_by("code"))
        findings: dict[int, list[dict[str, Any]]] = {}
        recs: dict[int, list[dict[str, Any]]] = {}
        # The nested lists: two queries for the whole export, items in a stable order.
        pks = [i.pk for i in inspections]
        for inspection_id, text, severity in engine.in_batches(
            pks,
            lambda batch: (
                Finding.objects.filter(inspection_id__in=batch)
                .order_by("inspection_id", "position", "id")
                .values_list("inspection_id", "text", "severity")
            ),
        ):
            findings.setdefault(inspection_id, []).append(
                {"text": text, "severity": severity or None}
            )
        for inspection_id, rcode, text, unit, due, done in engine.in_batches(
            pks,
            lambda batch: (
                Recommendation.objects.filter(inspection_id__in=batch)
                .order_by("code")
                .values_list(
                    "inspection_id",
                    "code",
                    "text",
                    "responsible_unit__code",
                    "due_on",
                    "done_on",
                )
            ),
        ):
            recs.setdefault(inspection_id, []).append(
                {
                    "code": rcode,
                    "text": text,
                    "responsible_unit": unit,
                    "due_on": engine.iso(due),
                    "done_on": engine.iso(done),
                }
            )
        out = []
        for i in inspections:
            record: dict[str, Any] = {
                "code": i.code,
                "kind": i.kind,
                "ordered_by": i.ordered_by.code if i.ordered_by else None,
                "conducted_by": i.conducted_by.code,
                "target_unit": i.target_unit.code,
                "started_on": engine.iso(i.started_on),
                "ended_on": engine.iso(i.ended_on),
                "topics": list(i.topics or []),
            }
            record["findings"] = findings.get(i.pk, [])
            record["recommendations"] = recs.get(i.pk, [])
            out.append(record)
        return out


inspection_section = InspectionSection()
spec.register(inspection_section)
