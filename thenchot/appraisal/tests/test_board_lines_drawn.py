"""Issue 18: the board's lines are drawn by `board_lines` (a string a line) instead of a
template loop of some 60 nodes a line, and their inputs' values without a form a line. What
they draw is what the loop drew, byte for byte, in both languages: the loop is kept here as
the reference; the values are those of the review row form."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from django.template import engines
from django.utils import translation

from thenchot.appraisal.forms import ReviewRowForm
from thenchot.appraisal.templatetags.appraisal_labels import board_lines
from thenchot.appraisal.views.manager_board import _line_values

# The loop `appraisal/_board.html` drew the lines with (the lines' words translated first).
LOOP = '{% load i18n thenchot_numbers appraisal_labels %}{% translate "head" as t_head %}{% translate "late" as t_late %}{% translate "handled by the manager" as t_handled %}{% translate "rated by the City leadership" as t_collective %}{% translate "past the deadline" as t_past %}{% translate "by the points:" as t_by_points %}{% translate \'General points\' as t_general %}{% translate \'Task points\' as t_tasks %}{% translate \'Bonus points\' as t_bonus %}{% translate \'Level\' as t_level %}{% translate \'Comment (required to adjust or return)\' as t_comment_hint %}{% translate \'Comment\' as t_comment %}{% translate "Review" as t_review %}{% translate "Return" as t_return %}{% translate "Approve" as t_approve %}{% translate \'The record will say the manager assessed this person.\' as t_handle_title %}{% translate "Assess on their behalf" as t_handle %}\n        {% for l in rows %}\n        <tr class="board-row{% if l.errors %} table-danger{% endif %}" id="row-{{ l.pk }}" data-staff="{{ l.staff_code }}" data-status="{{ l.status }}">\n          <td>{% if l.may_select %}<input type="checkbox" class="form-check-input" name="selected" value="{{ l.pk }}" aria-label="{{ l.name }}"{% if l.pk in selected %} checked{% endif %}>{% endif %}</td>\n          <td><a href="{{ l.url }}">{{ l.name }}</a>\n            <div class="small text-body-secondary">{{ l.staff_code }}{% if l.is_head %} · {{ t_head }}{% endif %}{% if l.other_unit %} · {{ l.unit_name }}{% endif %}</div>\n            {% if l.submitted_late %}<span class="badge text-bg-warning">{{ t_late }}</span>{% endif %}\n            {% if l.handled_by_manager %}<span class="badge text-bg-warning handled-flag">{{ t_handled }}</span>{% endif %}\n            {% if l.collective %}<span class="badge text-bg-light border">{{ t_collective }}</span>{% endif %}\n            {% if l.errors %}<div class="small text-danger row-errors">{% for e in l.errors %}<div>{{ e }}</div>{% endfor %}</div>{% endif %}</td>\n          <td>{{ l.status|status_badge }}\n{% if l.late %}<div><span class="badge text-bg-danger">{{ t_past }}</span></div>{% endif %}</td>\n          <td class="text-end text-nowrap small">{{ l.general_points|number|default:"—" }} / {{ l.task_points|number|default:"—" }} / {{ l.bonus_points|number|default:"—" }}\n            {% if l.reviewed %}<div class="text-primary">{{ l.reviewed_general_points|number|default:"·" }} / {{ l.reviewed_task_points|number|default:"·" }} / {{ l.reviewed_bonus_points|number|default:"·" }}</div>{% endif %}</td>\n          <td class="text-end fw-semibold">{{ l.total|number|default:"—" }}</td>\n          <td>{{ l.level|level_badge:l.grade }}\n\n            {% if l.by_points and l.by_points != l.level %}<div class="small text-body-secondary by-points" data-level="{{ l.by_points }}">{{ t_by_points }} {{ l.by_points|level_badge }}\n</div>{% endif %}</td>\n          <td>{{ l.last_level|level_badge }}\n</td>\n          <td>{% if l.inputs %}\n            <div class="d-flex gap-1">\n              <input type="text" inputmode="decimal" autocomplete="off" class="form-control form-control-sm" style="width: 4.25rem" name="{{ l.pk }}-general_points" value="{{ l.values.general_points|number_input }}" aria-label="{{ t_general }}">\n              <input type="text" inputmode="decimal" autocomplete="off" class="form-control form-control-sm" style="width: 4.25rem" name="{{ l.pk }}-task_points" value="{{ l.values.task_points|number_input }}" aria-label="{{ t_tasks }}">\n              <input type="text" inputmode="decimal" autocomplete="off" class="form-control form-control-sm" style="width: 3.75rem" name="{{ l.pk }}-bonus_points" value="{{ l.values.bonus_points|number_input }}" aria-label="{{ t_bonus }}">\n              <select class="form-select form-select-sm" style="width: 8rem" name="{{ l.pk }}-level" aria-label="{{ t_level }}">\n                {% for value, label in level_choices %}<option value="{{ value }}"{% if l.values.level == value %} selected{% endif %}>{{ label }}</option>{% endfor %}\n              </select>\n            </div>\n            <input type="text" class="form-control form-control-sm mt-1" name="{{ l.pk }}-comment" value="{{ l.values.comment|default_if_none:\'\' }}" placeholder="{{ t_comment_hint }}" aria-label="{{ t_comment }}">\n            {% elif l.review_comment %}<span class="small">{{ l.review_comment }}</span>{% endif %}</td>\n          <td><div class="d-grid gap-1">\n            {% if l.may_review %}\n            <button type="submit" name="action" value="review:{{ l.pk }}" class="btn btn-sm btn-outline-primary">{{ t_review }}</button>\n            <button type="submit" name="action" value="return:{{ l.pk }}" class="btn btn-sm btn-outline-warning">{{ t_return }}</button>\n            {% endif %}\n            {% if l.may_approve %}<button type="submit" name="action" value="approve:{{ l.pk }}" class="btn btn-sm btn-outline-success">{{ t_approve }}</button>{% endif %}\n            {% if l.may_handle %}<button type="submit" name="action" value="handle:{{ l.pk }}" class="btn btn-sm btn-outline-danger" title="{{ t_handle_title }}">{{ t_handle }}</button>{% endif %}\n          </div></td>\n        </tr>\n        {% endfor %}'

POINTS = [
    None,
    Decimal("0"),
    Decimal("0.00"),
    Decimal("50.50"),
    Decimal("12.25"),
    Decimal("1234.5"),
]
LEVELS = ["", "excellent", "good", "complete", "not_complete", "not_rated", "unknown"]
STATUSES = ["draft", "returned", "self_assessed", "reviewed", "approved", "closed", "odd"]


def _lines(count: int) -> list[dict[str, Any]]:
    rng = random.Random(18)
    out = []
    for pk in range(1, count + 1):
        pick = rng.choice
        inputs = pick([True, False])
        out.append(
            {
                "pk": pk * 997,
                "url": f"/appraisal/evaluations/{pk * 997}/",
                "name": pick(["Nguyễn Văn An", "Lê <b>Thị</b> & Bình", 'Trần "Cường"']),
                "staff_code": pick(["CB0001", "A&B<1>"]),
                "status": pick(STATUSES),
                "is_head": pick([True, False]),
                "other_unit": pick([True, False]),
                "unit_name": pick(["Phòng Tổng hợp", "Văn phòng <Sở>"]),
                "submitted_late": pick([True, False]),
                "handled_by_manager": pick([True, False]),
                "general_points": pick(POINTS),
                "task_points": pick(POINTS),
                "bonus_points": pick(POINTS),
                "reviewed": pick([True, False]),
                "reviewed_general_points": pick(POINTS),
                "reviewed_task_points": pick(POINTS),
                "reviewed_bonus_points": pick(POINTS),
                "review_comment": pick(["", "Tốt", "a < b & c"]),
                "total": pick(POINTS),
                "level": pick(LEVELS),
                "grade": pick([None, "", "A", "<i>"]),
                "by_points": pick(LEVELS),
                "last_level": pick(LEVELS),
                "late": pick([True, False]),
                "collective": pick([True, False]),
                "may_select": pick([True, False]),
                "may_review": pick([True, False]),
                "may_approve": pick([True, False]),
                "may_handle": pick([True, False]),
                "inputs": inputs,
                "values": {
                    "general_points": pick(["", None, "50,5", "abc", "12.25", "<x>"]),
                    "task_points": pick([None, "60"]),
                    "bonus_points": pick(["", "1.234,5"]),
                    "level": pick([None, "", "good", "excellent", "not_complete", "zzz"]),
                    "comment": pick([None, "", "Ghi chú", 'x"<y>&z']),
                }
                if inputs
                else {},
                "errors": pick([[], ["Nhập số <0>", "Bắt buộc & cần"]]),
            }
        )
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_it_draws_the_lines_the_loop_drew(lang):  # type: ignore[no-untyped-def]
    lines = _lines(300)
    choices = ReviewRowForm.base_fields["level"].choices  # type: ignore[attr-defined]
    selected = {line["pk"] for line in lines[::3]}
    loop = engines["django"].from_string(LOOP)
    with translation.override(lang):
        expected = loop.render({"rows": lines, "selected": selected, "level_choices": choices})
        # The loop follows the translations' line: the lines start after its "\n        ".
        assert "\n        " + board_lines(lines, selected, choices) == expected
        assert board_lines([], set(), choices) == ""


class _Row:
    """What `_line_values` reads of a board line."""

    def __init__(self, pk: int, status: str, may_review: bool, **review: Any) -> None:
        self.may_review = may_review
        self.evaluation = type("Ev", (), {"pk": pk, "status": status, **review})()


@pytest.mark.parametrize("status", ["self_assessed", "reviewed", "draft"])
@pytest.mark.parametrize("may_review", [True, False])
def test_it_shows_the_values_the_review_form_shows(status, may_review):  # type: ignore[no-untyped-def]
    for general, level, comment in [
        (None, "", ""),
        (Decimal("50.50"), "good", "Đạt <yêu cầu>"),
        (Decimal("0"), "not_complete", ""),
    ]:
        row = _Row(
            7,
            status,
            may_review,
            reviewed_general_points=general,
            reviewed_task_points=Decimal("12.25"),
            reviewed_bonus_points=None,
            reviewed_level=level,
            review_comment=comment,
        )
        from thenchot.appraisal.views.manager_board import _review_initial

        form = ReviewRowForm(None, prefix="7", initial=_review_initial(row))  # type: ignore[arg-type]
        for lang in ("vi", "en"):
            with translation.override(lang):
                expected = {name: form[name].value() for name in ReviewRowForm.base_fields}
                assert _line_values(row, None) == expected  # type: ignore[arg-type]


def test_the_page_rows_columns_are_the_lines_fields():  # type: ignore[no-untyped-def]
    from dataclasses import fields

    from thenchot.appraisal import views_support as vs

    named = {
        "staff__full_name": "full_name",
        "staff__code": "staff_code",
        "unit__name": "unit_name",
    }
    columns = [named.get(c, c) for c in vs._PAGE_COLUMNS]
    assert [f.name for f in fields(vs.BoardEvaluation)] == [*columns, "period"]
