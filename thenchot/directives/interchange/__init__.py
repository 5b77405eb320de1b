"""The `documents` and `tasks` sections of the interchange format (shared/spec/interchange.md),
registered from `DirectivesConfig.ready()`.

Documents come first (order 50: tasks and inspections refer to them), then tasks (order 55)
with their nested `extensions`.
"""

from __future__ import annotations

from thenchot.core import interchange_fields as spec
from thenchot.directives.interchange.documents import DocumentSection
from thenchot.directives.interchange.tasks import TaskSection

spec.register(DocumentSection(), TaskSection())

__all__ = ["DocumentSection", "TaskSection"]
