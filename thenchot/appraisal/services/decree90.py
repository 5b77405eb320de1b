"""The steps of a person's Decree 90 rating for a year (rules.md `decree-90-2020`, "Workflow"):
the self-assessment on form 01 (cán bộ), 02 (công chức) or 03 (viên chức); a meeting with
minutes; the Party committee's opinion for heads; the personnel unit's proposal; the decision;
the written notice to the person and the publication inside the agency. A person transferred
during the year is rated by the new agency, which takes the former agency's comments into
account when the person worked there 6 months or more ("Timing"): that step then comes before
the meeting, and the dossier names the former agency and the months.

`decree90_dossier` shows where a person's year stands; `decree90_step_record` records the next
step, in order (a head's year needs the Party committee's opinion, nobody else's does), dated
no earlier than the step before it and never in the future. The person records their own
self-assessment; the personnel office of their unit or the head of their agency records the
rest. Audited; a refusal names the person, the step and what is missing, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import inputs, rules
from thenchot.appraisal.choices import Decree90Step
from thenchot.appraisal.models import Decree90Record
from thenchot.appraisal.services.base import _refuse, _today
from thenchot.core import auditing
from thenchot.core.errors import OutOfScope
from thenchot.org.models import Unit, valid_on_q
from thenchot.org.tree import tree
from thenchot.people.choices import HeadRole
from thenchot.people.models import Assignment, HeadAssignment, Staff

# The self-assessment form of each category (Decree 90/2020, annex).
MIN_MONTHS_FOR_COMMENTS = Decimal(6)
FORMS = {"cadre": "01", "civil_servant": "02", "public_employee": "03"}
ORDER = tuple(Decree90Step)


@dataclass(frozen=True)
class DossierStep:
    step: Decree90Step
    record: Decree90Record | None
    required: bool


@dataclass(frozen=True)
class Dossier:
    staff: Staff
    year: int
    form_number: str
    is_head: bool
    steps: tuple[DossierStep, ...]
    # Former agencies of the year where the person worked 6 months or more: (unit, months).
    former: tuple[tuple[Unit, Decimal], ...] = ()

    @property
    def next_step(self) -> Decree90Step | None:
        return next((s.step for s in self.steps if s.required and s.record is None), None)

    @property
    def complete(self) -> bool:
        return self.next_step is None


def _reference_day(year: int) -> dt.date:
    return min(dt.date(year, 12, 31), max(dt.date(year, 1, 1), _today()))


def _heads_agency(staff: Staff, on: dt.date) -> bool:
    return HeadAssignment.objects.filter(valid_on_q(on), staff=staff, role=HeadRole.HEAD).exists()


def _covered(staff: Staff, year: int) -> None:
    form = FORMS.get(staff.category)
    period = rules.Period.parse(str(year))
    covered = form is not None and any(
        pack.id == "decree-90-2020" for pack in rules.registry.packs_for(staff.category, period)
    )
    if not covered:
        raise _refuse(
            _("Decree 90 does not rate %(name)s (%(category)s) for %(year)s.")
            % {"name": staff.full_name, "category": staff.get_category_display(), "year": year},
            "staff",
        )


def former_agencies(staff: Staff, year: int) -> tuple[tuple[Unit, Decimal], ...]:
    """The agencies other than the one the person is in at the year's reference day where they
    worked 6 months or more during the year (their assignment history), with the months."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    on = _reference_day(year)
    snap = tree()
    current = snap.agency_of(staff.unit_id, on)
    days: dict[int, int] = {}
    for unit_id, valid_from, valid_to in Assignment.objects.filter(
        staff=staff,
    ).values_list("unit_id", "valid_from", "valid_to"):
        lo = max(valid_from or start, start)
        hi = min(valid_to or end, end)
        if lo > hi:
            continue
        agency = snap.agency_of(unit_id, hi)
        if agency != current:
            days[agency] = days.get(agency, 0) + (hi - lo).days + 1
    out = []
    for agency_id, count in sorted(days.items()):
        months = inputs.months_of(count, start, end)
        if months >= MIN_MONTHS_FOR_COMMENTS:
            out.append((Unit.objects.get(pk=agency_id), months))
    return tuple(out)


def decree90_dossier(*, staff: Staff, year: int) -> Dossier:
    _covered(staff, year)
    is_head = _heads_agency(staff, _reference_day(year))
    former = former_agencies(staff, year)
    records = {r.step: r for r in Decree90Record.objects.filter(staff=staff, year=year)}
    optional = {
        Decree90Step.PARTY_OPINION: is_head,
        Decree90Step.FORMER_UNIT_COMMENTS: bool(former),
    }
    steps = tuple(
        DossierStep(step=step, record=records.get(step.value), required=optional.get(step, True))
        for step in ORDER
    )
    return Dossier(staff, year, FORMS[staff.category], is_head, steps, former)


def _may_record(by: Any, staff: Staff, step: Decree90Step, on: dt.date) -> bool:
    user_id = getattr(by, "pk", None)
    if user_id is None:
        return False
    if step is Decree90Step.SELF_ASSESSMENT and staff.user_id == user_id:
        return True
    scope = compute_scope(by)
    if scope.city_wide or scope.can_write_unit(staff.unit_id):
        return True
    agency = tree().agency_of(staff.unit_id, on)
    return HeadAssignment.objects.filter(
        valid_on_q(on), unit_id=agency, role=HeadRole.HEAD, staff__user_id=user_id
    ).exists()


def decree90_step_record(
    *,
    staff: Staff,
    year: int,
    step: str,
    done_on: dt.date,
    by: Any,
    document_number: str = "",
    note: str = "",
) -> Decree90Record:
    if step not in Decree90Step.values:
        raise _refuse(
            _("Unknown step %(value)r (allowed: %(allowed)s).")
            % {"value": step, "allowed": ", ".join(Decree90Step.values)},
            "step",
        )
    kind = Decree90Step(step)
    today = _today()
    if not _may_record(by, staff, kind, today):
        raise OutOfScope(
            _("You may not record this step of %(name)s's rating.") % {"name": staff.full_name}
        )
    with transaction.atomic():
        Staff.objects.select_for_update().filter(pk=staff.pk).first()
        dossier = decree90_dossier(staff=staff, year=year)
        current = next(s for s in dossier.steps if s.step is kind)
        names = {"name": staff.full_name, "step": kind.label, "year": year}
        if current.record is not None:
            raise _refuse(
                _("%(step)s of %(name)s's rating for %(year)s is already recorded (%(date)s).")
                % {**names, "date": current.record.done_on.strftime("%d/%m/%Y")},
                "step",
            )
        if not current.required and kind is Decree90Step.PARTY_OPINION:
            raise _refuse(
                _("%(name)s does not head an agency: %(step)s is only for heads.") % names,
                "step",
            )
        if not current.required:
            raise _refuse(
                _(
                    "%(name)s did not work 6 months or more in another agency in %(year)s: "
                    "no former agency's comments are taken."
                )
                % names,
                "step",
            )
        if dossier.next_step is not kind:
            missing = dossier.next_step.label if dossier.next_step else ""
            raise _refuse(
                _(
                    "Record %(missing)s first: %(step)s of %(name)s's rating for %(year)s comes after it."
                )
                % {**names, "missing": missing},
                "step",
            )
        if done_on > today:
            raise _refuse(_("A step cannot be dated in the future."), "done_on")
        before = [s.record.done_on for s in dossier.steps if s.record is not None]
        if before and done_on < max(before):
            raise _refuse(
                _("%(date)s is before the previous step (%(previous)s).")
                % {
                    "date": done_on.strftime("%d/%m/%Y"),
                    "previous": max(before).strftime("%d/%m/%Y"),
                },
                "done_on",
            )
        if kind is Decree90Step.SELF_ASSESSMENT:
            document_number = document_number or _("Form %(number)s") % {
                "number": dossier.form_number
            }
        elif kind is not Decree90Step.PUBLICATION and not document_number.strip():
            raise _refuse(
                _("%(step)s needs the number of its document.") % names, "document_number"
            )
        made = Decree90Record.objects.create(
            staff=staff,
            year=year,
            step=kind.value,
            done_on=done_on,
            document_number=document_number.strip(),
            note=note,
            recorded_by=by,
        )
        auditing.record(made, action=auditing.CREATE)
    return made
