"""The `documents` section: conclusions, directives, notices, plans and decisions, keyed by
`code`; `issuer` is a unit code.

Documents are city-wide references (every signed-in user reads them). An export limited by
`--unit` or `--from/--to` keeps the documents issued in the subtree or the range *and* every
document the exported tasks refer to, so that the file imports on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import Change
from thenchot.core.errors import DomainError
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.directives.choices import DocumentKind
from thenchot.directives.models import DOCUMENT_CODE, SourceDocument
from thenchot.directives.selectors import exported_tasks
from thenchot.directives.services.documents import documents_record
from thenchot.org.interchange import UnitRef, unit_catalogue, unit_ids
from thenchot.org.tree import tree

BATCH = 2000
NAMES = ("kind", "number", "issued_on", "issuer", "title")
COLUMNS = ("id", "code", "kind", "number", "issued_on", "issuer__code", "title")


@dataclass
class DocumentPlan:
    row: Row
    old: dict[str, Any] | None  # the stored values (None: to create)
    values: dict[str, Any]  # NAMES after the import, `issuer` as a code

    @property
    def changed(self) -> bool:
        return self.old is None or any(self.old[n] != self.values[n] for n in NAMES)


def document_catalogue(ctx: ImportContext, codes: set[str]) -> dict[str, tuple[Any, str | None]]:
    """code -> (issued_on, issuer code) of the documents `codes` names, as they will be after
    the import: the database's, with the file's `documents` rows over them."""
    out: dict[str, tuple[Any, str | None]] = {
        code: (issued, issuer)
        for code, issued, issuer in engine.in_batches(
            sorted(codes),
            lambda b: SourceDocument.objects.filter(code__in=b).values_list(
                "code", "issued_on", "issuer__code"
            ),
        )
    }
    for plan in ctx.plans.get("documents", []):
        out[plan.row.data["code"]] = (plan.values["issued_on"], plan.values["issuer"])
    return out


@spec.section("documents", 50, gettext_lazy("Documents"))
class DocumentSection(Section):
    fields = (
        spec.code(gettext_lazy("Unique document code."), check=DOCUMENT_CODE.error),
        spec.enum(
            "kind",
            tuple(DocumentKind.values),
            gettext_lazy("conclusion, directive, notice, plan, decision or other."),
            required=True,
        ),
        spec.text("number", gettext_lazy("Number and symbol, e.g. 125/KL-UBND."), max_length=60),
        spec.date("issued_on", gettext_lazy("Date of issue."), required=True),
        spec.unit(
            "issuer", gettext_lazy("Code of the issuing unit."), required=True, max_length=None
        ),
        spec.text("title", gettext_lazy("Title (trích yếu)."), required=True, max_length=500),
    )

    # -- import -----------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        units = unit_catalogue(ctx)
        rows = [r for r in rows if r.get("code") is not None]
        existing: dict[str, dict[str, Any]] = {}
        for stored in engine.in_batches(
            [r.data["code"] for r in rows],
            lambda b: SourceDocument.objects.filter(code__in=b).values_list(*COLUMNS),
        ):
            record = dict(zip(("id", "code", *NAMES), stored, strict=True))
            existing[record["code"]] = record
        plans: list[DocumentPlan] = []
        for row in rows:
            old = existing.get(row.data["code"])
            values: dict[str, Any] = {}
            for name in NAMES:
                if row.has(name):
                    value = row.data[name]
                    values[name] = "" if name == "number" and value is None else value
                elif old is not None:
                    values[name] = old[name]
                else:
                    values[name] = "" if name == "number" else None
            issuer = values["issuer"]
            if issuer is not None and issuer not in units:
                ctx.error(row, "issuer", _("unknown unit code '%(value)s'") % {"value": issuer})
            plan = DocumentPlan(row=row, old=old, values=values)
            if plan.changed and ctx.scope is not None:
                self._check_scope(ctx, plan, units)
            plans.append(plan)
        ctx.plans[self.key] = plans

    @staticmethod
    def _check_scope(ctx: ImportContext, plan: DocumentPlan, units: dict[str, UnitRef]) -> None:
        # A document is recorded by whoever may write its issuing unit (before and after).
        issuers = [plan.values["issuer"]]
        if plan.old is not None and plan.old["issuer"] != plan.values["issuer"]:
            issuers.append(plan.old["issuer"])
        for code in issuers:
            ref = units.get(code or "")
            if ref is not None and ref.id is not None and not ctx.scope.can_write_unit(ref.id):
                ctx.error(
                    plan.row,
                    "issuer",
                    _("you may not change records of unit '%(value)s'") % {"value": code},
                )
                return

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        plans: list[DocumentPlan] = ctx.plans.get(self.key, [])
        ids = unit_ids(ctx)
        records = []
        for plan in plans:
            values = {n: plan.values[n] for n in NAMES if n != "issuer"}
            values["issuer_id"] = ids[plan.values["issuer"]]
            stored = plan.old["id"] if plan.old is not None else None
            records.append((plan.row.data["code"], stored, values))
        return documents_record(
            records=records, counts=ctx.counts.setdefault(self.key, engine.Counts())
        )

    # -- export -----------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        scope = request.scope
        if scope is not None and scope.user_id is None:
            return []
        qs = SourceDocument.objects.all()
        code = request.unit_code or request.params.get("unit") or None
        if code or request.date_from or request.date_to:
            own = Q()
            if code:
                snap = tree()
                unit_id = snap.by_code.get(str(code))
                if unit_id is None:
                    raise DomainError(_("unknown unit code '%(value)s'") % {"value": code})
                own &= Q(issuer_id__in=sorted(snap.subtree_on(unit_id, request.as_of)))
            if request.date_from:
                own &= Q(issued_on__gte=request.date_from)
            if request.date_to:
                own &= Q(issued_on__lte=request.date_to)
            referenced = exported_tasks(request).filter(document__isnull=False)
            qs = qs.filter(own | Q(pk__in=referenced.values("document_id")))
        return [
            {
                "code": code,
                "kind": kind,
                "number": number or None,
                "issued_on": engine.iso(issued),
                "issuer": issuer,
                "title": title,
            }
            for _id, code, kind, number, issued, issuer, title in qs.order_by("code").values_list(
                *COLUMNS
            )
        ]
