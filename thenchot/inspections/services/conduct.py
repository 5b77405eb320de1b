"""Conducting an inspection: recording it, changing its editable fields, its team, its
findings and its conclusion, after which the findings, team and checklist are closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.core import auditing, sequences
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import OutOfScope
from thenchot.directives.services import validate_upload
from thenchot.inspections.choices import InspectionKind, Severity
from thenchot.inspections.models import Finding, Inspection, PlanItem, TeamMember
from thenchot.inspections.services.base import (
    _authority,
    _conducted,
    _create,
    _day,
    _full_clean,
    _record,
    _refuse,
    _require_unit_open,
    clean_topics,
    snap,
)
from thenchot.org.models import Unit
from thenchot.people.models import Staff


def inspection_create(
    *,
    by: Any,
    code: str = "",
    kind: str,
    conducted_by: Unit,
    target_unit: Unit,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    other_targets: Sequence[Unit] = (),
    topics: Sequence[str] = (),
    ordered_by: Any = None,
    plan_item: PlanItem | None = None,
    title: str = "",
    team: Sequence[tuple[Staff, bool]] = (),
) -> Inspection:
    """Record an inspection. Refused: a target outside the author's reach, a verification
    without the order behind it, an end before the start, a plan item of another unit."""
    auth = _authority(by)
    if kind not in InspectionKind.values:
        raise _refuse(_("Unknown kind '%(value)s'.") % {"value": kind}, "kind")
    topics = clean_topics(topics)
    if kind == InspectionKind.VERIFICATION and ordered_by is None:
        raise _refuse(
            _("A verification must name the document of the higher level that ordered it."),
            "ordered_by",
        )
    if kind != InspectionKind.VERIFICATION and ordered_by is not None:
        raise _refuse(_("Only a verification is ordered by a document."), "ordered_by")
    if ended_on is not None and ended_on < started_on:
        raise _refuse(_("An inspection cannot end before it starts."), "ended_on")
    with transaction.atomic():
        if not auth.manages(conducted_by.pk):
            raise OutOfScope(_("You cannot record inspections for this unit."))
        _require_unit_open(conducted_by, started_on, "conducted_by")
        targets = [target_unit, *[u for u in other_targets if u.pk != target_unit.pk]]
        for unit in targets:
            if not auth.manages(unit.pk):
                raise _refuse(
                    _("The unit %(code)s is outside your reach.") % {"code": unit.code},
                    "target_unit" if unit.pk == target_unit.pk else "other_targets",
                )
        if plan_item is not None:
            if plan_item.plan.conducted_by_id != conducted_by.pk:
                raise _refuse(_("This plan item belongs to another unit's plan."), "plan_item")
            if kind != InspectionKind.PLANNED:
                raise _refuse(_("Only a planned inspection carries out a plan item."), "plan_item")
        # Blank: the next number of the year it starts (KTCV-2026-0007); an official number
        # typed by hand ("12/KL-UBND") is kept as it is.
        code = code.strip() or sequences.next_code(Inspection, f"KTCV-{started_on.year}-")
        if Inspection.objects.filter(code=code).exists():
            raise _refuse(_("The code %(code)s is already used.") % {"code": code}, "code")
        inspection = Inspection(
            code=code,
            kind=kind,
            title=title,
            ordered_by=ordered_by,
            plan_item=plan_item,
            conducted_by=conducted_by,
            target_unit=target_unit,
            started_on=started_on,
            ended_on=ended_on,
            topics=topics,
            created_by=by,
        )
        _full_clean(inspection, exclude=["created_by"])
        inspection.save()
        if len(targets) > 1:
            inspection.other_targets.set(targets[1:])
        _record(inspection, action=auditing.CREATE)
        for staff, is_lead in team:
            _create(TeamMember(inspection=inspection, staff=staff, is_lead=is_lead))
    return inspection


EDITABLE = ("title", "ended_on", "topics")


def inspection_update(
    *, by: Any, inspection: Inspection, expected_version: int, data: dict[str, Any]
) -> Inspection:
    """Change the title, end date or topics of an inspection (the conducting side)."""
    auth = _authority(by)
    unknown = sorted(set(data) - set(EDITABLE))
    if unknown:
        raise _refuse(_("This field cannot be changed here."), unknown[0])
    with transaction.atomic():
        inspection = _conducted(auth, inspection)
        before = snap(inspection)
        if "topics" in data:
            data = {**data, "topics": clean_topics(data["topics"])}
        for name, value in data.items():
            setattr(inspection, name, value)
        if inspection.ended_on is not None and inspection.ended_on < inspection.started_on:
            raise _refuse(_("An inspection cannot end before it starts."), "ended_on")
        _full_clean(inspection, exclude=["created_by", "conclusion_file"])
        save_versioned(inspection, expected_version=expected_version, fields=list(data))
        _record(inspection, action=auditing.UPDATE, before=before)
    return inspection


def team_member_add(
    *, by: Any, inspection: Inspection, staff: Staff, is_lead: bool = False
) -> TeamMember:
    auth = _authority(by)
    with transaction.atomic():
        inspection = _conducted(
            auth, inspection, concluded=_("The inspection is concluded: its team cannot change.")
        )
        if TeamMember.objects.filter(inspection=inspection, staff=staff).exists():
            raise _refuse(_("This person is already on the team."), "staff")
        member = _create(TeamMember(inspection=inspection, staff=staff, is_lead=is_lead))
    return member


def finding_add(
    *,
    by: Any,
    inspection: Inspection,
    text: str,
    severity: str = "",
    evidence: UploadedFile | None = None,
) -> Finding:
    auth = _authority(by)
    if not (text or "").strip():
        raise _refuse(_("Describe the finding."), "text")
    if severity and severity not in Severity.values:
        raise _refuse(_("Unknown severity '%(value)s'.") % {"value": severity}, "severity")
    if evidence is not None:
        validate_upload(evidence)
    with transaction.atomic():
        inspection = _conducted(
            auth, inspection, concluded=_("The inspection is concluded: findings cannot be added.")
        )
        position = inspection.findings.count() + 1
        finding = Finding(
            inspection=inspection, position=position, text=text.strip(), severity=severity
        )
        if evidence is not None:
            finding.evidence = evidence
        _full_clean(finding, exclude=["evidence"])
        _create(finding)
    return finding


def conclusion_record(
    *,
    by: Any,
    inspection: Inspection,
    expected_version: int,
    number: str,
    issued_on: dt.date,
    text: str,
    attachment: UploadedFile | None = None,
) -> Inspection:
    """Record the conclusion document; the findings, team and checklist close with it."""
    auth = _authority(by)
    if issued_on > _day():
        raise _refuse(_("This date cannot be in the future."), "issued_on")
    if attachment is not None:
        validate_upload(attachment)
    with transaction.atomic():
        inspection = _conducted(
            auth, inspection, concluded=_("The conclusion of this inspection is already recorded.")
        )
        if issued_on < inspection.started_on:
            raise _refuse(_("The conclusion cannot be dated before the start."), "issued_on")
        before = snap(inspection)
        inspection.conclusion_number = number.strip()
        inspection.conclusion_on = issued_on
        inspection.conclusion_text = text.strip()
        fields = ["conclusion_number", "conclusion_on", "conclusion_text"]
        if inspection.ended_on is None:
            inspection.ended_on = issued_on
            fields.append("ended_on")
        if attachment is not None:
            inspection.conclusion_file.save(attachment.name or "conclusion", attachment, save=False)
            fields.append("conclusion_file")
        save_versioned(inspection, expected_version=expected_version, fields=fields)
        _record(inspection, action=auditing.UPDATE, before=before)
    return inspection
