"""Pages of monthly evaluation and classification (issue 5, points 3, 4 and 6).

- the self-assessment of the person's current month, built for a phone (one column, big
  targets), with the task points pre-filled and their calculation shown;
- the manager's board: the division for a period on one screen, inline adjustments, return for
  revision, bulk review and approval with per-person overrides, those who have not submitted
  (handled on their behalf after the deadline, and flagged), the distribution of levels and
  last month's;
- the close screen of a head or personnel officer: summary per agency and group, quota use, the
  quota conflicts naming the people with the head's choice or "by score", the close, the results
  with their reasons, and the reopening by a recorded decision;
- the City leadership's collective decision rating heads of departments;
- "my results": month by month with reasons, quarter and year roll-ups, the agency's published
  results.

Reads go through `selectors`/`views_support` (an evaluation out of reach is a 404, like a
missing one); writes go through `services`/`closing`, which re-check who may act and refuse bad
input with field errors; a refusal changes nothing.

Modules: `common`, `personal`, `manager_board`, `close_and_reopen`, `collective_decision`.
The views are re-exported here, so `urls.py` names them as `views.<name>`.
"""

from __future__ import annotations

from thenchot.appraisal.views.agency_rating import agency_ratings
from thenchot.appraisal.views.close_and_reopen import PREVIEW_LIMIT, close_act, close_screen
from thenchot.appraisal.views.collective_decision import collective
from thenchot.appraisal.views.common import LABELS
from thenchot.appraisal.views.decree90 import decree90, decree90_form
from thenchot.appraisal.views.manager_board import board, board_act
from thenchot.appraisal.views.personal import (
    evaluation_detail,
    index,
    my_results,
    self_assessment,
)

__all__ = [
    "LABELS",
    "PREVIEW_LIMIT",
    "board",
    "board_act",
    "close_act",
    "close_screen",
    "agency_ratings",
    "collective",
    "decree90",
    "decree90_form",
    "evaluation_detail",
    "index",
    "my_results",
    "self_assessment",
]
