"""The report pages in the language test (tests/i18n/plugins.py): the page with a report of the
city (the world's records), a run built in the background and the list of runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

EXCLUDED_ROUTES = {
    "reports:download": "an XLSX or PDF file",
    "reports:run_file": "a file download",
}
PREFERRED = {
    "reports:index": "hung",
    "reports:runs": "hung",
    "reports:run": "hung",
    "reports:run_progress": "hung",
}


def build(pw: Any) -> None:
    from thenchot.accounts.scoping import compute_scope
    from thenchot.reports import services

    user = pw.people.user("hung")
    today = dt.date.today()
    run = services.run_request(
        scope=compute_scope(user),
        user=user,
        unit_id=pw.people.city.pk,
        date_from=dt.date(today.year, 1, 1),
        date_to=today,
        as_of=today,
        fmt="html",
    )
    services.build_run(run_id=run.pk)
    pw.extra["report_run"] = run


def _run(pw: Any) -> dict[str, Any]:
    return {"pk": pw.extra["report_run"].pk}


ARGS = {"reports:run": _run, "reports:run_progress": _run}
QUERY = {
    "reports:index": lambda pw: {
        "unit": pw.people.city.code,
        "kind": "year",
        "year": dt.date.today().year,
    },
}
