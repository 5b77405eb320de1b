"""How far an import has gone: the steps `services.import_file` reports, the line a person
reads for each, and the share of the whole run the progress bar shows.

An import reads the file (bytes read of the file's size), checks each section (parsing and
planning), then writes each section (records handled of the section's records). The bar gives
reading a third of the run, checking a sixth and writing the rest, which is about how the
city-wide file's time divides.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from thenchot.exchange.limits import count

READ, CHECK, WRITE = "read", "check", "write"
_SHARES = {READ: (0.0, 1 / 3), CHECK: (1 / 3, 1 / 2), WRITE: (1 / 2, 1.0)}


@dataclass(frozen=True)
class Step:
    """One report: the phase, the section (empty while reading), how much of it is done out
    of `total` (bytes while reading, records otherwise), and the place of the section among
    the file's sections (`index` of `sections`) for the share of the whole."""

    phase: str
    section: str = ""
    done: int = 0
    total: int = 0
    index: int = 0
    sections: int = 1

    def line(self) -> str:
        """The step as a person reads it, in the current language."""
        if self.phase == READ:
            return _("Reading the file: %(done)s of %(total)s") % {
                "done": filesizeformat(self.done),
                "total": filesizeformat(self.total),
            }
        values = {"section": self.section, "done": count(self.done), "total": count(self.total)}
        if self.phase == CHECK:
            return _("Checking %(section)s: %(total)s records") % values
        return _("Writing %(section)s: %(done)s of %(total)s records") % values

    @property
    def fraction(self) -> float:
        """The share of the whole import done, from 0 to 1."""
        start, end = _SHARES[self.phase]
        part = min(self.done / self.total, 1.0) if self.total else 0.0
        if self.phase != READ:
            part = (self.index + (part if self.phase == WRITE else 0.0)) / max(self.sections, 1)
        return start + (end - start) * part

    @property
    def percent(self) -> int:
        return int(self.fraction * 100)


Report = Callable[[Step], None]


class Throttled:
    """Pass a step on at most every `every` seconds, and always when the phase or the section
    changes or a part is complete (so every section is named, and its end told, once)."""

    def __init__(self, report: Report, every: float = 1.0) -> None:
        self.report = report
        self.every = every
        self._last = 0.0
        self._sent: Step | None = None

    def __call__(self, step: Step) -> None:
        now = time.monotonic()
        sent = self._sent
        moved = sent is None or (step.phase, step.section) != (sent.phase, sent.section)
        complete = step.total > 0 and step.done >= step.total and step != sent
        if moved or complete or now - self._last >= self.every:
            self._sent = step
            self._last = now
            self.report(step)
