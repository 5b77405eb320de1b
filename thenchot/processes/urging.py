"""Urging a late case and handing its current step to another holder, from the heads' "3 rõ"
board (issue 16).

- `case_urge`: a reminder sent now to the heads of the current step's responsible unit and of
  the case's unit (through `notifications`), and an audit line on the case carrying who urged
  and when (read back by `directives.urging.urges_of("processes.case", ...)`).
- `case_step_reassign`: the current step's holder becomes a named person of the step's
  responsible unit (its subtree); guarded by the case's version the reader saw
  (`core.concurrency`: the case's version moves with it) and audited on the step, whose history
  shows under the case.

Who may: someone who manages the case's unit or the step's responsible unit (a unit head,
personnel officer or division manager grant over it, or its head or deputy); nobody outside.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from thenchot.core import auditing
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.selectors import (
    Authority,
    authority_for,
    head_user_ids,
    staff_in_subtree_on,
)
from thenchot.directives.urging import send_urge, tell_holder
from thenchot.people.models import Staff
from thenchot.processes.models import Case, CaseStep
from thenchot.processes.selectors import current_step, responsible_unit_id


def _manages(authority: Authority, case: Case, step: CaseStep | None) -> bool:
    if authority.user_id is None:
        return False
    if authority.admin or case.unit_id in authority.managed:
        return True
    return step is not None and responsible_unit_id(case, step.step) in authority.managed


def case_urge(*, case: Case, by: Any, note: str = "", on: dt.date | None = None) -> int:
    """Send the reminder now; returns how many people it reached."""
    on = on or timezone.localdate()
    step = current_step(case)
    if not _manages(authority_for(by, on), case, step):
        raise OutOfScope()
    if case.completed_on is not None:
        raise DomainError(
            gettext("Case %(code)s is already completed: there is nothing to urge.")
            % {"code": case.code}
        )
    units = {case.unit_id}
    if step is not None:
        units.add(responsible_unit_id(case, step.step))
    code = case.code
    return send_urge(
        record=case,
        recipients=sorted({u for ids in head_user_ids(units, on).values() for u in ids}),
        by=by,
        note=note,
        title=lambda: gettext("Reminder: case %(code)s is late") % {"code": code},
        body=lambda: gettext("Please handle case %(code)s now.") % {"code": code},
        url=reverse("processes:case", args=[case.code]),
    )


def case_step_reassign(
    *, case: Case, holder: Staff, by: Any, expected_version: int, on: dt.date | None = None
) -> CaseStep:
    """The current step is held by `holder` from now on."""
    on = on or timezone.localdate()
    step = current_step(case)
    if not _manages(authority_for(by, on), case, step):
        raise OutOfScope()
    if step is None:
        raise DomainError(
            gettext("Case %(code)s has no open step to hand over.") % {"code": case.code}
        )
    unit_id = responsible_unit_id(case, step.step)
    if not staff_in_subtree_on(holder.pk, unit_id, on):
        raise DomainError(
            gettext("%(code)s (%(name)s) does not work in the unit responsible for this step.")
            % {"code": holder.code, "name": holder.full_name}
        )
    with transaction.atomic():
        save_versioned(case, expected_version=expected_version, fields=[])
        before = auditing.snapshot(step)
        step.held_by_name = holder.full_name[:200]
        step.save(update_fields=["held_by_name"])
        auditing.record(step, action=auditing.UPDATE, before=before)
        code = case.code
        tell_holder(
            record=case,
            user_id=holder.user_id,
            title=lambda: gettext("Case %(code)s was handed to you") % {"code": code},
            url=reverse("processes:case", args=[case.code]),
        )
    return step
