"""`{% load appraisal_labels %}`: `{{ use.group|quota_group }}`, `{{ use.base_label|quota_base }}`,
`{{ use.ratio|quota_ratio }}`; the status and level badges, `{{ ev.status|status_badge }}` and
`{{ row.level|level_badge:row.grade }}`, the markup of `appraisal/_status.html` and
`appraisal/_level.html` (without their closing newline) for the lines of a long list: a filter
costs a call where an include pushed a context and rendered a template (issue 18: the board's
lines drew four badges each)."""

from __future__ import annotations

import html
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from thenchot.appraisal import labels
from thenchot.appraisal.views_support import (
    LEVEL_CLASSES,
    LEVEL_LABELS,
    STATUS_CLASSES,
    STATUS_LABELS,
)
from thenchot.core.templatetags.thenchot_numbers import number, number_input

register = template.Library()
register.filter("quota_group", labels.group_label)
register.filter("quota_base", labels.base_label)
register.filter("quota_ratio", labels.ratio_percent)

_NO_LEVEL = mark_safe('<span class="text-body-secondary">—</span>')


def _text(value: Any) -> str:
    # What `{{ mapping|get_item:key }}` printed for a missing key.
    return "None" if value is None else str(value)


@register.filter
def status_badge(status: Any) -> SafeString:
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        _text(STATUS_CLASSES.get(status)),
        status,
        _text(STATUS_LABELS.get(status)),
    )


@register.filter
def level_badge(level: Any, grade: Any = None) -> SafeString:
    if not level:
        return _NO_LEVEL
    return format_html(
        '<span class="badge text-wrap text-start {}" data-level="{}">{}{}</span>',
        _text(LEVEL_CLASSES.get(level)),
        level,
        _text(LEVEL_LABELS.get(level)),
        format_html(" ({})", grade) if grade else "",
    )


# -- the board's lines -----------------------------------------------------------------------------
def _esc(value: Any) -> str:
    # What `{{ value }}` prints: `conditional_escape` (Django's `escape` is `html.escape`).
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


class _Page:
    """What the lines of one page repeat, drawn once each: the numbers' `number` and
    `number_input`, the status and level badges, the level options with each one selected."""

    def __init__(self, choices: Any) -> None:
        self._choices = list(choices)
        self._kept: dict[tuple[Any, ...], str] = {}

    def _get(self, key: tuple[Any, ...], draw: Any, *args: Any) -> str:
        text = self._kept.get(key)
        if text is None:
            text = self._kept[key] = draw(*args)
        return text

    def shown(self, value: Any, empty: str) -> str:
        text = self._get(("n", type(value), value), _number_text, value)
        return text or empty

    def typed(self, value: Any) -> str:
        return self._get(("i", type(value), value), _input_text, value)

    def status(self, status: Any) -> str:
        return self._get(("s", status), status_badge, status)

    def level(self, level: Any, grade: Any = None) -> str:
        return self._get(("l", level, grade), level_badge, level, grade)

    def options(self, chosen: Any) -> str:
        return self._get(("o", type(chosen), chosen), self._options, chosen)

    def _options(self, chosen: Any) -> str:
        return "".join(
            f'<option value="{_esc(value)}"{" selected" if chosen == value else ""}>'
            f"{_esc(label)}</option>"
            for value, label in self._choices
        )


def _number_text(value: Any) -> str:
    return _esc(number(value))


def _input_text(value: Any) -> str:
    return _esc(number_input(value))


def _labels() -> dict[str, str]:
    """The lines' words, translated once a page (the msgids the loop's `translate` tags had)."""
    words = {
        "head": gettext("head"),
        "late": gettext("late"),
        "handled": gettext("handled by the manager"),
        "collective": gettext("rated by the City leadership"),
        "past": gettext("past the deadline"),
        "by_points": gettext("by the points:"),
        "general": gettext("General points"),
        "tasks": gettext("Task points"),
        "bonus": gettext("Bonus points"),
        "level": gettext("Level"),
        "comment_hint": gettext("Comment (required to adjust or return)"),
        "comment": gettext("Comment"),
        "review": gettext("Review"),
        "return": gettext("Return"),
        "approve": gettext("Approve"),
        "handle_title": gettext("The record will say the manager assessed this person."),
        "handle": gettext("Assess on their behalf"),
    }
    return {key: _esc(text) for key, text in words.items()}


def _board_line(
    line: dict[str, Any],
    selected: Any,
    t: dict[str, str],
    page: _Page,
) -> str:
    pk = str(line["pk"])
    name = _esc(line["name"])
    code = _esc(line["staff_code"])
    errors = line["errors"]
    out = [
        f'\n        <tr class="board-row{" table-danger" if errors else ""}" id="row-{pk}"'
        f' data-staff="{code}" data-status="{_esc(line["status"])}">\n          <td>'
    ]
    if line["may_select"]:
        checked = " checked" if line["pk"] in selected else ""
        out.append(
            f'<input type="checkbox" class="form-check-input" name="selected" value="{pk}"'
            f' aria-label="{name}"{checked}>'
        )
    out.append(
        f'</td>\n          <td><a href="{_esc(line["url"])}">{name}</a>\n'
        f'            <div class="small text-body-secondary">{code}'
    )
    if line["is_head"]:
        out.append(f" · {t['head']}")
    if line["other_unit"]:
        out.append(f" · {_esc(line['unit_name'])}")
    out.append("</div>\n            ")
    if line["submitted_late"]:
        out.append(f'<span class="badge text-bg-warning">{t["late"]}</span>')
    out.append("\n            ")
    if line["handled_by_manager"]:
        out.append(f'<span class="badge text-bg-warning handled-flag">{t["handled"]}</span>')
    out.append("\n            ")
    if line["collective"]:
        out.append(f'<span class="badge text-bg-light border">{t["collective"]}</span>')
    out.append("\n            ")
    if errors:
        shown = "".join(f"<div>{_esc(e)}</div>" for e in errors)
        out.append(f'<div class="small text-danger row-errors">{shown}</div>')
    out.append(f"</td>\n          <td>{page.status(line['status'])}\n")
    if line["late"]:
        out.append(f'<div><span class="badge text-bg-danger">{t["past"]}</span></div>')
    out.append(
        '</td>\n          <td class="text-end text-nowrap small">'
        f"{page.shown(line['general_points'], '—')} / "
        f"{page.shown(line['task_points'], '—')} / "
        f"{page.shown(line['bonus_points'], '—')}\n            "
    )
    if line["reviewed"]:
        out.append(
            '<div class="text-primary">'
            f"{page.shown(line['reviewed_general_points'], '·')} / "
            f"{page.shown(line['reviewed_task_points'], '·')} / "
            f"{page.shown(line['reviewed_bonus_points'], '·')}</div>"
        )
    level, by_points = line["level"], line["by_points"]
    out.append(
        '</td>\n          <td class="text-end fw-semibold">'
        f"{page.shown(line['total'], '—')}</td>\n"
        f"          <td>{page.level(level, line['grade'])}\n\n            "
    )
    if by_points and by_points != level:
        out.append(
            '<div class="small text-body-secondary by-points"'
            f' data-level="{_esc(by_points)}">{t["by_points"]} {page.level(by_points)}\n</div>'
        )
    out.append(f"</td>\n          <td>{page.level(line['last_level'])}\n</td>\n          <td>")
    if line["inputs"]:
        values = line["values"]
        options = page.options(values.get("level"))
        comment = values.get("comment")
        out.append(
            '\n            <div class="d-flex gap-1">\n'
            '              <input type="text" inputmode="decimal" autocomplete="off"'
            ' class="form-control form-control-sm" style="width: 4.25rem"'
            f' name="{pk}-general_points" value="{page.typed(values.get("general_points"))}"'
            f' aria-label="{t["general"]}">\n'
            '              <input type="text" inputmode="decimal" autocomplete="off"'
            ' class="form-control form-control-sm" style="width: 4.25rem"'
            f' name="{pk}-task_points" value="{page.typed(values.get("task_points"))}"'
            f' aria-label="{t["tasks"]}">\n'
            '              <input type="text" inputmode="decimal" autocomplete="off"'
            ' class="form-control form-control-sm" style="width: 3.75rem"'
            f' name="{pk}-bonus_points" value="{page.typed(values.get("bonus_points"))}"'
            f' aria-label="{t["bonus"]}">\n'
            '              <select class="form-select form-select-sm" style="width: 8rem"'
            f' name="{pk}-level" aria-label="{t["level"]}">\n'
            f"                {options}\n"
            "              </select>\n"
            "            </div>\n"
            '            <input type="text" class="form-control form-control-sm mt-1"'
            f' name="{pk}-comment" value="{"" if comment is None else _esc(comment)}"'
            f' placeholder="{t["comment_hint"]}" aria-label="{t["comment"]}">\n            '
        )
    elif line["review_comment"]:
        out.append(f'<span class="small">{_esc(line["review_comment"])}</span>')
    out.append('</td>\n          <td><div class="d-grid gap-1">\n            ')
    if line["may_review"]:
        out.append(
            '\n            <button type="submit" name="action" value="review:'
            f'{pk}" class="btn btn-sm btn-outline-primary">{t["review"]}</button>\n'
            '            <button type="submit" name="action" value="return:'
            f'{pk}" class="btn btn-sm btn-outline-warning">{t["return"]}</button>\n            '
        )
    out.append("\n            ")
    if line["may_approve"]:
        out.append(
            '<button type="submit" name="action" value="approve:'
            f'{pk}" class="btn btn-sm btn-outline-success">{t["approve"]}</button>'
        )
    out.append("\n            ")
    if line["may_handle"]:
        out.append(
            '<button type="submit" name="action" value="handle:'
            f'{pk}" class="btn btn-sm btn-outline-danger" title="{t["handle_title"]}">'
            f"{t['handle']}</button>"
        )
    out.append("\n          </div></td>\n        </tr>\n        ")
    return "".join(out)


@register.simple_tag
def board_lines(rows: list[dict[str, Any]], selected: Any, choices: Any) -> SafeString:
    """The board's lines (`<tr>` each, what a loop over them in the template drew, its
    whitespace included): built here, one string a line, where the loop rendered some 60 nodes a
    line (issue 18: the lines were most of the board's template time)."""
    t = _labels()
    page = _Page(choices)
    return mark_safe("".join(_board_line(line, selected, t, page) for line in rows))
