"""The narrative summary of a report, written from its figures as a leader would write it:
"Trong 9 tháng đầu năm 2023, Thành phố đã tiến hành 1.031 cuộc kiểm tra công vụ, trong đó
28 cuộc đột xuất …".

One composer per block of report.md; a block this module does not know is summed up by the
block's own `narrative` (registered with it), if any. Sentences are written in the active
language: the official PDF renders them under Vietnamese whatever the reader's language.
Numbers are written as the language writes them ("1.031").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from thenchot.core.registry import report_blocks
from thenchot.reports import labels
from thenchot.reports.presentation import number_text, unit_name
from thenchot.reports.ranges import range_phrase


@dataclass(frozen=True)
class Subject:
    """Who the report is about and over what range, as the sentences name them."""

    unit: str  # "Thành phố", "Sở Nội vụ"
    period: str  # "9 tháng đầu năm 2023"


def n(value: Any) -> str:
    return number_text(value)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _listing(counts: dict[str, Any], *, block: str) -> str:
    """ "38 between divisions, same specialty, 11 between fields" — the non-zero counts."""
    names = labels.value_labels(counts.keys(), block=block)
    parts = [
        _("%(number)s %(label)s") % {"number": n(v), "label": _lower_first(str(names[str(k)]))}
        for k, v in counts.items()
        if isinstance(v, (int, float)) and v
    ]
    return "; ".join(parts)


def _inspections(b: dict[str, Any], s: Subject) -> list[str]:
    kinds = b.get("by_kind", {})
    out = [
        _(
            "In %(period)s, %(unit)s carried out %(total)s public-service inspections, of "
            "which %(planned)s planned, %(surprise)s surprise and %(verification)s "
            "verifications."
        )
        % {
            "period": s.period,
            "unit": s.unit,
            "total": n(b.get("total", 0)),
            "planned": n(kinds.get("planned", 0)),
            "surprise": n(kinds.get("surprise", 0)),
            "verification": n(kinds.get("verification", 0)),
        }
    ]
    conductors = sorted(b.get("by_conductor", []), key=lambda r: -int(r.get("total", 0)))
    if conductors:
        named = "; ".join(
            _("%(unit)s: %(number)s") % {"unit": unit_name(r["unit"]), "number": n(r["total"])}
            for r in conductors[:5]
        )
        out.append(_("By conducting unit: %(list)s.") % {"list": named})
    recs = b.get("recommendations") or {}
    if recs.get("total"):
        out.append(
            _(
                "The inspections made %(total)s recommendations: %(done)s have been carried "
                "out and %(overdue)s are overdue."
            )
            % {
                "total": n(recs["total"]),
                "done": n(recs.get("done", 0)),
                "overdue": n(recs.get("overdue", 0)),
            }
        )
    return out


def _discipline(b: dict[str, Any], s: Subject) -> list[str]:
    if not b.get("decisions"):
        return [_("Nobody was disciplined in the period.")]
    return [
        _("%(unit)s disciplined %(people)s people by %(decisions)s decisions (%(forms)s).")
        % {
            "unit": s.unit,
            "people": n(b.get("people", 0)),
            "decisions": n(b["decisions"]),
            "forms": _listing(b.get("by_form", {}), block="discipline"),
        }
    ]


def _rotations(b: dict[str, Any], s: Subject) -> list[str]:
    if not b.get("total"):
        return [_("No periodic job rotation took effect in the period.")]
    return [
        _("Periodic job rotation was carried out for %(total)s people (%(kinds)s).")
        % {"total": n(b["total"]), "kinds": _listing(b.get("by_kind", {}), block="rotations")}
    ]


def _processes(b: dict[str, Any], s: Subject) -> list[str]:
    return [
        _(
            "At the end of the period %(in_force)s internal procedures were in force "
            "(%(levels)s); %(approved)s were approved in the period."
        )
        % {
            "in_force": n(b.get("in_force", 0)),
            "levels": _listing(b.get("in_force_by_level", {}), block="processes"),
            "approved": n(b.get("approved_in_range", 0)),
        }
    ]


def _cases(b: dict[str, Any], s: Subject) -> list[str]:
    return [
        _(
            "%(received)s cases were received; of the cases due or completed in the period, "
            "%(on_time)s were completed on time, %(late)s late, and %(overdue)s are overdue."
        )
        % {
            "received": n(b.get("received", 0)),
            "on_time": n(b.get("completed_on_time", 0)),
            "late": n(b.get("completed_late", 0)),
            "overdue": n(b.get("overdue", 0)),
        }
    ]


def _tasks(b: dict[str, Any], s: Subject) -> list[str]:
    return [
        _(
            "%(assigned)s tasks were assigned; of the %(due)s tasks that fell due, "
            "%(on_time)s were completed on time, %(late)s late, %(overdue)s are overdue and "
            "%(in_progress)s are still in progress; %(ext_req)s extensions were requested and "
            "%(ext_ok)s approved."
        )
        % {
            "assigned": n(b.get("assigned", 0)),
            "due": n(b.get("due", 0)),
            "on_time": n(b.get("completed_on_time", 0)),
            "late": n(b.get("completed_late", 0)),
            "overdue": n(b.get("overdue", 0)),
            "in_progress": n(b.get("in_progress", 0)),
            "ext_req": n(b.get("extensions_requested", 0)),
            "ext_ok": n(b.get("extensions_approved", 0)),
        }
    ]


def _evaluations(b: dict[str, Any], s: Subject) -> list[str]:
    if not b.get("rated"):
        return [_("No closed monthly evaluation falls in the period.")]
    return [
        _("Monthly evaluations rated %(rated)s results: %(levels)s.")
        % {
            "rated": n(b["rated"]),
            "levels": _listing(b.get("by_level", {}), block="evaluations"),
        }
    ]


def _satisfaction(b: dict[str, Any], s: Subject) -> list[str]:
    if not b.get("responses"):
        return [_("No survey response was received in the period.")]
    return [
        _("From %(responses)s survey responses, the satisfaction index is %(index)s%%.")
        % {"responses": n(b["responses"]), "index": n(b.get("index", 0))}
    ]


def _reform(b: dict[str, Any], s: Subject) -> list[str]:
    units = [u for u in b.get("units", []) if isinstance(u, dict)]
    if not units:
        return [
            _("No unit has an administrative reform score for %(year)s.")
            % {"year": b.get("year", "")}
        ]
    first = min(units, key=lambda u: (u.get("rank", 0), u.get("unit", "")))
    return [
        _(
            "In the administrative reform index for %(year)s, %(count)s units were scored; "
            "%(first)s ranks first with %(points)s points."
        )
        % {
            "year": b.get("year", ""),
            "count": n(len(units)),
            "first": unit_name(first.get("unit", "")),
            "points": n(first.get("total", 0)),
        }
    ]


COMPOSERS: dict[str, Callable[[dict[str, Any], Subject], list[str]]] = {
    "inspections": _inspections,
    "discipline": _discipline,
    "rotations": _rotations,
    "processes": _processes,
    "cases": _cases,
    "tasks": _tasks,
    "evaluations": _evaluations,
    "satisfaction": _satisfaction,
    "reform": _reform,
}


def subject_of(data: dict[str, Any], *, unit_kind: str = "", unit_label: str = "") -> Subject:
    date_from = dt.date.fromisoformat(data["from"])
    date_to = dt.date.fromisoformat(data["to"])
    name = _("the City") if unit_kind == "city" else (unit_label or unit_name(data["unit"]))
    return Subject(unit=name, period=range_phrase(date_from, date_to))


def intro(data: dict[str, Any], subject: Subject) -> str:
    return _(
        "%(unit)s reports the results of its work on cadres, civil servants and public "
        "employees in %(period)s as follows."
    ) % {"unit": _upper_first(subject.unit), "period": subject.period}


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def paragraphs(data: dict[str, Any], subject: Subject) -> list[tuple[str, list[str]]]:
    """(block title, sentences) for every block of `data` that can be told."""
    out: list[tuple[str, list[str]]] = []
    for key, value in data.items():
        if not isinstance(value, dict):
            continue
        composer = COMPOSERS.get(key)
        if composer is not None:
            sentences = composer(value, subject)
        else:
            block = report_blocks.get(key) if key in report_blocks else None
            if block is None or block.narrative is None:
                continue
            sentences = [str(block.narrative(value))]
        out.append((str(labels.block_title(key)), [_upper_first(t) for t in sentences]))
    return out
