"""The `reform_criteria` and `reform_scores` sections of the interchange format
(shared/spec/interchange.md).

`reform_criteria` is keyed by (`year`, `code`): the framework of the year is created with its
first criterion, and a `content` with its first criterion (contents keep the order in which
the file names them). The project adds `parent` (the code of the criterion a sub-criterion
belongs to). `reform_scores` is keyed by (`year`, `unit`, `criterion`); the project adds
`explanation` and `appraiser_comment`.

Refused, naming the place and the value: a method and source that do not fit, a maximum of 0,
an unknown parent, unit or criterion, points outside [0, max] (for a penalty, [max, 0]) or with
more than two decimals, and any change to a year whose round is published. An import by a
person needs the council's rights (the council's secretariat gathers the scores).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import CREATE, UPDATE, Change, snapshot
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.org.interchange import selected_unit_ids, unit_catalogue, unit_ids
from thenchot.org.tree import tree
from thenchot.reform import selectors
from thenchot.reform.choices import Method, RoundStatus, Source
from thenchot.reform.models import AssessmentRound, Content, Criterion, Framework, Score
from thenchot.reform.services import method_problem, range_problem

YEAR = spec.whole("year", gettext_lazy("Year of the framework."), required=True)


# A published round is final: its framework and its scores no longer change.
FRAMEWORK_PUBLISHED = gettext_lazy("the %(value)s round is published: its framework cannot change")
SCORES_PUBLISHED = gettext_lazy("the %(value)s round is published: its scores cannot change")


def _may_change(
    ctx: ImportContext, row: Row, same: bool, published: set[int], refusal: Any
) -> bool:
    """Whether the row's record may be written: a row that leaves it `same` as stored always
    passes (nothing is written); a change in a `published` year is an error (`refusal`)."""
    year = row.get("year")
    if same or year not in published:
        return True
    ctx.error(row, "year", refusal % {"value": year})
    return False


def _published_years() -> set[int]:
    return set(
        AssessmentRound.objects.filter(status=RoundStatus.PUBLISHED).values_list("year", flat=True)
    )


def _year_ok(ctx: ImportContext, row: Row, year: Any) -> bool:
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        ctx.error(row, "year", _("'%(value)s' is not a year") % {"value": year})
        return False
    return True


def _scope_ok(ctx: ImportContext, row: Row, year: int) -> bool:
    if ctx.scope is not None and not selectors.is_council(ctx.scope, year):
        ctx.error(
            row,
            None,
            _("only the appraisal council imports the reform index of %(year)s") % {"year": year},
        )
        return False
    return True


@spec.section("reform_criteria", 92, gettext_lazy("Reform index criteria"))
class CriteriaSection(Section):
    key_fields = ("year", "code")
    key_defaults = MappingProxyType({})
    fields = (
        YEAR,
        spec.text("code", gettext_lazy("Criterion code."), required=True, max_length=40),
        spec.text(
            "content",
            gettext_lazy("The content (field) of the framework the criterion belongs to."),
            required=True,
            max_length=300,
        ),
        spec.text("name", gettext_lazy("Criterion name."), required=True, max_length=500),
        spec.number(
            "max_points",
            gettext_lazy("Maximum points; a negative maximum marks a penalty criterion."),
            required=True,
        ),
        spec.enum(
            "method",
            Method.values,
            gettext_lazy("self, appraised, survey or computed."),
            required=True,
        ),
        spec.enum(
            "source",
            Source.values,
            gettext_lazy("For computed and survey criteria: where the figure comes from."),
        ),
        spec.text(
            "parent",
            gettext_lazy("Code of the criterion this sub-criterion belongs to."),
            max_length=40,
        ),
    )

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        published = _published_years()
        years = {r.get("year") for r in rows if isinstance(r.get("year"), int)}
        stored = {
            (c.framework.year, c.code): c
            for c in Criterion.objects.filter(framework__year__in=sorted(years)).select_related(
                "framework", "content", "parent"
            )
        }
        in_file = {(r.get("year"), r.get("code")) for r in rows}
        plans: list[tuple[Row, Criterion | None, dict[str, Any]]] = []
        for row in rows:
            year, code = row.get("year"), row.get("code")
            if year is None or code is None or not _year_ok(ctx, row, year):
                continue
            if not _scope_ok(ctx, row, year):
                continue
            values = {
                "content": (row.get("content") or "").strip(),
                "name": (row.get("name") or "").strip(),
                "max_points": row.get("max_points"),
                "method": row.get("method") or "",
                "source": row.get("source") or "",
                "parent": (row.get("parent") or "").strip(),
            }
            if values["max_points"] is not None and values["max_points"] == 0:
                ctx.error(row, "max_points", _("The maximum points cannot be 0."))
            if values["method"]:
                problem = method_problem(values["method"], values["source"])
                if problem:
                    ctx.error(row, problem[0], problem[1])
            parent = values["parent"]
            if parent and parent == code:
                ctx.error(
                    row, "parent", _("'%(value)s' cannot be its own parent.") % {"value": parent}
                )
            elif parent and (year, parent) not in in_file and (year, parent) not in stored:
                ctx.error(
                    row, "parent", _("unknown criterion code '%(value)s'") % {"value": parent}
                )
            old = stored.get((year, code))
            same = old is not None and _current(old) == values
            if _may_change(ctx, row, same, published, FRAMEWORK_PUBLISHED):
                plans.append((row, old, values))
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        counts = ctx.counts.setdefault(self.key, engine.Counts())
        plans = ctx.plans.get(self.key, [])
        frameworks: dict[int, Framework] = {}
        contents: dict[tuple[int, str], Content] = {}
        written: dict[tuple[int, str], Criterion] = {}
        created_now: list[Criterion] = []
        for row, old, values in plans:
            year = row.get("year")
            fw = frameworks.get(year)
            if fw is None:
                fw, created = Framework.objects.get_or_create(year=year)
                frameworks[year] = fw
                if created:
                    yield Change(fw, CREATE, None, snapshot(fw))
                    for ct in fw.contents.all():
                        contents[(year, ct.name)] = ct
                else:
                    for ct in fw.contents.all():
                        contents[(year, ct.name)] = ct
            key = (year, values["content"])
            if key not in contents:
                position = 1 + sum(1 for y, _n in contents if y == year)
                contents[key] = Content.objects.create(
                    framework=fw, name=values["content"], position=position
                )
            flat = {
                "content": contents[key],
                "name": values["name"],
                "max_points": values["max_points"],
                "method": values["method"],
                "source": values["source"],
            }
            if old is None:
                c = Criterion.objects.create(
                    framework=fw, code=row.get("code"), position=row.index + 1, **flat
                )
                counts.created += 1
                written[(year, c.code)] = c
                created_now.append(c)
                continue
            written[(year, old.code)] = old
            if _current(old) == values:
                counts.unchanged += 1
                continue
            before = snapshot(old)
            for k, v in flat.items():
                setattr(old, k, v)
            old.version += 1
            old.save()
            counts.updated += 1
            yield Change(old, UPDATE, before, snapshot(old))
        # Parents once every criterion of the file exists.
        for row, _old, values in plans:
            year = row.get("year")
            c = written[(year, row.get("code"))]
            parent = values["parent"]
            parent_id = None
            if parent:
                target = written.get((year, parent)) or Criterion.objects.get(
                    framework__year=year, code=parent
                )
                parent_id = target.pk
            if c.parent_id != parent_id:
                c.parent_id = parent_id
                c.save(update_fields=["parent"])
        for c in created_now:
            yield Change(c, CREATE, None, snapshot(c))
        Content.objects.filter(
            framework__in=list(frameworks.values()), criteria__isnull=True
        ).delete()

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = Criterion.objects.select_related("framework", "content", "parent")
        if request.date_from:
            qs = qs.filter(framework__year__gte=request.date_from.year)
        if request.date_to:
            qs = qs.filter(framework__year__lte=request.date_to.year)
        out = [
            {
                "year": c.framework.year,
                "code": c.code,
                "content": c.content.name,
                "name": c.name,
                "max_points": engine.number_out(c.max_points),
                "method": c.method,
                "source": c.source or None,
                "parent": c.parent.code if c.parent is not None else None,
            }
            for c in qs
        ]
        out.sort(key=lambda r: (r["year"], r["code"]))
        return out


def _current(c: Criterion) -> dict[str, Any]:
    return {
        "content": c.content.name,
        "name": c.name,
        "max_points": c.max_points,
        "method": c.method,
        "source": c.source,
        "parent": c.parent.code if c.parent is not None else "",
    }


SCORE_VALUES = (
    "self_points",
    "appraised_points",
    "council_points",
    "evidence",
    "explanation",
    "appraiser_comment",
)


@spec.section("reform_scores", 93, gettext_lazy("Reform index scores"))
class ScoresSection(Section):
    key_fields = ("year", "unit", "criterion")
    key_defaults = MappingProxyType({})
    fields = (
        YEAR,
        spec.unit("unit", gettext_lazy("Code of the unit scored."), required=True),
        spec.text(
            "criterion",
            gettext_lazy("Code of the criterion in the year's framework."),
            required=True,
            max_length=40,
        ),
        spec.number("self_points", gettext_lazy("The unit's self-score.")),
        spec.number("appraised_points", gettext_lazy("The appraiser's points.")),
        spec.number("council_points", gettext_lazy("The appraisal council's points.")),
        spec.text("evidence", gettext_lazy("Evidence of the self-score (text).")),
        spec.unit("appraiser_unit", gettext_lazy("Code of the unit that appraised the score.")),
        spec.text("explanation", gettext_lazy("How the self-score was reached.")),
        spec.text("appraiser_comment", gettext_lazy("The appraiser's comment.")),
    )

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        units = unit_catalogue(ctx)
        published = _published_years()
        years = {r.get("year") for r in rows if isinstance(r.get("year"), int)}
        maxima: dict[tuple[int, str], Criterion | Decimal] = {
            (c.framework.year, c.code): c
            for c in Criterion.objects.filter(framework__year__in=sorted(years)).select_related(
                "framework"
            )
        }
        for r in ctx.rows.get("reform_criteria", []):
            if r.get("max_points") is not None and r.get("code") is not None:
                maxima[(r.get("year"), r.get("code"))] = r.get("max_points")
        stored = {
            (s.criterion.framework.year, s.unit.code, s.criterion.code): s
            for s in Score.objects.filter(
                criterion__framework__year__in=sorted(years)
            ).select_related("criterion__framework", "unit", "appraiser_unit")
        }
        plans: list[tuple[Row, Score | None, dict[str, Any]]] = []
        for row in rows:
            year, unit, code = row.get("year"), row.get("unit"), row.get("criterion")
            if year is None or unit is None or code is None or not _year_ok(ctx, row, year):
                continue
            if not _scope_ok(ctx, row, year):
                continue
            ok = True
            if unit not in units:
                ctx.error(row, "unit", _("unknown unit code '%(value)s'") % {"value": unit})
                ok = False
            appraiser = row.get("appraiser_unit")
            if appraiser is not None and appraiser not in units:
                ctx.error(
                    row, "appraiser_unit", _("unknown unit code '%(value)s'") % {"value": appraiser}
                )
                ok = False
            known = maxima.get((year, code))
            if known is None:
                ctx.error(
                    row,
                    "criterion",
                    _("unknown criterion code '%(value)s' in the %(year)s framework")
                    % {"value": code, "year": year},
                )
                continue
            probe = (
                known if isinstance(known, Criterion) else Criterion(code=code, max_points=known)
            )
            for name in ("self_points", "appraised_points", "council_points"):
                value = row.get(name)
                if value is not None:
                    problem = range_problem(value, probe)
                    if problem:
                        ctx.error(row, name, problem)
                        ok = False
            if not ok:
                continue
            values = {
                "self_points": row.get("self_points"),
                "appraised_points": row.get("appraised_points"),
                "council_points": row.get("council_points"),
                "evidence": row.get("evidence") or "",
                "explanation": row.get("explanation") or "",
                "appraiser_comment": row.get("appraiser_comment") or "",
                "appraiser_unit": appraiser,
            }
            old = stored.get((year, unit, code))
            same = old is not None and _score_values(old) == values
            if _may_change(ctx, row, same, published, SCORES_PUBLISHED):
                plans.append((row, old, values))
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        ids = unit_ids(ctx)
        plans = ctx.plans.get(self.key, [])
        years = sorted({r.get("year") for r, _o, _v in plans})
        criteria = {
            (c.framework.year, c.code): c.pk
            for c in Criterion.objects.filter(framework__year__in=years).select_related("framework")
        }
        items = []
        for row, old, values in plans:
            flat = {k: values[k] for k in SCORE_VALUES}
            flat["appraiser_unit_id"] = (
                ids[values["appraiser_unit"]] if values["appraiser_unit"] else None
            )
            keys = {
                "unit_id": ids[row.get("unit")],
                "criterion_id": criteria[(row.get("year"), row.get("criterion"))],
            }
            items.append((old, keys, flat))
        yield from engine.upsert_flat(
            Score, items, counts=ctx.counts.setdefault(self.key, engine.Counts())
        )

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = Score.objects.select_related("unit", "criterion__framework", "appraiser_unit")
        if request.scope is not None and not request.scope.city_wide:
            qs = qs.filter(selectors.score_read_q(request.scope))
        if request.unit_code or request.params.get("unit"):
            qs = qs.filter(unit_id__in=sorted(selected_unit_ids(tree(), request)))
        if request.date_from:
            qs = qs.filter(criterion__framework__year__gte=request.date_from.year)
        if request.date_to:
            qs = qs.filter(criterion__framework__year__lte=request.date_to.year)
        out = [
            {
                "year": s.criterion.framework.year,
                "unit": s.unit.code,
                "criterion": s.criterion.code,
                "self_points": engine.number_out(s.self_points),
                "appraised_points": engine.number_out(s.appraised_points),
                "council_points": engine.number_out(s.council_points),
                "evidence": s.evidence or None,
                "appraiser_unit": s.appraiser_unit.code if s.appraiser_unit is not None else None,
                "explanation": s.explanation or None,
                "appraiser_comment": s.appraiser_comment or None,
            }
            for s in qs
        ]
        out.sort(key=lambda r: (r["year"], r["unit"], r["criterion"]))
        return out


def _score_values(s: Score) -> dict[str, Any]:
    return {
        "self_points": s.self_points,
        "appraised_points": s.appraised_points,
        "council_points": s.council_points,
        "evidence": s.evidence,
        "explanation": s.explanation,
        "appraiser_comment": s.appraiser_comment,
        "appraiser_unit": s.appraiser_unit.code if s.appraiser_unit is not None else None,
    }


criteria_section = CriteriaSection()
scores_section = ScoresSection()
spec.register(criteria_section, scores_section)
