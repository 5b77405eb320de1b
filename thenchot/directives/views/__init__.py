"""Pages of task direction tracking (giao việc – theo dõi – đôn đốc).

- `lists`: "my tasks", "my unit's tasks" (a subtree, with a unit picker), "tasks I assigned";
  one filter definition (`TaskFilterSet`) and one XLSX export (`?format=xlsx`) for all three;
- `assigning`: the "assign a task" form and its assignee suggestions;
- `task_page`: the "3 rõ" page (process and progress, who is responsible, what checking,
  urging and handling was done), with the action forms each reader may use;
- `documents`: source documents with their attachments, served through a view that checks
  the reader;
- `statistics`: the per-unit statistics with drill-down along the tree.

Reads go through `selectors` (a task out of reach is a 404, like a missing one); every write
goes through `services`, which re-check who may act and refuse bad input with field errors.
Each list runs a fixed number of queries whatever the page size (`tests/test_views_task_list_queries.py`).
The views are re-exported here, so `urls.py` names them as `views.<name>`.
"""

from thenchot.directives.views.assigning import assignee_options, task_create
from thenchot.directives.views.documents import (
    attachment_download,
    document_attach,
    document_create,
    document_list,
    document_page,
)
from thenchot.directives.views.lists import assigned_task_list, my_task_list, unit_task_list
from thenchot.directives.views.picking import assignee_pick, document_pick, unit_pick
from thenchot.directives.views.statistics import statistics_page
from thenchot.directives.views.task_page import (
    extension_decide,
    progress_file,
    task_assess,
    task_comment,
    task_complete,
    task_extension,
    task_page,
    task_progress,
    task_subtask,
)

__all__ = [
    "assigned_task_list",
    "assignee_options",
    "assignee_pick",
    "attachment_download",
    "document_attach",
    "document_create",
    "document_list",
    "document_pick",
    "document_page",
    "extension_decide",
    "my_task_list",
    "progress_file",
    "statistics_page",
    "task_assess",
    "task_comment",
    "task_complete",
    "task_create",
    "task_extension",
    "task_page",
    "task_progress",
    "task_subtask",
    "unit_pick",
    "unit_task_list",
]
