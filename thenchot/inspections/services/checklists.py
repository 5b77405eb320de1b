"""The checklists: the city-wide checklist items (reference data kept by administrators) and
the answers the conducting side records for an open inspection, one at a time or a whole
screen at once under the inspection's version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.core import auditing
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import OutOfScope
from thenchot.inspections.choices import ChecklistResult
from thenchot.inspections.models import ChecklistAnswer, ChecklistItem, Inspection
from thenchot.inspections.selectors import InspectionAuthority
from thenchot.inspections.services.base import (
    _authority,
    _full_clean,
    _locked,
    _record,
    _refuse,
    _require_conducting,
    _touch,
    snap,
)


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
