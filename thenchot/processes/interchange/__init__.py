"""The `processes` and `cases` sections of the interchange format
(`shared/spec/interchange.md`).

`processes` are keyed by (`code`, `version`; version default 1): each version is a record of its
own, with its `steps` (a nested list: JSON list, or the XLSX sheet `steps` whose first columns
`process` and `process_version` name the parent). `cases` name their procedure by code and,
optionally, version (default: the version in force on `received_on`); `step_completions` is the
list of the dates the case's steps were finished, in order (XLSX: dates separated by `;`).
The project adds `decision_number` (processes) and `responsible_role` (steps), so that a backup
keeps what the pages record.

The refusals are the services' (`processes.services`): a step of zero or negative days, a
procedure with no step, a retired version changed, the steps of a version with cases changed,
a case received before its version was approved or on or after it was retired, a step finished
before it started. What only a file can say is checked here too: two versions of a code in force
on the same day, completions after the case was completed or more of them than steps.

Cases are written in bulk (a city holds about a million): their due dates and the steps' dates
are computed on the working-day calendar as it stands once the file's `holidays` are written,
through the same `plan_steps` the services use. Every case created or changed is audited.
"""

from thenchot.core import interchange_fields as spec
from thenchot.processes.interchange.cases import CaseSection
from thenchot.processes.interchange.processes import ProcessSection

process_section = ProcessSection()
case_section = CaseSection()
spec.register(process_section, case_section)

__all__ = ["CaseSection", "ProcessSection", "case_section", "process_section"]
