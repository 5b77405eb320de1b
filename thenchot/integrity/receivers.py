"""The close and the reopening tell this app through `core.signals`, inside their transactions:
a failure to seal rolls the close back with it (a closed period is never left unsealed)."""

from __future__ import annotations

from typing import Any

from thenchot.integrity import sealing


def on_period_closed(sender: Any, period_ids: list[int], by: Any = None, **kwargs: Any) -> None:
    sealing.seal_periods(period_ids=period_ids, by=by)


def on_period_reopened(sender: Any, period_id: int, by: Any = None, **kwargs: Any) -> None:
    sealing.note_reopened(period_id=period_id, by=by)
