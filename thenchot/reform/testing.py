"""Factories for the reform index (tests, the bench). They write rows directly (no service, no
audit): use them to arrange a situation, and the services to exercise a behaviour."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from thenchot.reform.choices import RoundStatus
from thenchot.reform.models import AssessmentRound, Content, Criterion, Framework, Score


def framework_with(year: int, *rows: tuple[Any, ...]) -> Framework:
    """rows: (code, max_points, method, source="", content="I", parent_code="")."""
    fw, _ = Framework.objects.get_or_create(year=year)
    by_code: dict[str, Criterion] = {}
    for position, row in enumerate(rows, start=1):
        code, top, method = row[0], row[1], row[2]
        source = row[3] if len(row) > 3 else ""
        content_name = row[4] if len(row) > 4 else "I"
        parent = row[5] if len(row) > 5 else ""
        content, _ = Content.objects.get_or_create(framework=fw, name=content_name)
        by_code[code] = Criterion.objects.create(
            framework=fw,
            content=content,
            code=code,
            name=f"Tiêu chí {code}",
            max_points=Decimal(str(top)),
            method=method,
            source=source,
            position=position,
            parent=by_code.get(parent),
        )
    return fw


def round_for(year: int, status: str = RoundStatus.OPEN, **kw: Any) -> AssessmentRound:
    kw.setdefault("tree_date", dt.date(year, 6, 30))
    return AssessmentRound.objects.create(year=year, status=status, **kw)


def score(unit: Any, year: int, code: str, **points: Any) -> Score:
    c = Criterion.objects.get(framework__year=year, code=code)
    values = {k: (Decimal(str(v)) if v is not None else None) for k, v in points.items()}
    s, _ = Score.objects.update_or_create(unit=unit, criterion=c, defaults=values)
    return s
