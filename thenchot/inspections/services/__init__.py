"""Writes to inspection plans, inspections and the follow-up of their recommendations.

Keyword-only, atomic, validated, audited; who may act is re-checked inside the transaction
(the rules are in `selectors`' docstring). Every refusal raises `DomainError` (or
`OutOfScope`, `ConcurrentUpdate`) before anything is written. Closed records are immutable:
findings of a concluded inspection, a recommendation once done, a decided remediation report.

Modules (callers import from `thenchot.inspections.services` only): `base` shared checks,
`snap` and the day; `plans` plans and their items; `conduct` an inspection, its team, findings
and conclusion; `checklists` checklist items and answers; `follow_up` recommendations and
remediation. Every module reads the day through `services._today` (`base._day`), so replacing
`services._today` moves the day for the whole package.
"""

from __future__ import annotations

from thenchot.inspections.services.base import _today, clean_topics, inspection_url, snap
from thenchot.inspections.services.checklists import (
    checklist_item_save,
    checklist_record,
    checklist_record_all,
)
from thenchot.inspections.services.conduct import (
    EDITABLE,
    conclusion_record,
    finding_add,
    inspection_create,
    inspection_update,
    team_member_add,
)
from thenchot.inspections.services.follow_up import (
    recommendation_add,
    remediation_decide,
    remediation_report,
)
from thenchot.inspections.services.plans import (
    plan_create,
    plan_item_add,
    plan_item_remove,
    plan_item_update,
    plan_publish,
    plan_update,
)

__all__ = [
    "EDITABLE",
    "_today",
    "checklist_item_save",
    "checklist_record",
    "checklist_record_all",
    "clean_topics",
    "conclusion_record",
    "finding_add",
    "inspection_create",
    "inspection_update",
    "inspection_url",
    "plan_create",
    "plan_item_add",
    "plan_item_remove",
    "plan_item_update",
    "plan_publish",
    "plan_update",
    "recommendation_add",
    "remediation_decide",
    "remediation_report",
    "snap",
    "team_member_add",
]
