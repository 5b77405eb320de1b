"""The follow-up of an inspection: its recommendations, the responsible unit's remediation
reports and the inspectors' decision on them. The heads on the other side are told after
commit; a recommendation once done and a decided report no longer change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thenchot.core import auditing, sequences
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import OutOfScope
from thenchot.directives.services import validate_upload
from thenchot.inspections.choices import ReportStatus
from thenchot.inspections.models import Inspection, Recommendation, RemediationReport
from thenchot.inspections.services.base import (
    _authority,
    _conducted,
    _create,
    _day,
    _full_clean,
    _locked,
    _notify_after_commit,
    _record,
    _refuse,
    _require_conducting,
    _require_unit_open,
    inspection_url,
    snap,
)
from thenchot.org.models import Unit
from thenchot.people.selectors import head_user_ids


def recommendation_add(
    *,
    by: Any,
    inspection: Inspection,
    code: str = "",
    text: str,
    responsible_unit: Unit,
    due_on: dt.date,
) -> Recommendation:
    """A recommendation of the inspection; due no earlier than the inspection's start."""
    auth = _authority(by)
    if not (text or "").strip():
        raise _refuse(_("Write the recommendation."), "text")
    with transaction.atomic():
        inspection = _conducted(auth, inspection)
        if due_on < inspection.started_on:
            raise _refuse(
                _("A recommendation cannot be due before the inspection starts (%(date)s).")
                % {"date": inspection.started_on.strftime("%d/%m/%Y")},
                "due_on",
            )
        _require_unit_open(responsible_unit, _day(), "responsible_unit")
        # Blank: the inspection's code and the next number under it (KTCV-2026-0007-KN03).
        code = code.strip() or sequences.next_code(Recommendation, f"{inspection.code}-KN", width=2)
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
        _create(rec)
    heads = head_user_ids({responsible_unit.pk}, _day()).get(responsible_unit.pk, [])
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
    if reported_on > _day():
        raise _refuse(_("This date cannot be in the future."), "reported_on")
    if evidence is not None:
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
    heads = head_user_ids({inspection.conducted_by_id}, _day()).get(inspection.conducted_by_id, [])
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
        # Separation of duties: whoever reported the remediation does not accept it.
        if report.reported_by_id is not None and report.reported_by_id == getattr(by, "pk", None):
            raise OutOfScope(_("Nobody accepts or returns a remediation report they submitted."))
        if report.status != ReportStatus.PENDING:
            raise _refuse(_("This report has already been decided."))
        before = snap(report)
        report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
        report.decided_on = _day()
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
    heads = head_user_ids({rec.responsible_unit_id}, _day()).get(rec.responsible_unit_id, [])

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
