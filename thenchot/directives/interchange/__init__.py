"""The `documents` and `tasks` sections of the interchange format (shared/spec/interchange.md),
registered from `DirectivesConfig.ready()`.

Documents come first (order 50: tasks and inspections refer to them), then tasks (order 55)
with their nested `extensions`.
"""

from __future__ import annotations

from thenchot.core.registry import interchange_sections
from thenchot.directives.interchange.documents import DocumentSection
from thenchot.directives.interchange.tasks import TaskSection

interchange_sections.register("documents", DocumentSection(), order=DocumentSection.order)
interchange_sections.register("tasks", TaskSection(), order=TaskSection.order)

__all__ = ["DocumentSection", "TaskSection"]
