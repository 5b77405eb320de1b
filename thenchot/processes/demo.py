"""Demo procedures and cases (placeholder, filled below)."""

from __future__ import annotations

import datetime as dt


def load_demo_processes(*, seed: int, today: dt.date) -> None:
    return None
