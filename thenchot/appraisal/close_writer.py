"""Writing a period's close: the evaluations' levels, scores and traces, and the audit.

The close hands rows over one batch of agencies at a time. On PostgreSQL a worker thread sends
each batch (COPY into a temporary table, then one UPDATE ... FROM) while the close classifies
the next: the database works on one core while Python works on the other, in the close's one
transaction (psycopg connections serialise their use across threads). Elsewhere the batches
are written in the calling thread, by `executemany`.

The audit of a close is written in bulk: one line per agency period, whose `after` carries,
under `members`, each evaluation's own before and after (status, final level, score) — who,
when and before/after for every evaluation, as `core.auditing.history` shows it on the
evaluation's history page (decisions/0006). The trace itself stays on the record: the audit
says what changed, the record why.
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from thenchot.appraisal import rules
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation

TEMP = "appraisal_close_rows"


@dataclass(slots=True)
class Row:
    """One evaluation during the close: what the quota and the writer need, nothing more."""

    pk: int
    staff_id: int
    period_id: int
    agency: str
    level: rules.Level
    score: Decimal | None
    is_leader: bool
    demoted: bool
    reasons: str  # the trace as a JSON array (quota lines are appended to it)
    before: tuple[str, str, Decimal | None]  # status, final level, score


class Writer:
    """Writes batches of closed rows; `finish()` waits for the last and re-raises a failure."""

    def __init__(self, *, threaded: bool = True) -> None:
        self.now = timezone.now()
        self.error: BaseException | None = None
        self._pg = connection.vendor == "postgresql"
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=2)
        self._thread: threading.Thread | None = None
        if self._pg:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {TEMP} (id bigint, final_level varchar(20),"
                    " score numeric(5, 2), reasons jsonb) ON COMMIT DROP"
                )
            self._raw = connection.connection  # the psycopg connection, in the open transaction
            if threaded:
                self._thread = threading.Thread(target=self._work, name="close-writer", daemon=True)
                self._thread.start()

    # -- the two ends --------------------------------------------------------------------------
    def put(self, rows: Sequence[Row]) -> None:
        if not rows or self.error is not None:
            return
        if self._thread is not None:
            self._queue.put(_copy_payload(rows))
        elif self._pg:
            self._send(_copy_payload(rows))
        else:
            _write_generic(rows, self.now)

    def finish(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None
        if self._pg:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {TEMP}")
        if self.error is not None:
            raise self.error

    def abandon(self) -> None:
        """Stop the worker after a refusal (the transaction is rolled back by the caller)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    # -- the worker (PostgreSQL) -----------------------------------------------------------------
    def _work(self) -> None:
        while True:
            payload = self._queue.get()
            if payload is None:
                return
            if self.error is None:
                try:
                    self._send(payload)
                except BaseException as exc:  # re-raised by finish() in the closing thread
                    self.error = exc

    def _send(self, payload: str) -> None:
        """COPY one batch into the temporary table, then one UPDATE ... FROM it."""
        table = connection.ops.quote_name(Evaluation._meta.db_table)
        with self._raw.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TEMP}")
            with cursor.copy(f"COPY {TEMP} (id, final_level, score, reasons) FROM STDIN") as copy:
                copy.write(payload)
            cursor.execute(
                f"UPDATE {table} AS e SET final_level = t.final_level, score = t.score,"
                " reasons = t.reasons, status = %s, version = e.version + 1, updated_at = %s"
                f" FROM {TEMP} AS t WHERE e.id = t.id",
                [EvaluationStatus.CLOSED.value, self.now],
            )


def _copy_payload(rows: Sequence[Row]) -> str:
    """The rows in COPY text format. A trace is JSON, whose control characters are already
    escaped; only its backslashes need doubling for COPY."""
    parts = []
    for r in rows:
        reasons = r.reasons.replace("\\", "\\\\") if "\\" in r.reasons else r.reasons
        score = "\\N" if r.score is None else str(r.score)
        parts.append(f"{r.pk}\t{r.level.value}\t{score}\t{reasons}\n")
    return "".join(parts)


def _write_generic(rows: Sequence[Row], now: Any) -> None:
    table = connection.ops.quote_name(Evaluation._meta.db_table)
    stamp = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f"UPDATE {table} SET final_level = %s, score = %s, reasons = %s, status = %s,"
        " version = version + 1, updated_at = %s WHERE id = %s"
    )
    closed = EvaluationStatus.CLOSED.value
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(
                sql,
                [
                    (
                        r.level.value,
                        None if r.score is None else str(r.score),
                        r.reasons,
                        closed,
                        stamp,
                        r.pk,
                    )
                    for r in rows[start : start + 5000]
                ],
            )


# -- the audit ---------------------------------------------------------------------------------
def _js(value: str | None) -> str:
    # Level and status codes and decimal strings: nothing in them needs escaping.
    return "null" if value is None else f'"{value}"'


def members_json(rows: Sequence[Row]) -> str:
    """`{"<evaluation id>": {"before": {...}, "after": {...}}, ...}` for the period's line."""
    closed = EvaluationStatus.CLOSED.value
    parts = []
    for r in rows:
        status, level, score = r.before
        old = None if score is None else str(score)
        new = None if r.score is None else str(r.score)
        parts.append(
            f'"{r.pk}": {{"before": {{"final_level": {_js(level)}, "score": {_js(old)},'
            f' "status": {_js(status)}}}, "after": {{"final_level": "{r.level.value}",'
            f' "score": {_js(new)}, "status": "{closed}"}}}}'
        )
    return "{" + ", ".join(parts) + "}"


def write_period_audit(changes: Sequence[tuple[Any, dict[str, Any], dict[str, Any], str]]) -> None:
    """One audit line per closed period: (period, before, after, members JSON)."""
    import json

    from django.contrib.contenttypes.models import ContentType

    from thenchot.audit.models import AuditEntry
    from thenchot.core import auditing
    from thenchot.core.bulk import RawJSON, Table
    from thenchot.core.context import current

    ctx = current()
    actor = ctx.actor
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_name = str(getattr(actor, "username", "")) if actor is not None else ""
    table = Table(AuditEntry)
    batch = uuid.uuid4().hex
    now = timezone.now()
    pending = []
    for period, before, after, members in changes:
        ct = ContentType.objects.get_for_model(period.__class__).pk
        encoded = json.dumps(after)
        pending.append(
            table.complete(
                {
                    "at": now,
                    "actor_id": actor_id,
                    "actor_name": actor_name,
                    "request_id": ctx.request_id,
                    "source": ctx.source,
                    "action": auditing.UPDATE,
                    "content_type_id": ct,
                    "model_label": period._meta.label_lower,
                    "object_id": str(period.pk),
                    "object_repr": str(period)[:200],
                    "before": RawJSON(json.dumps(before)),
                    "after": RawJSON(f'{encoded[:-1]}, "{auditing.MEMBERS}": {members}}}'),
                    "changed_fields": RawJSON(json.dumps(auditing.diff(before, after))),
                    "reason": ctx.reason,
                    "batch": batch,
                },
                now,
            )
        )
    table.insert(pending)
