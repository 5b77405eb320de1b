"""Writes of the evaluation workflow: periods, self-assessment, review, approval, the collective
decision for heads of departments, the head's quota choices and the packs' parameters.

Keyword-only, atomic, audited; who may act is re-checked inside the transaction on the locked
row. Every refusal raises `DomainError` (or `OutOfScope`, `ConcurrentUpdate`) before anything is
written, so a refusal changes nothing. The close and the reopening live in `closing.py`.

Who rates whom (rules.md): the direct manager reviews — the head of the person's unit (or of a
unit above it inside the agency) on the day, or a `division_manager`/`unit_head` grant covering
the person's unit; the unit head approves — the head of the agency (or of a unit above it), or a
`unit_head` grant covering the agency. Nobody reviews or approves their own evaluation: a head's
own evaluation goes to the level above, and heads of departments and of units directly under the
City are rated by a recorded collective decision of the City leadership.

The package is one module split by concern; callers import from `thenchot.appraisal.services`
only, never from its modules:

- `base`: `PeriodClosed`, `today` and the refusal helper shared by all;
- `lines`: who reviews and approves whom (`line_for`, `collective_body`, `rated_collectively`, `_roles`);
- `periods`: opening periods and creating their draft evaluations, and what a new evaluation
  takes from the person's record (`evaluation_standings`, `evaluation_draft`: the import too),
  and an open period's deadlines and quota decision (`period_update`: the admin's path);
- `records`: locking, the fields each step writes, the versioned save and the bulk write;
- `points`: points and levels checked against the rule pack, the task-points pre-fill;
- `assess`: the self-assessment; `review`: review, return, approval and their bulk forms;
- `collective`: the City leadership's decision; `quota`: the head's quota choices;
- `params`: new versions of a rule pack's parameters.

Every module reads the day through `services.today` (`base._today`), so replacing
`services.today` (as the tests do) moves the day for the whole workflow.
"""

from __future__ import annotations

from thenchot.appraisal.services.agency import agency_rate, agency_tasks
from thenchot.appraisal.services.assess import self_assess
from thenchot.appraisal.services.base import PeriodClosed, today
from thenchot.appraisal.services.collective import collective_decision_record
from thenchot.appraisal.services.decree90 import (
    FORMS as DECREE90_FORMS,
)
from thenchot.appraisal.services.decree90 import (
    Dossier,
    decree90_dossier,
    decree90_step_record,
)
from thenchot.appraisal.services.lines import (
    CITY_KINDS,
    Line,
    _roles,
    _staff_id,
    collective_body,
    line_for,
    rated_collectively,
)
from thenchot.appraisal.services.params import params_update
from thenchot.appraisal.services.periods import (
    APPROVAL_DAYS,
    PERIOD_SETTINGS,
    REVIEW_DAYS,
    SELF_DAYS,
    Opened,
    Standing,
    evaluation_draft,
    evaluation_standings,
    late_years,
    leadership_flags,
    open_current_periods,
    period_defaults,
    period_open,
    period_update,
    reference_day,
    standing_columns,
    year_deadline_set,
)
from thenchot.appraisal.services.points import (
    ASSESSABLE_LEVELS,
    check_points,
    pack_of,
    task_points_prefill,
)
from thenchot.appraisal.services.quota import (
    override_problems,
    overrides_in_force,
    quota_choose,
    quota_override_record,
)
from thenchot.appraisal.services.records import APPROVE_FIELDS, REVIEW_FIELDS, SELF_FIELDS
from thenchot.appraisal.services.review import (
    BulkOutcome,
    BulkSkip,
    ReviewChange,
    approve,
    bulk_approve,
    bulk_review,
    manager_handle_missing,
    review,
)

__all__ = [
    "DECREE90_FORMS",
    "Dossier",
    "decree90_dossier",
    "decree90_step_record",
    "agency_rate",
    "agency_tasks",
    "APPROVAL_DAYS",
    "APPROVE_FIELDS",
    "PERIOD_SETTINGS",
    "ASSESSABLE_LEVELS",
    "CITY_KINDS",
    "REVIEW_DAYS",
    "REVIEW_FIELDS",
    "SELF_DAYS",
    "SELF_FIELDS",
    "BulkOutcome",
    "BulkSkip",
    "Line",
    "Opened",
    "PeriodClosed",
    "ReviewChange",
    "Standing",
    "_roles",
    "_staff_id",
    "approve",
    "bulk_approve",
    "bulk_review",
    "check_points",
    "collective_decision_record",
    "evaluation_draft",
    "standing_columns",
    "evaluation_standings",
    "leadership_flags",
    "line_for",
    "manager_handle_missing",
    "open_current_periods",
    "pack_of",
    "params_update",
    "period_defaults",
    "period_open",
    "period_update",
    "late_years",
    "year_deadline_set",
    "override_problems",
    "overrides_in_force",
    "quota_choose",
    "quota_override_record",
    "collective_body",
    "rated_collectively",
    "reference_day",
    "review",
    "self_assess",
    "task_points_prefill",
    "today",
]
