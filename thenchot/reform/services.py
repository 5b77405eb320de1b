"""Writes of the reform index. Every write checks the writer's rights inside its transaction,
validates (a clear error naming the value; nothing changed), writes with optimistic
concurrency where a record is edited, and is audited with before and after.

The round moves open → self-scoring → appraising → council → published; self-scores are
entered while the round is open or self-scoring, appraisals while it is appraising, the
council's decisions while it sits; once published nothing of the year changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import Scope
from thenchot.core import auditing, writes
from thenchot.core.context import acting
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.services import full_clean, refuse
from thenchot.directives.services import store_upload
from thenchot.org.models import Unit
from thenchot.org.tree import TreeSnapshot, tree
from thenchot.reform import selectors
from thenchot.reform.choices import (
    COMPUTED_SOURCES,
    ROUND_ORDER,
    SURVEY_SOURCES,
    Method,
    RoundStatus,
)
from thenchot.reform.index import compute_index, rank_group
from thenchot.reform.models import (
    AppraiserAssignment,
    AssessmentRound,
    Content,
    CouncilDecision,
    Criterion,
    EvidenceFile,
    Framework,
    PublishedResult,
    Score,
)

CENT = Decimal("0.01")
ASSESSED_KINDS = ("department", "district", "commune", "ward")


def _n(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


# -- checks ---------------------------------------------------------------------------------------
def parse_points(value: Any, *, criterion: Criterion, field: str = "points") -> Decimal | None:
    """A given number of points, or None for "not given". Refused: not a number, more than two
    decimals, outside [0, max] (for a penalty, [max, 0])."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if isinstance(value, bool) or number is None or not number.is_finite():
        raise refuse(_("'%(value)s' is not a number of points.") % {"value": value}, field)
    if number != number.quantize(CENT):
        raise refuse(_("'%(value)s' has more than two decimals.") % {"value": _n(number)}, field)
    check_range(number, criterion=criterion, field=field)
    return number.quantize(CENT)


def points_range(criterion: Criterion) -> tuple[Decimal, Decimal]:
    top = Decimal(criterion.max_points)
    return (top, Decimal(0)) if top < 0 else (Decimal(0), top)


def range_problem(number: Decimal, criterion: Criterion) -> str | None:
    low, high = points_range(criterion)
    if low <= number <= high:
        return None
    return _(
        "%(value)s points is outside the range of criterion %(code)s: from %(low)s to %(high)s."
    ) % {"value": _n(number), "code": criterion.code, "low": _n(low), "high": _n(high)}


def check_range(number: Decimal, *, criterion: Criterion, field: str = "points") -> None:
    problem = range_problem(number, criterion)
    if problem:
        raise refuse(problem, field)


def method_problem(method: str, source: str) -> tuple[str, str] | None:
    """(field, message) when the method and the source do not fit together."""
    if method not in Method.values:
        return "method", _("'%(value)s' is not a method (self, appraised, survey, computed).") % {
            "value": method
        }
    if method == Method.COMPUTED and source not in COMPUTED_SOURCES:
        return "source", _(
            "'%(value)s' is not a source of computed criteria (on_time_task_rate, "
            "case_on_time_rate, recommendations_done_rate, evaluation_coverage)."
        ) % {"value": source}
    if method == Method.SURVEY and source not in SURVEY_SOURCES:
        return "source", _("'%(value)s' is not a survey source (satisfaction_index).") % {
            "value": source
        }
    if method in (Method.SELF, Method.APPRAISED) and source:
        return "source", _("'%(value)s': a scored criterion takes no source.") % {"value": source}
    return None


def _require_round(year: int) -> AssessmentRound:
    rnd = AssessmentRound.objects.select_for_update().filter(year=year).first()
    if rnd is None:
        raise refuse(_("There is no assessment round for %(year)s.") % {"year": year})
    return rnd


def refuse_published(year: int) -> None:
    if AssessmentRound.objects.filter(year=year, status=RoundStatus.PUBLISHED).exists():
        raise DomainError(
            _("The %(year)s round is published: its figures can no longer change.") % {"year": year}
        )


def _require_status(rnd: AssessmentRound, *allowed: str) -> None:
    if rnd.status == RoundStatus.PUBLISHED:
        refuse_published(rnd.year)
    if rnd.status not in allowed:
        raise DomainError(
            _("The %(year)s round is at the stage '%(stage)s': this is not done now.")
            % {"year": rnd.year, "stage": RoundStatus(rnd.status).label}
        )


def _require_council(scope: Scope, year: int | None) -> None:
    if not selectors.is_council(scope, year):
        raise OutOfScope(_("Only the appraisal council does this."))


def _unit_code(unit_id: int) -> str:
    info = tree().units.get(unit_id)
    return info.code if info is not None else str(unit_id)


# -- frameworks -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CriterionSpec:
    code: str
    content: str
    name: str
    max_points: Any
    method: str
    source: str = ""
    parent: str = ""


def spec_problems(specs: Sequence[CriterionSpec]) -> list[tuple[int, str, str]]:
    """(index, field, message) of every problem of a framework's table, all at once."""
    out: list[tuple[int, str, str]] = []
    codes: dict[str, int] = {}
    for i, s in enumerate(specs):
        if not s.code.strip():
            out.append((i, "code", _("A criterion needs a code.")))
        elif s.code in codes:
            out.append((i, "code", _("'%(value)s' is given twice.") % {"value": s.code}))
        else:
            codes[s.code] = i
        if not s.content.strip():
            out.append((i, "content", _("A criterion needs a content.")))
        if not s.name.strip():
            out.append((i, "name", _("A criterion needs a name.")))
        try:
            top = Decimal(str(s.max_points).strip())
            if not top.is_finite() or top != top.quantize(CENT):
                raise InvalidOperation
            if top == 0:
                out.append((i, "max_points", _("The maximum points cannot be 0.")))
        except (InvalidOperation, ValueError):
            out.append(
                (
                    i,
                    "max_points",
                    _("'%(value)s' is not a number of points.") % {"value": s.max_points},
                )
            )
        problem = method_problem(s.method, s.source)
        if problem:
            out.append((i, *problem))
    for i, s in enumerate(specs):
        if s.parent and s.parent not in codes:
            out.append((i, "parent", _("unknown criterion code '%(value)s'") % {"value": s.parent}))
        elif s.parent and s.parent == s.code:
            out.append(
                (i, "parent", _("'%(value)s' cannot be its own parent.") % {"value": s.parent})
            )
    return out


def write_framework(
    *, year: int, specs: Sequence[CriterionSpec], name: str = "", decision_number: str = ""
) -> Framework:
    """Create or replace the criteria of `year` from `specs` (checked by the caller); criteria
    no longer in the table are removed when nothing refers to them."""
    refuse_published(year)
    framework, created = Framework.objects.get_or_create(
        year=year, defaults={"name": name, "decision_number": decision_number}
    )
    if created:
        auditing.record(framework, action=auditing.CREATE)
    elif (name and name != framework.name) or (
        decision_number and decision_number != framework.decision_number
    ):
        writes.update(
            framework,
            {
                "name": name or framework.name,
                "decision_number": decision_number or framework.decision_number,
            },
            expected_version=framework.version,
        )
    contents: dict[str, Content] = {c.name: c for c in framework.contents.all()}
    for position, label in enumerate(dict.fromkeys(s.content.strip() for s in specs), start=1):
        content = contents.get(label)
        if content is None:
            contents[label] = Content.objects.create(
                framework=framework, name=label, position=position
            )
        elif content.position != position:
            content.position = position
            content.save(update_fields=["position"])
    existing = {c.code: c for c in framework.criteria.all()}
    by_code: dict[str, Criterion] = {}
    for position, s in enumerate(specs, start=1):
        values = {
            "content": contents[s.content.strip()],
            "name": s.name.strip(),
            "max_points": Decimal(str(s.max_points).strip()).quantize(CENT),
            "method": s.method,
            "source": s.source or "",
            "position": position,
        }
        old = existing.get(s.code)
        if old is None:
            c = Criterion(framework=framework, code=s.code.strip(), **values)
            full_clean(c, exclude=["parent"])
            writes.create(c)
        else:
            c = old
            if any(getattr(c, k) != v for k, v in values.items()):
                writes.update(c, values, expected_version=c.version)
        by_code[c.code] = c
    for s in specs:
        c = by_code[s.code]
        parent_id = by_code[s.parent].pk if s.parent else None
        if c.parent_id != parent_id:
            before = auditing.snapshot(c)
            c.parent_id = parent_id
            writes.save(c, before=before, expected_version=c.version, fields=["parent"])
    gone = [c for code, c in existing.items() if code not in by_code]
    for c in gone:
        if c.scores.exists():
            raise refuse(
                _("Criterion %(code)s has scores: it cannot be removed from the framework.")
                % {"code": c.code}
            )
        Criterion.objects.filter(parent=c).update(parent=None)
        auditing.record(c, action=auditing.DELETE, before=auditing.snapshot(c))
        c.delete()
    Content.objects.filter(framework=framework, criteria__isnull=True).delete()
    return framework


def framework_save(
    *,
    scope: Scope,
    by: Any,
    year: int,
    specs: Sequence[CriterionSpec],
    name: str = "",
    decision_number: str = "",
    reason: str | None = None,
) -> Framework:
    problems = spec_problems(specs)
    if problems:
        i, field, message = problems[0]
        raise DomainError(
            _("Row %(row)s, %(field)s: %(message)s")
            % {"row": i + 1, "field": field, "message": message},
            field_errors={
                "file": [
                    _("Row %(row)s, %(field)s: %(message)s")
                    % {"row": j + 1, "field": f, "message": m}
                    for j, f, m in problems
                ]
            },
        )
    with acting(actor=by, reason=reason), transaction.atomic():
        _require_council(scope, year)
        return write_framework(year=year, specs=specs, name=name, decision_number=decision_number)


def framework_specs(year: int) -> list[CriterionSpec]:
    return [
        CriterionSpec(
            code=c.code,
            content=c.content.name,
            name=c.name,
            max_points=c.max_points,
            method=c.method,
            source=c.source,
            parent=c.parent.code if c.parent is not None else "",
        )
        for c in Criterion.objects.filter(framework__year=year)
        .select_related("content", "parent")
        .order_by("content__position", "position", "code")
    ]


def framework_copy(*, scope: Scope, by: Any, from_year: int, to_year: int) -> Framework:
    """Start `to_year` from a copy of `from_year`'s framework (refused if it has criteria)."""
    specs = framework_specs(from_year)
    if not specs:
        raise refuse(_("There is no framework for %(year)s to copy.") % {"year": from_year})
    if Criterion.objects.filter(framework__year=to_year).exists():
        raise refuse(
            _("The %(year)s framework already has criteria: it is not overwritten by a copy.")
            % {"year": to_year}
        )
    source = Framework.objects.get(year=from_year)
    return framework_save(
        scope=scope,
        by=by,
        year=to_year,
        specs=specs,
        name=source.name,
        decision_number="",
        reason=_("copied from %(year)s") % {"year": from_year},
    )


XLSX_COLUMNS = ("code", "content", "name", "max_points", "method", "source", "parent")


def read_framework_xlsx(file: Any) -> list[CriterionSpec]:
    """The City's table: one row per criterion, first row the column names (`code`, `content`,
    `name`, `max_points`, `method`, `source`, `parent`). Problems name the row and column."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:
        raise refuse(_("The file is not a readable XLSX workbook."), "file") from exc
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise refuse(_("The sheet is empty."), "file")
    header = [str(v).strip() if v is not None else "" for v in rows[0]]
    errors: list[str] = []
    for required in ("code", "content", "name", "max_points", "method"):
        if required not in header:
            errors.append(_("column '%(value)s' is missing") % {"value": required})
    unknown = [h for h in header if h and h not in XLSX_COLUMNS]
    for h in unknown:
        errors.append(_("unknown column '%(value)s'") % {"value": h})
    if errors:
        raise DomainError("; ".join(errors), field_errors={"file": errors})
    specs: list[CriterionSpec] = []
    for values in rows[1:]:
        cells = {h: values[i] if i < len(values) else None for i, h in enumerate(header) if h}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue

        def text(name: str, cells: dict[str, Any] = cells) -> str:
            v = cells.get(name)
            return "" if v is None else str(v).strip()

        specs.append(
            CriterionSpec(
                code=text("code"),
                content=text("content"),
                name=text("name"),
                max_points=cells.get("max_points") if cells.get("max_points") is not None else "",
                method=text("method"),
                source=text("source"),
                parent=text("parent"),
            )
        )
    problems = spec_problems(specs)
    if problems:
        messages = [
            _("sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s")
            % {"sheet": sheet.title, "row": i + 2, "column": f, "message": m}
            for i, f, m in problems
        ]
        raise DomainError("; ".join(messages[:5]), field_errors={"file": messages})
    return specs


def framework_import_xlsx(*, scope: Scope, by: Any, year: int, file: Any) -> Framework:
    specs = read_framework_xlsx(file)
    return framework_save(
        scope=scope, by=by, year=year, specs=specs, reason=getattr(file, "name", None) or None
    )


# -- the round ------------------------------------------------------------------------------------
def round_save(
    *,
    scope: Scope,
    by: Any,
    year: int,
    tree_date: dt.date | None = None,
    self_scoring_deadline: dt.date | None = None,
    appraisal_deadline: dt.date | None = None,
    council_deadline: dt.date | None = None,
    publication_deadline: dt.date | None = None,
    secretariat_unit: Unit | None = None,
    appraisers_per_unit: int = 1,
    expected_version: int | None = None,
) -> AssessmentRound:
    """Open the round of `year`, or change its dates (the deadlines follow one another)."""
    with acting(actor=by), transaction.atomic():
        _require_council(scope, year)
        if not Framework.objects.filter(year=year).exists():
            raise refuse(_("There is no framework for %(year)s yet.") % {"year": year})
        dates = [
            ("self_scoring_deadline", self_scoring_deadline),
            ("appraisal_deadline", appraisal_deadline),
            ("council_deadline", council_deadline),
            ("publication_deadline", publication_deadline),
        ]
        given = [(n, d) for n, d in dates if d is not None]
        for (_n1, d1), (n2, d2) in zip(given, given[1:], strict=False):
            if d2 < d1:
                raise refuse(
                    _("'%(value)s' is before the previous deadline (%(other)s).")
                    % {"value": d2.strftime("%d/%m/%Y"), "other": d1.strftime("%d/%m/%Y")},
                    n2,
                )
        if appraisers_per_unit < 1:
            raise refuse(
                _("'%(value)s': at least one appraiser per unit.") % {"value": appraisers_per_unit},
                "appraisers_per_unit",
            )
        values = {
            "tree_date": tree_date or dt.date(year, 12, 31),
            "self_scoring_deadline": self_scoring_deadline,
            "appraisal_deadline": appraisal_deadline,
            "council_deadline": council_deadline,
            "publication_deadline": publication_deadline,
            "secretariat_unit": secretariat_unit,
            "appraisers_per_unit": appraisers_per_unit,
        }
        rnd = AssessmentRound.objects.select_for_update().filter(year=year).first()
        if rnd is None:
            rnd = AssessmentRound(year=year, **values)
            full_clean(rnd)
            return writes.create(rnd)
        if rnd.is_published:
            refuse_published(year)
        return writes.update(
            rnd, values, expected_version=_version(expected_version, rnd), clean=full_clean
        )


def round_advance(
    *, scope: Scope, by: Any, round: AssessmentRound, expected_version: int
) -> AssessmentRound:
    """The next stage: open → self-scoring → appraising → council (publication: `publish`)."""
    with acting(actor=by), transaction.atomic():
        _require_council(scope, round.year)
        rnd = AssessmentRound.objects.select_for_update().get(pk=round.pk)
        _require_status(rnd, RoundStatus.OPEN, RoundStatus.SELF_SCORING, RoundStatus.APPRAISING)
        return writes.update(
            rnd,
            {"status": ROUND_ORDER[ROUND_ORDER.index(rnd.status) + 1]},
            expected_version=expected_version,
        )


# -- scores ---------------------------------------------------------------------------------------
def _criterion(year: int, code: str) -> Criterion:
    c = (
        Criterion.objects.filter(framework__year=year, code=code)
        .select_related("framework", "content")
        .first()
    )
    if c is None:
        raise refuse(
            _("unknown criterion code '%(value)s' in the %(year)s framework")
            % {"value": code, "year": year},
            "criterion",
        )
    if c.children.exists():
        raise refuse(
            _("Criterion %(code)s has sub-criteria: score those instead.") % {"code": c.code},
            "criterion",
        )
    return c


def _scored(unit: Unit, year: int, code: str, points: Any) -> tuple[Decimal | None, Score, bool]:
    """The points given by hand to the unit's criterion `code`, parsed, and the unit's score of
    it, locked (created: not yet saved). Refused for a criterion that is computed or
    appraised as a whole."""
    criterion = _criterion(year, code)
    if not criterion.is_scored:
        raise refuse(
            _("Criterion %(code)s is %(method)s: it is not scored by hand.")
            % {"code": criterion.code, "method": Method(criterion.method).label},
            "criterion",
        )
    value = parse_points(points, criterion=criterion)
    return (value, *_locked_score(unit, criterion))


def _locked_score(unit: Unit, criterion: Criterion) -> tuple[Score, bool]:
    score = Score.objects.select_for_update().filter(unit=unit, criterion=criterion).first()
    if score is None:
        return Score(unit=unit, criterion=criterion), True
    return score, False


def _save_score(
    score: Score, created: bool, fields: list[str], expected_version: int | None
) -> Score:
    if created:
        full_clean(score)
        return writes.create(score)
    before = auditing.snapshot(Score.objects.get(pk=score.pk))
    full_clean(score, exclude=[f.name for f in score._meta.concrete_fields if f.name not in fields])
    return writes.save(
        score, before=before, expected_version=_version(expected_version, score), fields=fields
    )


def _version(expected_version: int | None, record: Score | AssessmentRound) -> int:
    """The version the writer read; none given (a command, an import), the current one."""
    return expected_version if expected_version is not None else record.version


def score_self(
    *,
    scope: Scope,
    by: Any,
    unit: Unit,
    year: int,
    criterion_code: str,
    points: Any,
    evidence: str = "",
    explanation: str = "",
    expected_version: int | None = None,
) -> Score:
    """The unit's own score of a criterion, with its evidence and explanation."""
    with acting(actor=by), transaction.atomic():
        rnd = _require_round(year)
        if not selectors.can_self_score(scope, unit.pk):
            raise OutOfScope(_("You may not score unit %(unit)s.") % {"unit": unit.code})
        _require_status(rnd, RoundStatus.OPEN, RoundStatus.SELF_SCORING)
        value, score, created = _scored(unit, year, criterion_code, points)
        if not created and expected_version is not None and score.version != expected_version:
            from thenchot.core.concurrency import ConcurrentUpdate

            raise ConcurrentUpdate()
        score.self_points = value
        score.evidence = evidence.strip()
        score.explanation = explanation.strip()
        return _save_score(
            score, created, ["self_points", "evidence", "explanation"], expected_version
        )


def evidence_attach(*, scope: Scope, by: Any, score: Score, file: UploadedFile) -> EvidenceFile:
    """An evidence file of a self-score: PDF, DOCX, XLSX, JPG or PNG up to 20 MB, checked by
    extension and content (`directives.services.validate_upload`)."""
    with acting(actor=by), transaction.atomic():
        score = (
            Score.objects.select_for_update()
            .select_related("criterion__framework")
            .get(pk=score.pk)
        )
        rnd = _require_round(score.criterion.framework.year)
        if not selectors.can_self_score(scope, score.unit_id):
            raise OutOfScope(
                _("You may not score unit %(unit)s.") % {"unit": _unit_code(score.unit_id)}
            )
        _require_status(rnd, RoundStatus.OPEN, RoundStatus.SELF_SCORING)
        return store_upload(EvidenceFile, file, by=by, score=score)


def score_appraise(
    *,
    scope: Scope,
    by: Any,
    unit: Unit,
    year: int,
    criterion_code: str,
    points: Any,
    comment: str = "",
    appraiser_unit: Unit | None = None,
    expected_version: int | None = None,
) -> Score:
    """An assigned appraiser unit's points and comment on a unit's criterion."""
    with acting(actor=by), transaction.atomic():
        rnd = _require_round(year)
        mine = selectors.appraiser_units_of(scope, rnd, unit.pk)
        if appraiser_unit is not None:
            mine = [u for u in mine if u == appraiser_unit.pk]
        if not mine:
            raise OutOfScope(
                _("You are not an appraiser of unit %(unit)s in %(year)s.")
                % {"unit": unit.code, "year": year}
            )
        _require_status(rnd, RoundStatus.APPRAISING)
        value, score, created = _scored(unit, year, criterion_code, points)
        score.appraised_points = value
        score.appraiser_comment = comment.strip()
        score.appraiser_unit_id = mine[0]
        return _save_score(
            score,
            created,
            ["appraised_points", "appraiser_comment", "appraiser_unit"],
            expected_version,
        )


def council_decide(
    *, scope: Scope, by: Any, score: Score, points: Any, reason: str, expected_version: int
) -> Score:
    """The council's final points on a score, recorded with its reason."""
    with acting(actor=by, reason=reason), transaction.atomic():
        score = (
            Score.objects.select_for_update()
            .select_related("criterion", "criterion__framework")
            .get(pk=score.pk)
        )
        year = score.criterion.framework.year
        _require_council(scope, year)
        rnd = _require_round(year)
        _require_status(rnd, RoundStatus.COUNCIL)
        if not reason.strip():
            raise refuse(_("The council's decision needs a reason."), "reason")
        value = parse_points(points, criterion=score.criterion)
        if value is None:
            raise refuse(_("The council's decision needs the points."), "points")
        score.council_points = value
        _save_score(score, False, ["council_points"], expected_version)
        decision = CouncilDecision.objects.create(
            score=score,
            points=value,
            reason=reason.strip(),
            decided_by=by if getattr(by, "pk", None) else None,
        )
        auditing.record(decision, action=auditing.CREATE)
        return score


# -- cross-evaluation -----------------------------------------------------------------------------
def pair_problem(
    snap: TreeSnapshot, appraiser_id: int, assessed_id: int, on: dt.date
) -> str | None:
    """Why `appraiser_id` may not appraise `assessed_id` on `on` (itself, its parent, its
    child), or None."""
    a, b = _unit_code(appraiser_id), _unit_code(assessed_id)
    if appraiser_id == assessed_id:
        return _("%(unit)s cannot appraise itself.") % {"unit": a}
    if snap.parent_on(assessed_id, on) == appraiser_id:
        return _("%(appraiser)s is the parent of %(unit)s: it cannot appraise it.") % {
            "appraiser": a,
            "unit": b,
        }
    if snap.parent_on(appraiser_id, on) == assessed_id:
        return _("%(appraiser)s is a child of %(unit)s: it cannot appraise it.") % {
            "appraiser": a,
            "unit": b,
        }
    return None


def assignment_add(
    *, scope: Scope, by: Any, round: AssessmentRound, appraiser: Unit, assessed: Unit
) -> AppraiserAssignment:
    with acting(actor=by), transaction.atomic():
        _require_council(scope, round.year)
        rnd = _require_round(round.year)
        _require_status(rnd, RoundStatus.OPEN, RoundStatus.SELF_SCORING, RoundStatus.APPRAISING)
        problem = pair_problem(tree(), appraiser.pk, assessed.pk, rnd.tree_date)
        if problem:
            raise refuse(problem, "appraiser_unit")
        if AppraiserAssignment.objects.filter(
            round=rnd, appraiser_unit=appraiser, assessed_unit=assessed
        ).exists():
            raise refuse(
                _("%(appraiser)s already appraises %(unit)s.")
                % {"appraiser": appraiser.code, "unit": assessed.code},
                "appraiser_unit",
            )
        a = AppraiserAssignment.objects.create(
            round=rnd, appraiser_unit=appraiser, assessed_unit=assessed
        )
        auditing.record(a, action=auditing.CREATE)
        return a


def assignment_remove(*, scope: Scope, by: Any, assignment: AppraiserAssignment) -> None:
    with acting(actor=by), transaction.atomic():
        rnd = _require_round(assignment.round.year)
        _require_council(scope, rnd.year)
        _require_status(rnd, RoundStatus.OPEN, RoundStatus.SELF_SCORING, RoundStatus.APPRAISING)
        auditing.record(assignment, action=auditing.DELETE, before=auditing.snapshot(assignment))
        assignment.delete()


def assessed_units(rnd: AssessmentRound) -> list[int]:
    """The units of the round: those with a score in the year, else every department, district,
    commune and ward in force on the round's date."""
    ids = set(
        Score.objects.filter(criterion__framework__year=rnd.year).values_list("unit_id", flat=True)
    )
    if ids:
        return sorted(ids)
    snap = tree()
    return sorted(
        u.id for u in snap.units.values() if u.kind in ASSESSED_KINDS and u.valid_on(rnd.tree_date)
    )


def propose_pairs(
    snap: TreeSnapshot, unit_ids: Iterable[int], k: int, on: dt.date
) -> tuple[list[tuple[int, int]], list[int]]:
    """A balanced proposal: every unit appraised by `k` others of its group (never itself, its
    parent or its child), each appraiser's load as even as the constraints allow. Returns
    (appraiser, assessed) pairs and the units left with fewer than `k` appraisers."""
    groups: dict[str, list[int]] = defaultdict(list)
    for u in sorted(unit_ids, key=lambda i: snap.units[i].code):
        groups[rank_group(snap.units[u].kind)].append(u)
    pairs: list[tuple[int, int]] = []
    short: list[int] = []
    for members in groups.values():
        n = len(members)
        load = dict.fromkeys(members, 0)
        for i, assessed in enumerate(members):
            candidates = [
                (load[c], (j - i) % n, c)
                for j, c in enumerate(members)
                if pair_problem_ids(snap, c, assessed, on) is False
            ]
            chosen = [c for _l, _d, c in sorted(candidates)[:k]]
            for c in chosen:
                load[c] += 1
                pairs.append((c, assessed))
            if len(chosen) < k:
                short.append(assessed)
    return pairs, short


def pair_problem_ids(snap: TreeSnapshot, appraiser: int, assessed: int, on: dt.date) -> bool:
    return (
        appraiser == assessed
        or snap.parent_on(assessed, on) == appraiser
        or snap.parent_on(appraiser, on) == assessed
    )


def assignment_propose(
    *, scope: Scope, by: Any, round: AssessmentRound, k: int | None = None
) -> list[AppraiserAssignment]:
    """Replace the round's proposed assignments (those entered by hand stay) with a balanced
    proposal, recorded."""
    with acting(actor=by), transaction.atomic():
        _require_council(scope, round.year)
        rnd = _require_round(round.year)
        _require_status(rnd, RoundStatus.OPEN, RoundStatus.SELF_SCORING)
        k = k or rnd.appraisers_per_unit
        if k < 1:
            raise refuse(_("'%(value)s': at least one appraiser per unit.") % {"value": k}, "k")
        old = list(AppraiserAssignment.objects.filter(round=rnd, proposed=True))
        changes = [auditing.Change(a, auditing.DELETE, auditing.snapshot(a), None) for a in old]
        AppraiserAssignment.objects.filter(pk__in=[a.pk for a in old]).delete()
        manual = set(
            AppraiserAssignment.objects.filter(round=rnd).values_list(
                "appraiser_unit_id", "assessed_unit_id"
            )
        )
        pairs, _short = propose_pairs(tree(), assessed_units(rnd), k, rnd.tree_date)
        created = AppraiserAssignment.objects.bulk_create(
            [
                AppraiserAssignment(
                    round=rnd, appraiser_unit_id=a, assessed_unit_id=b, proposed=True
                )
                for a, b in pairs
                if (a, b) not in manual
            ]
        )
        created = list(AppraiserAssignment.objects.filter(round=rnd, proposed=True).order_by("pk"))
        changes += [
            auditing.Change(a, auditing.CREATE, None, auditing.snapshot(a)) for a in created
        ]
        auditing.record_many(changes, reason=_("balanced proposal"))
        return created


# -- publication ----------------------------------------------------------------------------------
def publish(
    *, scope: Scope, by: Any, round: AssessmentRound, as_of: dt.date | None, expected_version: int
) -> AssessmentRound:
    """Publish the round: every unit's points frozen as they stand (computed criteria with the
    counts behind their rates, survey criteria with their index and answers)."""
    with acting(actor=by), transaction.atomic():
        _require_council(scope, round.year)
        rnd = AssessmentRound.objects.select_for_update().get(pk=round.pk)
        _require_status(rnd, RoundStatus.COUNCIL)
        as_of = as_of or timezone.localdate()
        index = compute_index(year=rnd.year, as_of=as_of, live=True)
        rows = [
            PublishedResult(
                round=rnd,
                unit_id=u.unit_id,
                criterion=p.criterion,
                points=p.points,
                source=p.source,
                rate=p.rate,
                numerator=p.numerator,
                denominator=p.denominator,
            )
            for u in index.units
            for p in u.points
        ]
        PublishedResult.objects.filter(round=rnd).delete()
        PublishedResult.objects.bulk_create(rows, batch_size=2000)
        return writes.update(
            rnd,
            {
                "status": RoundStatus.PUBLISHED,
                "published_at": timezone.now(),
                "published_as_of": as_of,
                "published_by": by if getattr(by, "pk", None) else None,
            },
            expected_version=expected_version,
        )
