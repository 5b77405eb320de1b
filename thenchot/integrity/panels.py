"""The close screen's panel about its closed periods: sealed and intact, or what changed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from thenchot.core.panels import PeriodPanel
from thenchot.integrity.verifying import CHAIN, verify

# Above this many sealed results the screen checks the chain and the seals but does not compare
# every row on each view (a city's month: ~2 s of CPU): `verify_periods` does.
ROW_LIMIT = 20_000


def period_context(scope: Any, periods: list[Any]) -> dict[str, Any] | None:
    """The check of `periods`: the closed periods the close screen shows this reader (the
    screen decides who sees which agency's results, by role and line of review). Nothing is
    said of any other period: a fault of the chain there is reported without naming it, and
    only city-wide readers see it named."""
    if not periods:
        return None
    report = verify(periods, row_limit=ROW_LIMIT)
    shown = {p.pk for p in periods}
    findings = []
    elsewhere = False
    for finding in report.findings:
        if finding.period_id in shown or scope.city_wide:
            findings.append(finding)
        elif finding.kind == CHAIN:
            elsewhere = True
    return {
        "report": report,
        "findings": findings,
        "elsewhere": elsewhere,
        # Only what was compared and found sealed: a note (a period closed before sealing
        # began) is shown, not hidden behind "intact".
        "intact": report.ok and not elsewhere and not report.rows_skipped and not findings,
        "period_code": periods[0].code,
        "periods": periods,
    }


integrity_panel = PeriodPanel(
    title=_("Integrity of the closed results"),
    template="integrity/period_panel.html",
    context=period_context,
)
