"""Readable names for every key of the report (shared/spec/report.md): blocks, figures and the
values figures are counted by (kinds, forms, levels, elements).

A value counted by a model's choices (an inspection's kind, a decision's form) takes the label
of that model field's choices, found through Django's app registry — never by importing the
domain app (reports reads the apps only through their registered blocks); this module's own
table stands in where no installed model has such a field, and a key nobody knows is shown
readably ("by_region" -> "By region") rather than raw.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thenchot.core.registry import report_blocks

Label = str | Promise

# The app whose records a block counts: where its choice labels are looked for first.
BLOCK_APPS = {
    "inspections": "inspections",
    "discipline": "discipline",
    "rotations": "rotation",
    "processes": "processes",
    "cases": "processes",
    "tasks": "directives",
    "evaluations": "appraisal",
    "satisfaction": "surveys",
    "reform": "reform",
    "commendations": "commendations",
}

BLOCK_TITLES: dict[str, Label] = {
    "inspections": _("Public-service inspections"),
    "discipline": _("Discipline"),
    "rotations": _("Periodic job rotation"),
    "processes": _("Internal procedures"),
    "cases": _("Cases"),
    "tasks": _("Tasks"),
    "evaluations": _("Evaluations"),
    "satisfaction": _("Satisfaction"),
    "reform": _("Administrative reform index"),
    "commendations": _("Commendations"),
}

# (block, key) first, then (None, key): the figures of every block of report.md.
FIGURES: dict[tuple[str | None, str], Label] = {
    ("inspections", "total"): _("Inspections started"),
    ("inspections", "by_kind"): _("Inspections by kind"),
    ("inspections", "by_conductor"): _("Inspections by conducting unit"),
    ("inspections", "recommendations"): _("Recommendations"),
    ("recommendations", "total"): _("Recommendations made"),
    ("recommendations", "done"): _("Done"),
    ("recommendations", "overdue"): _("Overdue"),
    ("by_conductor", "unit"): _("Conducting unit"),
    ("discipline", "people"): _("People disciplined"),
    ("discipline", "decisions"): _("Disciplinary decisions"),
    ("discipline", "by_form"): _("Decisions by form"),
    ("rotations", "total"): _("Periodic rotations"),
    ("rotations", "by_kind"): _("Periodic rotations by kind"),
    ("rotations", "cadre_rotation"): _("Cadre rotations of leaders"),
    ("processes", "in_force"): _("Procedures in force"),
    ("processes", "in_force_by_level"): _("Procedures in force by level"),
    ("processes", "approved_in_range"): _("Procedures approved in the period"),
    ("cases", "received"): _("Cases received"),
    ("cases", "completed_on_time"): _("Completed on time"),
    ("cases", "completed_late"): _("Completed late"),
    ("cases", "overdue"): _("Overdue"),
    ("tasks", "assigned"): _("Tasks assigned"),
    ("tasks", "due"): _("Tasks due"),
    ("tasks", "completed_on_time"): _("Completed on time"),
    ("tasks", "completed_late"): _("Completed late"),
    ("tasks", "overdue"): _("Overdue"),
    ("tasks", "in_progress"): _("Still in progress"),
    ("tasks", "extensions_requested"): _("Extensions requested"),
    ("tasks", "extensions_approved"): _("Extensions approved"),
    ("evaluations", "by_level"): _("Monthly results by level"),
    ("evaluations", "rated"): _("Monthly results rated"),
    ("evaluations", "active_staff"): _("Active staff"),
    ("evaluations", "years"): _("Closed years"),
    ("years", "by_level"): _("Yearly results by level"),
    ("years", "rated"): _("Yearly results rated"),
    ("satisfaction", "responses"): _("Survey responses"),
    ("satisfaction", "index"): _("Satisfaction index (%)"),
    ("satisfaction", "by_element"): _("Satisfaction by element (%)"),
    ("reform", "year"): _("Year"),
    ("reform", "units"): _("Units ranked"),
    ("units", "unit"): _("Unit"),
    ("units", "total"): _("Points"),
    ("units", "rank"): _("Rank"),
    ("commendations", "total"): _("Commendations"),
    ("commendations", "by_kind"): _("Commendations by kind"),
    ("commendations", "people"): _("People commended"),
    ("commendations", "units"): _("Units commended"),
    ("commendations", "innovation"): _("For innovation"),
    ("reform", "published"): _("Published figures"),
    ("units", "group"): _("Group"),
    ("units", "criteria"): _("Points, criterion"),
    ("units", "sources"): _("Source, criterion"),
    ("units", "name"): _("Name"),
    (None, "total"): _("Total"),
    (None, "unit"): _("Unit"),
    (None, "by_kind"): _("By kind"),
    (None, "by_level"): _("By level"),
    (None, "by_form"): _("By form"),
    (None, "by_element"): _("By element"),
    (None, "done"): _("Done"),
    (None, "overdue"): _("Overdue"),
    (None, "rank"): _("Rank"),
    (None, "year"): _("Year"),
}

# Values a figure is counted by, where no installed model's choices name them.
VALUES: dict[str, Label] = {
    # inspections.kind
    "planned": _("Planned"),
    "surprise": _("Surprise"),
    "verification": _("Verification"),
    # discipline.form
    "reprimand": _("Reprimand"),
    "warning": _("Warning"),
    "salary_step_down": _("Salary step-down"),
    "demotion": _("Demotion"),
    "removal_from_post": _("Removal from post"),
    "dismissal_from_office": _("Dismissal from office"),
    "forced_dismissal": _("Forced dismissal"),
    # rotation.kind
    "between_divisions_same_specialty": _("Between divisions, same specialty"),
    "between_fields_within_division": _("Between fields within a division"),
    "between_agencies": _("Between agencies"),
    "cadre_rotation": _("Cadre rotation of leaders"),
    # processes.level
    "department": _("Department level"),
    "district": _("District level"),
    "commune": _("Commune level"),
    "inter_level": _("Inter-level"),
    # evaluation levels
    "excellent": _("Excellent"),
    "good": _("Good"),
    "complete": pgettext_lazy("evaluation level", "Complete"),
    "not_complete": _("Not complete"),
    "not_rated": _("Not rated"),
    # satisfaction elements
    "access": _("Access to the service"),
    "procedure": _("Administrative procedure"),
    "civil_servant": _("Civil servants"),
    "result": _("Result of the service"),
    "feedback": _("Handling of feedback"),
    # commendation kinds
    "certificate": _("Certificate of merit"),
    "merit_certificate": _("Merit certificate"),
    "emulation_fighter": _("Emulation fighter"),
    "emulation_flag": _("Emulation flag"),
    "medal": _("Medal"),
    "other": _("Other"),
    # reform: groups of units and where a criterion's points come from
    "commune_ward": _("Communes and wards"),
    "self": _("Self-assessed"),
    "appraised": _("Appraised"),
    "council": _("Council"),
    "computed": _("Computed"),
    "survey": _("Survey"),
    "none": _("None given"),
}


def readable(key: str) -> str:
    """A key nobody labelled, readable: "by_region" -> "By region"."""
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else str(key)


def block_title(key: str) -> Label:
    block = report_blocks.get(key) if key in report_blocks else None
    if block is not None and block.title:
        return block.title
    return BLOCK_TITLES.get(key) or readable(key)


def figure_label(key: str, *, parent: str | None = None, block: str | None = None) -> Label:
    """The label of figure `key` inside `parent` (a nested object's key) of `block`."""
    # Inside a nested object the object names the figure ("recommendations" -> "total"); at a
    # block's top level the block does ("inspections" -> "total").
    for owner in (parent if parent is not None else block, None):
        if (owner, key) in FIGURES:
            return FIGURES[(owner, key)]
    return readable(key)


def _models_of(app_label: str | None) -> Iterable[Any]:
    if app_label is not None:
        try:
            return apps.get_app_config(app_label).get_models()
        except LookupError:
            return ()
    return apps.get_models()


@cache
def _choice_map(app_label: str | None, keys: frozenset[str]) -> dict[str, Label]:
    """The choices of the model field (of `app_label`'s models, or any) naming the most of
    `keys` — all of them, ideally."""
    best: dict[str, Label] = {}
    best_hits = 0
    for model in _models_of(app_label):
        for field in model._meta.get_fields():
            choices = getattr(field, "flatchoices", None)
            if not choices:
                continue
            mapping = {str(value): label for value, label in choices}
            hits = len(keys & mapping.keys())
            if hits > best_hits:
                best, best_hits = mapping, hits
                if hits == len(keys):
                    return best
    return best


def known_value_label(key: str, *, block: str | None) -> Label | None:
    """The label of one value if an installed model's choices or this table name it."""
    found = _choice_map(BLOCK_APPS.get(block or ""), frozenset([str(key)]))
    return found.get(str(key)) or VALUES.get(str(key))


def value_labels(keys: Iterable[str], *, block: str | None) -> dict[str, Label]:
    """Labels of the values a figure is counted by (the keys of `by_kind`, `by_form`, ...)."""
    wanted = frozenset(str(k) for k in keys)
    found = dict(_choice_map(BLOCK_APPS.get(block or ""), wanted)) if wanted else {}
    out: dict[str, Label] = {}
    for key in wanted:
        out[key] = found.get(key) or VALUES.get(key) or readable(key)
    return out
