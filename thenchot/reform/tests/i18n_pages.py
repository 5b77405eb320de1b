"""The reform pages for the language test (tests/i18n/plugins.py): a 2026 framework, a round at
the council stage with a disagreement, and the records of a computed criterion."""

from __future__ import annotations

from typing import Any

from thenchot.reform.choices import RoundStatus
from thenchot.reform.models import AppraiserAssignment
from thenchot.reform.testing import framework_with, round_for, score

YEAR = 2026


def build(pw: Any) -> None:
    w = pw.people
    framework_with(
        YEAR,
        ("1.1", 10, "self", "", "I. Công tác chỉ đạo"),
        ("1.2", 6, "computed", "on_time_task_rate", "I. Công tác chỉ đạo"),
        ("9.1", -3, "appraised", "", "IX. Điểm thưởng, điểm trừ"),
    )
    rnd = round_for(YEAR, RoundStatus.COUNCIL, secretariat_unit=w.snv)
    score(w.snv, YEAR, "1.1", self_points=9, appraised_points=7)
    score(w.stc, YEAR, "1.1", self_points=8)
    AppraiserAssignment.objects.create(round=rnd, appraiser_unit=w.stc, assessed_unit=w.snv)
    pw.extra["reform_round"] = rnd


def _year(pw: Any) -> dict[str, Any]:
    return {"year": YEAR}


def _unit(pw: Any) -> dict[str, Any]:
    return {"year": YEAR, "unit": pw.people.snv.code}


ARGS = {
    "reform:framework": _year,
    "reform:framework_import": _year,
    "reform:framework_copy": _year,
    "reform:round": _year,
    "reform:round_save": _year,
    "reform:round_advance": _year,
    "reform:round_propose": _year,
    "reform:round_assign": _year,
    "reform:council": _year,
    "reform:council_decide": _year,
    "reform:publish": _year,
    "reform:ranking": _year,
    "reform:compare": _year,
    "reform:self": _unit,
    "reform:appraise": _unit,
    "reform:records": lambda pw: {
        "year": YEAR,
        "source": "on_time_task_rate",
        "unit": pw.people.snv.code,
    },
}
POST_ONLY = {
    "reform:framework_import": "reform:framework",
    "reform:framework_copy": "reform:framework",
    "reform:round_save": "reform:round",
    "reform:round_advance": "reform:round",
    "reform:round_propose": "reform:round",
    "reform:round_assign": "reform:round",
    "reform:council_decide": "reform:council",
    "reform:publish": "reform:council",
}
