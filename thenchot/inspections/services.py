"""Writes to inspection plans, inspections and the follow-up of their recommendations.

Keyword-only, atomic, validated, audited; who may act is re-checked inside the transaction
(the rules are in `selectors`' docstring). Every refusal raises `DomainError` (or
`OutOfScope`, `ConcurrentUpdate`) before anything is written. Closed records are immutable:
findings of a concluded inspection, a recommendation once done, a decided remediation report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.core import auditing
from thenchot.core.concurrency import ConcurrentUpdate, save_versioned
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.inspections.choices import (
    ChecklistResult,
    InspectionKind,
    ReportStatus,
    Severity,
    Topic,
)
from thenchot.inspections.models import (
    ChecklistAnswer,
    ChecklistItem,
    Finding,
    Inspection,
    InspectionPlan,
    PlanItem,
    Recommendation,
    RemediationReport,
    TeamMember,
)
from thenchot.inspections.selectors import (
    InspectionAuthority,
    authority_for,
    head_user_ids,
)
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.people.models import Staff


# -- shared checks ------------------------------------------------------------------------------
def _today() -> dt.date:
    return timezone.localdate()


def _refuse(message: Any, field: str | None = None) -> DomainError:
    return DomainError(message, field_errors={field: [message]} if field else None)


def _full_clean(instance: Any, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        fields = {k: list(v) for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()))[0] if fields else _("The change was refused.")
        raise DomainError(first, field_errors=fields) from exc


def snap(instance: Any) -> dict[str, Any]:
    """`auditing.snapshot` with file fields as their stored names (the core writer does not
    turn a FieldFile into JSON)."""
    data = auditing.snapshot(instance)
    for key, value in data.items():
        if isinstance(value, FieldFile):
            data[key] = value.name or None
    return data


def _record(instance: Any, *, action: str, before: dict[str, Any] | None = None) -> None:
    auditing.record(instance, action=action, before=before, after=snap(instance))


def _authority(by: Any) -> InspectionAuthority:
    if by is None or not getattr(by, "is_authenticated", False):
        raise OutOfScope()
    return authority_for(by, _today())


def _require_conducting(auth: InspectionAuthority, inspection: Inspection) -> None:
    if not auth.is_conducting_side(inspection):
        raise OutOfScope(_("Only the conducting unit's inspectors and managers can do this."))


def _require_unit_open(unit: Unit, on: dt.date, field: str) -> None:
    info = tree().units.get(unit.pk)
    if info is None or (info.valid_to is not None and info.valid_to < on):
        raise _refuse(
            _("The unit %(code)s has ended; nothing can be recorded for it.") % {"code": unit.code},
            field,
        )


def clean_topics(topics: Iterable[str], field: str = "topics") -> list[str]:
    values = list(dict.fromkeys(str(t) for t in topics))
    unknown = [t for t in values if t not in Topic.values]
    if unknown:
        raise _refuse(
            _("Unknown topic '%(value)s' (known: %(known)s).")
            % {"value": unknown[0], "known": ", ".join(Topic.values)},
            field,
        )
    return [t for t in Topic.values if t in values]  # the documented order, stable on export


def _locked(model: type[Any], pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


def _notify_after_commit(
    *, users: Iterable[int | None], title: Callable[[], str], url: str, object_id: int
) -> None:
    """Tell `users` after commit; the title is made in the site language (the recipients'),
    not the actor's."""
    recipients = sorted({u for u in users if u is not None})
    if not recipients:
        return

    def send() -> None:
        from django.conf import settings
        from django.utils import translation

        from thenchot.notifications.services import notify

        with translation.override(settings.LANGUAGE_CODE):
            notify(
                recipients=recipients,
                title=title(),
                url=url,
                model_label="inspections.recommendation",
                object_id=object_id,
            )

    transaction.on_commit(send)


def inspection_url(code: str) -> str:
    from django.urls import reverse

    return reverse("inspections:detail", args=[code])


# -- checklist items (reference data) -----------------------------------------------------------
def checklist_item_save(
    *, by: Any, code: str, topic: str, text: str, position: int = 0, active: bool = True
) -> ChecklistItem:
    """Create or change a checklist item (administrators: the checklist is city-wide)."""
    auth = _authority(by)
    if not auth.admin:
        raise OutOfScope(_("Only an administrator can change the checklists."))
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().filter(code=code).first()
        before = snap(item) if item is not None else None
        item = item or ChecklistItem(code=code)
        item.topic, item.text, item.position, item.active = topic, text, position, active
        _full_clean(item)
        item.save()
        _record(item, action=auditing.UPDATE if before else auditing.CREATE, before=before)
    return item


# -- plans --------------------------------------------------------------------------------------
def plan_create(
    *, by: Any, code: str, conducted_by: Unit, year: int, title: str = ""
) -> InspectionPlan:
    auth = _authority(by)
    with transaction.atomic():
        if not auth.manages(conducted_by.pk):
            raise OutOfScope(_("You cannot plan inspections for this unit."))
        if InspectionPlan.objects.filter(conducted_by=conducted_by, year=year).exists():
            raise _refuse(_("This unit already has an inspection plan for the year."), "year")
        if InspectionPlan.objects.filter(code=code).exists():
            raise _refuse(_("The code %(code)s is already used.") % {"code": code}, "code")
        plan = InspectionPlan(code=code, conducted_by=conducted_by, year=year, title=title)
        _full_clean(plan)
        plan.save()
        _record(plan, action=auditing.CREATE)
    return plan


def plan_item_add(
    *, by: Any, plan: InspectionPlan, target_unit: Unit, planned_month: int, topics: Sequence[str]
) -> PlanItem:
    auth = _authority(by)
    with transaction.atomic():
        plan = _locked(InspectionPlan, plan.pk)
        if not auth.manages(plan.conducted_by_id):
            raise OutOfScope(_("You cannot change this plan."))
        if not auth.manages(target_unit.pk):
            raise _refuse(_("This target unit is outside your reach."), "target_unit")
        item = PlanItem(
            plan=plan,
            target_unit=target_unit,
            planned_month=planned_month,
            topics=clean_topics(topics),
        )
        _full_clean(item)
        item.save()
        _record(item, action=auditing.CREATE)
    return item


def plan_publish(
    *,
    by: Any,
    plan: InspectionPlan,
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> InspectionPlan:
    """Publish the plan inside the conducting unit. A page passes the version it showed, so
    nobody publishes items changed after they last read the plan."""
    auth = _authority(by)
    with transaction.atomic():
        plan = _locked(InspectionPlan, plan.pk)
        if not auth.manages(plan.conducted_by_id):
            raise OutOfScope(_("You cannot publish this plan."))
        if plan.published_on is not None:
            raise _refuse(_("This plan is already published."))
        version = plan.version if expected_version is None else expected_version
        before = snap(plan)
        plan.published_on = on or _today()
        save_versioned(plan, expected_version=version, fields=["published_on"])
        _record(plan, action=auditing.UPDATE, before=before)
    return plan


def _touch(instance: Any, expected_version: int) -> None:
    """Move the version of a record whose parts changed (a plan's items, an inspection's
    checklist): the parts carry no version of their own, so a page opened before the change is
    refused instead of silently overwriting it."""
    save_versioned(instance, expected_version=expected_version, fields=[])


def _plan_for_change(auth: InspectionAuthority, plan_id: int, expected_version: int) -> Any:
    plan = _locked(InspectionPlan, plan_id)
    if not auth.manages(plan.conducted_by_id):
        raise OutOfScope(_("You cannot change this plan."))
    if plan.version != expected_version:
        raise ConcurrentUpdate()
    return plan


def plan_update(
    *, by: Any, plan: InspectionPlan, expected_version: int, title: str, year: int
) -> InspectionPlan:
    """Change a plan's title or year. A published plan keeps its year: the units in it were
    told which year it covers (its items may still be amended, as `plan_item_add` allows)."""
    auth = _authority(by)
    with transaction.atomic():
        plan = _plan_for_change(auth, plan.pk, expected_version)
        if year != plan.year:
            if plan.published_on is not None:
                raise _refuse(_("A published plan keeps its year."), "year")
            if (
                InspectionPlan.objects.filter(conducted_by_id=plan.conducted_by_id, year=year)
                .exclude(pk=plan.pk)
                .exists()
            ):
                raise _refuse(_("This unit already has an inspection plan for the year."), "year")
        before = snap(plan)
        plan.title, plan.year = (title or "").strip(), year
        _full_clean(plan)
        save_versioned(plan, expected_version=expected_version, fields=["title", "year"])
        _record(plan, action=auditing.UPDATE, before=before)
    return plan


def _carried_out(item: PlanItem) -> bool:
    return Inspection.objects.filter(plan_item_id=item.pk).exists()


def plan_item_update(
    *,
    by: Any,
    item: PlanItem,
    expected_version: int,
    target_unit: Unit,
    planned_month: int,
    topics: Sequence[str],
) -> PlanItem:
    """Change a planned inspection. `expected_version` is the plan's: it guards the items too.
    Once an inspection has carried the item out, its target stays what was inspected."""
    auth = _authority(by)
    with transaction.atomic():
        plan = _plan_for_change(auth, item.plan_id, expected_version)
        item = PlanItem.objects.get(pk=item.pk, plan=plan)
        if not auth.manages(target_unit.pk):
            raise _refuse(_("This target unit is outside your reach."), "target_unit")
        if target_unit.pk != item.target_unit_id and _carried_out(item):
            raise _refuse(
                _("An inspection has carried out this plan item: its target unit cannot change."),
                "target_unit",
            )
        before = snap(item)
        item.target_unit = target_unit
        item.planned_month = planned_month
        item.topics = clean_topics(topics)
        _full_clean(item)
        item.save()
        _touch(plan, expected_version)
        _record(item, action=auditing.UPDATE, before=before)
    return item


def plan_item_remove(*, by: Any, item: PlanItem, expected_version: int) -> None:
    """Take a planned inspection out of the plan; refused once an inspection carried it out
    (deleting it would silently unlink that inspection from the plan)."""
    auth = _authority(by)
    with transaction.atomic():
        plan = _plan_for_change(auth, item.plan_id, expected_version)
        item = PlanItem.objects.get(pk=item.pk, plan=plan)
        if _carried_out(item):
            raise _refuse(_("An inspection has carried out this plan item: it cannot be removed."))
        auditing.record(item, action=auditing.DELETE, before=snap(item))
        item.delete()
        _touch(plan, expected_version)


# -- inspections --------------------------------------------------------------------------------
def inspection_create(
    *,
    by: Any,
    code: str,
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
            member = TeamMember.objects.create(inspection=inspection, staff=staff, is_lead=is_lead)
            _record(member, action=auditing.CREATE)
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
        inspection = _locked(Inspection, inspection.pk)
        _require_conducting(auth, inspection)
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
        inspection = _locked(Inspection, inspection.pk)
        _require_conducting(auth, inspection)
        if inspection.is_concluded:
            raise _refuse(_("The inspection is concluded: its team cannot change."))
        if TeamMember.objects.filter(inspection=inspection, staff=staff).exists():
            raise _refuse(_("This person is already on the team."), "staff")
        member = TeamMember.objects.create(inspection=inspection, staff=staff, is_lead=is_lead)
        _record(member, action=auditing.CREATE)
    return member


def _open_checklist(auth: InspectionAuthority, inspection_id: int) -> Inspection:
    inspection = _locked(Inspection, inspection_id)
    _require_conducting(auth, inspection)
    if inspection.is_concluded:
        raise _refuse(_("The inspection is concluded: its checklist is closed."))
    return inspection


def _write_answer(
    inspection: Inspection,
    item: ChecklistItem,
    result: str,
    note: str,
    answer: ChecklistAnswer | None,
) -> tuple[ChecklistAnswer, bool]:
    """Create or change one answer (`answer` is the stored one, if any); False when it already
    says this, so nothing is written or audited."""
    if answer is not None and answer.result == result and answer.note == note:
        return answer, False
    before = snap(answer) if answer is not None else None
    answer = answer or ChecklistAnswer(inspection=inspection, item=item)
    answer.result, answer.note = result, note
    _full_clean(answer)
    answer.save()
    _record(answer, action=auditing.UPDATE if before else auditing.CREATE, before=before)
    return answer, True


def checklist_record(
    *, by: Any, inspection: Inspection, item: ChecklistItem, result: str, note: str = ""
) -> ChecklistAnswer:
    auth = _authority(by)
    if result not in ChecklistResult.values:
        raise _refuse(_("Unknown result '%(value)s'.") % {"value": result}, "result")
    with transaction.atomic():
        inspection = _open_checklist(auth, inspection.pk)
        if item.topic not in inspection.topics:
            raise _refuse(_("This checklist item is not under a topic of the inspection."), "item")
        stored = ChecklistAnswer.objects.filter(inspection=inspection, item=item).first()
        answer, changed = _write_answer(inspection, item, result, note, stored)
        if changed:
            _touch(inspection, inspection.version)
    return answer


def checklist_record_all(
    *,
    by: Any,
    inspection: Inspection,
    expected_version: int,
    answers: Sequence[tuple[ChecklistItem, str, str]],
) -> int:
    """Save a whole checklist screen, (item, result, note) per answered question: all of it or
    nothing. The inspection's version guards the answers, which carry none of their own, so two
    inspectors filling the same checklist cannot overwrite each other unseen. Returns how many
    answers changed."""
    auth = _authority(by)
    with transaction.atomic():
        inspection = _open_checklist(auth, inspection.pk)
        if inspection.version != expected_version:
            raise ConcurrentUpdate()
        for item, result, _note in answers:
            if result not in ChecklistResult.values:
                raise _refuse(_("Unknown result '%(value)s'.") % {"value": result})
            if item.topic not in inspection.topics:
                raise _refuse(
                    _("The checklist item %(code)s is not under a topic of the inspection.")
                    % {"code": item.code}
                )
        stored = {a.item_id: a for a in ChecklistAnswer.objects.filter(inspection=inspection)}
        changed = 0
        for item, result, note in answers:
            _answer, did = _write_answer(
                inspection, item, result, (note or "").strip(), stored.get(item.pk)
            )
            changed += did
        if changed:
            _touch(inspection, expected_version)
    return changed


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
        from thenchot.directives.services import validate_upload

        validate_upload(evidence)
    with transaction.atomic():
        inspection = _locked(Inspection, inspection.pk)
        _require_conducting(auth, inspection)
        if inspection.is_concluded:
            raise _refuse(_("The inspection is concluded: findings cannot be added."))
        position = inspection.findings.count() + 1
        finding = Finding(
            inspection=inspection, position=position, text=text.strip(), severity=severity
        )
        if evidence is not None:
            finding.evidence = evidence
        _full_clean(finding, exclude=["evidence"])
        finding.save()
        _record(finding, action=auditing.CREATE)
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
    if issued_on > _today():
        raise _refuse(_("This date cannot be in the future."), "issued_on")
    if attachment is not None:
        from thenchot.directives.services import validate_upload

        validate_upload(attachment)
    with transaction.atomic():
        inspection = _locked(Inspection, inspection.pk)
        _require_conducting(auth, inspection)
        if inspection.is_concluded:
            raise _refuse(_("The conclusion of this inspection is already recorded."))
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


# -- recommendations and their remediation ------------------------------------------------------
def recommendation_add(
    *,
    by: Any,
    inspection: Inspection,
    code: str,
    text: str,
    responsible_unit: Unit,
    due_on: dt.date,
) -> Recommendation:
    """A recommendation of the inspection; due no earlier than the inspection's start."""
    auth = _authority(by)
    if not (text or "").strip():
        raise _refuse(_("Write the recommendation."), "text")
    with transaction.atomic():
        inspection = _locked(Inspection, inspection.pk)
        _require_conducting(auth, inspection)
        if due_on < inspection.started_on:
            raise _refuse(
                _("A recommendation cannot be due before the inspection starts (%(date)s).")
                % {"date": inspection.started_on.strftime("%d/%m/%Y")},
                "due_on",
            )
        _require_unit_open(responsible_unit, _today(), "responsible_unit")
        if Recommendation.objects.filter(code=code).exists():
            raise _refuse(_("The code %(code)s is already used.") % {"code": code}, "code")
        rec = Recommendation(
            code=code,
            inspection=inspection,
            text=text.strip(),
            responsible_unit=responsible_unit,
            due_on=due_on,
        )
        _full_clean(rec)
        rec.save()
        _record(rec, action=auditing.CREATE)
    heads = head_user_ids({responsible_unit.pk}, _today()).get(responsible_unit.pk, [])
    _notify_after_commit(
        users=heads,
        title=lambda: (
            _("New recommendation %(code)s, due %(date)s")
            % {"code": code, "date": due_on.strftime("%d/%m/%Y")}
        ),
        url=inspection_url(inspection.code),
        object_id=rec.pk,
    )
    return rec


def remediation_report(
    *,
    by: Any,
    recommendation: Recommendation,
    reported_on: dt.date,
    text: str,
    evidence: UploadedFile | None = None,
) -> RemediationReport:
    """The responsible unit reports what it did; the inspectors then accept or return it."""
    auth = _authority(by)
    if not (text or "").strip():
        raise _refuse(_("Describe what was done."), "text")
    if reported_on > _today():
        raise _refuse(_("This date cannot be in the future."), "reported_on")
    if evidence is not None:
        from thenchot.directives.services import validate_upload

        validate_upload(evidence)
    with transaction.atomic():
        rec = _locked(Recommendation, recommendation.pk)
        if not auth.is_remedying_side(rec):
            raise OutOfScope(_("Only the responsible unit can report its remediation."))
        if rec.done_on is not None:
            raise _refuse(_("This recommendation is already done."))
        inspection = Inspection.objects.get(pk=rec.inspection_id)
        if reported_on < inspection.started_on:
            raise _refuse(
                _("The remediation cannot be dated before the inspection."), "reported_on"
            )
        if rec.reports.filter(status=ReportStatus.PENDING).exists():
            raise _refuse(
                _("A remediation report for this recommendation is already awaiting review.")
            )
        report = RemediationReport(
            recommendation=rec, reported_on=reported_on, text=text.strip(), reported_by=by
        )
        if evidence is not None:
            report.evidence = evidence
        _full_clean(report, exclude=["evidence", "reported_by", "decided_by"])
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError as exc:  # a concurrent report won the race
            raise _refuse(
                _("A remediation report for this recommendation is already awaiting review.")
            ) from exc
        _record(report, action=auditing.CREATE)
    heads = head_user_ids({inspection.conducted_by_id}, _today()).get(
        inspection.conducted_by_id, []
    )
    _notify_after_commit(
        users=heads,
        title=lambda: _("Remediation of %(code)s reported, awaiting review") % {"code": rec.code},
        url=inspection_url(inspection.code),
        object_id=rec.pk,
    )
    return report


def remediation_decide(
    *, by: Any, report: RemediationReport, accept: bool, comment: str = ""
) -> RemediationReport:
    """Accept (the recommendation is done on the day it was remedied) or return (it reopens,
    and the unit reports again). Audited both ways."""
    auth = _authority(by)
    if not accept and not (comment or "").strip():
        raise _refuse(_("Say why the report is returned."), "comment")
    with transaction.atomic():
        report = _locked(RemediationReport, report.pk)
        rec = _locked(Recommendation, report.recommendation_id)
        inspection = Inspection.objects.get(pk=rec.inspection_id)
        _require_conducting(auth, inspection)
        if report.status != ReportStatus.PENDING:
            raise _refuse(_("This report has already been decided."))
        before = snap(report)
        report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
        report.decided_on = _today()
        report.decided_by = by
        report.decision_comment = (comment or "").strip()
        save_versioned(
            report,
            expected_version=report.version,
            fields=["status", "decided_on", "decided_by", "decision_comment"],
        )
        _record(report, action=auditing.UPDATE, before=before)
        if accept:
            rec_before = snap(rec)
            rec.done_on = report.reported_on
            save_versioned(rec, expected_version=rec.version, fields=["done_on"])
            _record(rec, action=auditing.UPDATE, before=rec_before)
    heads = head_user_ids({rec.responsible_unit_id}, _today()).get(rec.responsible_unit_id, [])

    def title() -> str:
        if accept:
            return _("Remediation of %(code)s accepted") % {"code": rec.code}
        return _("Remediation of %(code)s returned") % {"code": rec.code}

    _notify_after_commit(
        users=[report.reported_by_id, *heads],
        title=title,
        url=inspection_url(inspection.code),
        object_id=rec.pk,
    )
    return report
