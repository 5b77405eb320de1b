"""The `job_positions`, `staff` and `assignments` sections of the interchange format, registered on import
(`PeopleConfig.ready()`), and what other sections ask about staff (`history`)."""

from __future__ import annotations

from thenchot.core import interchange_fields as spec
from thenchot.people.interchange.assignments import AssignmentSection
from thenchot.people.interchange.common import search_text
from thenchot.people.interchange.job_positions import JobPositionSection
from thenchot.people.interchange.staff import StaffSection

spec.register(JobPositionSection(), StaffSection(), AssignmentSection())

__all__ = ["AssignmentSection", "JobPositionSection", "StaffSection", "search_text"]
