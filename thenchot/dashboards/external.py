"""Figures the dashboard reads from other apps' report blocks — the satisfaction index
(`satisfaction`) and the reform score (`reform`) — through `core.registry.report_blocks`, never
importing those apps (they sit above this one's floor or beside it). A block that is not
registered, or whose installation holds no record of its kind (`has_data`), is left out.

A block is computed in the background, never on a reader's time: the reform index of a city
takes seconds (docs/reform.md). A view reads the last value kept — in this process, else in the
database (`GridSnapshot`, shared by the processes) — and when there is none, or it is older than
`MAX_AGE` or its family's data version moved (`freshness`: the writes of the block's models),
asks the `dashboards.outside` job (`core.jobs`) to compute it again; until the first value
exists the page says the figures are being computed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from thenchot.core.jobs import AskOnce, job
from thenchot.core.registry import report_blocks
from thenchot.dashboards import freshness
from thenchot.dashboards.metrics import Window
from thenchot.org.models import Unit

SATISFACTION = "satisfaction"
REFORM = "reform"
JOB = "dashboards.outside"
MAX_AGE = 600.0  # seconds: the reform index also reads tasks, cases and evaluations
ASK_AGAIN = 60.0  # a request for the same value is not queued twice within this


@dataclass(frozen=True)
class Satisfaction:
    index: float | None  # percent, rounded to two decimals as the report writes it
    responses: int


@dataclass(frozen=True)
class Reform:
    year: int
    total: float
    rank: int


_lock = threading.Lock()
# key -> (family version, monotonic time it was computed at, value)
_memory: dict[str, tuple[int, float, Any]] = {}
_asked = AskOnce(ASK_AGAIN)


def clear() -> None:
    with _lock:
        _memory.clear()
    _asked.clear()


def _key(kind: str, window: Window, units: list[int]) -> str:
    ids = ",".join(str(u) for u in units)
    digest = hashlib.sha1(ids.encode()).hexdigest()[:16]
    return f"ext:{kind}|{window.date_from}|{window.date_to}|{window.as_of}|{digest}"


def available(block_key: str, versions: dict[str, int]) -> bool:
    """Is the block registered and does the installation hold its records? (`has_data`, asked
    once per data version of its family.)"""
    if block_key not in report_blocks:
        return False
    key = f"has_data:{block_key}"
    stamp = freshness.version(versions, block_key)
    with _lock:
        hit = _memory.get(key)
    if hit is not None and hit[0] == stamp:
        return bool(hit[2])
    found = bool(report_blocks.get(block_key).has_data())
    with _lock:
        _memory[key] = (stamp, time.monotonic(), found)
    return found


def _read(kind: str, window: Window, units: list[int], versions: dict[str, int]) -> Any:
    """The kept value (None: never computed); a stale or missing one is asked for again."""
    from thenchot.dashboards.models import GridSnapshot

    key = _key(kind, window, units)
    stamp = freshness.version(versions, kind)
    now = time.monotonic()
    with _lock:
        hit = _memory.get(key)
    if hit is not None and hit[0] == stamp and now - hit[1] < MAX_AGE:
        return hit[2]
    value: Any = hit[2] if hit is not None else None
    fresh = False
    row = (
        GridSnapshot.objects.filter(key=key).values("family_version", "data", "counted_at").first()
    )
    if row is not None:
        value = _decode(kind, row["data"])
        age = (timezone.now() - row["counted_at"]).total_seconds()
        fresh = row["family_version"] == stamp and age < MAX_AGE
        if fresh:
            with _lock:
                _memory[key] = (stamp, now - age, value)
    if not fresh:
        _ask(key, kind, window, units)
    return value


def _ask(key: str, kind: str, window: Window, units: list[int]) -> None:
    _asked.enqueue(
        key,
        JOB,
        kind=kind,
        date_from=window.date_from.isoformat(),
        date_to=window.date_to.isoformat(),
        as_of=window.as_of.isoformat(),
        units=units,
    )


def satisfaction(
    unit_ids: list[int], window: Window, versions: dict[str, int]
) -> dict[int, Satisfaction] | None:
    """Each unit's satisfaction index over the window (its subtree), as the report's block;
    {} when the app holds no responses, None while being computed."""
    if not unit_ids or not available(SATISFACTION, versions):
        return {}
    value: dict[int, Satisfaction] | None = _read(SATISFACTION, window, unit_ids, versions)
    return value


def reform(root_id: int, window: Window, versions: dict[str, int]) -> dict[str, Reform] | None:
    """Unit code -> its reform score and rank in its group for the window's year, for every
    scored unit in the root's subtree; {} when the app holds no scores, None while being
    computed."""
    if not available(REFORM, versions):
        return {}
    value: dict[str, Reform] | None = _read(REFORM, window, [root_id], versions)
    return value


# -- the computation (the job) --------------------------------------------------------------------
def compute(kind: str, window: Window, units: list[int]) -> Any:
    block = report_blocks.get(kind)
    if kind == SATISFACTION:
        found = Unit.objects.in_bulk(units)
        out: dict[Any, Any] = {}
        for pk in units:
            if pk not in found:
                continue
            figure = block.compute(
                unit=found[pk],
                date_from=window.date_from,
                date_to=window.date_to,
                as_of=window.as_of,
            )
            index = figure.get("index")
            out[pk] = Satisfaction(
                index=float(index) if index is not None else None,
                responses=int(figure.get("responses") or 0),
            )
        return out
    figure = block.compute(
        unit=units[0], date_from=window.date_from, date_to=window.date_to, as_of=window.as_of
    )
    scores = {}
    for row in figure.get("units", []):
        total = _number(row.get("total"))
        if total is not None:
            scores[str(row["unit"])] = Reform(
                year=int(figure.get("year") or window.date_to.year),
                total=total,
                rank=int(row.get("rank") or 0),
            )
    return scores


def _encode(value: dict[Any, Any]) -> dict[str, Any]:
    return {str(k): asdict(v) for k, v in value.items()}


def _decode(kind: str, data: dict[str, Any]) -> dict[Any, Any]:
    if kind == SATISFACTION:
        return {int(k): Satisfaction(**v) for k, v in data.items()}
    return {k: Reform(**v) for k, v in data.items()}


@job(JOB)
def outside(
    *, kind: str, date_from: str, date_to: str, as_of: str, units: list[int], **_kw: Any
) -> None:
    """Compute a block's figures for a window and keep them for every process."""
    from thenchot.dashboards.models import GridSnapshot

    window = Window(
        dt.date.fromisoformat(date_from),
        dt.date.fromisoformat(date_to),
        dt.date.fromisoformat(as_of),
    )
    versions = freshness.versions()
    stamp = freshness.version(versions, kind)
    value = compute(kind, window, units)
    key = _key(kind, window, units)
    GridSnapshot.objects.update_or_create(
        key=key,
        defaults={
            "family_version": stamp,
            "tree_version": versions.get(freshness.TREE, 0),
            "month_versions": [],
            "data": _encode(value),
        },
    )
    with _lock:
        _memory[key] = (stamp, time.monotonic(), value)
    _asked.done(key)


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None
