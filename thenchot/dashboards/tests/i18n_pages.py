"""The dashboard's pages for the language test (tests/i18n/plugins.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def _records(pw: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "metric": "tasks.due",
        "unit": "HN",
        "from": today.replace(month=1, day=1).isoformat(),
        "to": today.replace(month=12, day=31).isoformat(),
        "as_of": today.isoformat(),
    }


QUERY = {"dashboards:records": _records}
PREFERRED = {"dashboards:index": "hung", "dashboards:board": "hoa", "dashboards:records": "hung"}
POST_ONLY = {"dashboards:urge": "dashboards:board", "dashboards:reassign": "dashboards:board"}
