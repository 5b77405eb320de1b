"""Writes to documents and tasks. Keyword-only, atomic, validated, audited; who may act is
re-checked inside the transaction (the rules are in `selectors`' docstring).

Every refused change raises `DomainError` (or `OutOfScope`, `ConcurrentUpdate`) before anything
is written, so a refusal changes nothing. Notifications are sent after commit, and only when the
`notifications` app provides `notify` (see `_notify`).

The package is the former module split by concern; callers import from
`thenchot.directives.services` only, never from its modules:

- `base`: `today`, the refusal helpers, `_authority`, the locked task, the progress roll-up;
- `uploads`: `validate_upload`, `store_upload`, `MAX_ATTACHMENT_BYTES`, `ALLOWED_TYPES`;
- `notices`: `_notify`, the after-commit message to the people concerned;
- `documents`: `document_create`, `document_attach`;
- `assigning`: `task_create`, `subtask_create`;
- `reporting`: `progress_report`, `task_comment`;
- `extensions`: `extension_request`, `extension_decide`;
- `completion`: `task_complete`, `task_assess`.

Every module reads the day through `services.today` (`base._today`), so replacing
`services.today` moves the day for all of them.
"""

from __future__ import annotations

from thenchot.directives.services.assigning import subtask_create, task_create
from thenchot.directives.services.base import _today, today
from thenchot.directives.services.completion import task_assess, task_complete
from thenchot.directives.services.documents import document_attach, document_create
from thenchot.directives.services.extensions import extension_decide, extension_request
from thenchot.directives.services.reporting import progress_report, task_comment
from thenchot.directives.services.uploads import (
    ALLOWED_TYPES,
    MAX_ATTACHMENT_BYTES,
    store_upload,
    validate_upload,
)

__all__ = [
    "ALLOWED_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "_today",
    "document_attach",
    "document_create",
    "extension_decide",
    "extension_request",
    "progress_report",
    "store_upload",
    "subtask_create",
    "task_assess",
    "task_comment",
    "task_complete",
    "task_create",
    "today",
    "validate_upload",
]
