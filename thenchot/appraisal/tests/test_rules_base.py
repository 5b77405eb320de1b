"""Shared types: periods, levels, the trace as JSON and in translation, and the purity of the
package (no Django import, discipline codes shared with the discipline app)."""

from __future__ import annotations

import ast
import datetime as dt
import pathlib
import re
import sys

import pytest

from thenchot.appraisal import rules
from thenchot.appraisal.rules import Level, Period, PeriodKind, RuleInputError, TraceStep
from thenchot.appraisal.rules.inputs import DISCIPLINE_FORMS

RULES_DIR = pathlib.Path(rules.__file__).parent


def test_it_imports_nothing_from_django():
    # Stronger than "no Django": every absolute import of the package is the standard library.
    offenders = []
    for path in sorted(RULES_DIR.rglob("*.py")):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [
                f"{path.name}: {name}"
                for name in names
                if name.split(".")[0] not in sys.stdlib_module_names
            ]
    assert offenders == []
    assert len(list(RULES_DIR.glob("*.py"))) >= 10


def test_it_uses_the_discipline_apps_form_codes():
    from thenchot.discipline.rules import FORM_ORDER

    assert DISCIPLINE_FORMS == FORM_ORDER


@pytest.mark.parametrize(
    ("text", "kind", "start", "end"),
    [
        ("2026-03", PeriodKind.MONTH, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        ("2024-02", PeriodKind.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2026-Q4", PeriodKind.QUARTER, dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026", PeriodKind.YEAR, dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ],
)
def test_it_parses_periods_as_the_interchange_writes_them(text, kind, start, end):
    period = Period.parse(text)
    assert (period.kind, period.start, period.end, str(period)) == (kind, start, end, text)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "26-03", "2026/03", ""])
def test_it_refuses_bad_periods(text):
    with pytest.raises(RuleInputError):
        Period.parse(text)


def test_it_lists_the_months_of_a_quarter():
    assert [str(m) for m in Period.parse("2026-Q2").months()] == ["2026-04", "2026-05", "2026-06"]
    assert Period.parse("2026-05").within(Period.parse("2026-Q2"))
    assert not Period.parse("2026-07").within(Period.parse("2026-Q2"))


def test_it_orders_levels_and_only_lowers():
    """rules.md: outcomes.levels, level.2."""
    assert [lv.rank for lv in rules.RATED_LEVELS] == [4, 3, 2, 1]
    assert Level.EXCELLENT.at_most(Level.GOOD) is Level.GOOD
    assert Level.COMPLETE.at_most(Level.EXCELLENT) is Level.COMPLETE
    assert Level.NOT_RATED.at_most(Level.COMPLETE) is Level.NOT_RATED
    assert Level.EXCELLENT.one_below() is Level.GOOD
    assert Level.NOT_COMPLETE.one_below() is Level.NOT_COMPLETE


def test_it_round_trips_a_trace_step_and_renders_it_in_another_language():
    step = TraceStep.make("ceiling.unit_result", Level.EXCELLENT, Level.GOOD, unit_level=Level.GOOD)
    assert TraceStep.from_dict(step.to_dict()) == step
    catalogue = {rules.base.TEMPLATES["ceiling.unit_result"]: "đơn vị %(unit_level)s → %(level)s"}
    assert step.render(lambda msgid: catalogue.get(msgid, msgid)) == "đơn vị good → good"
    assert step.changed


def test_it_gives_every_rule_of_the_trace_a_template_with_its_placeholders():
    for rule, template in rules.base.TEMPLATES.items():
        names = set(re.findall(r"%\((\w+)\)s", template))
        assert template % dict.fromkeys(names, "x"), rule
