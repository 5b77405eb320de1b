"""Writing a period's close: the evaluations' levels, scores and traces, the periods' lock,
and the audit.

The close hands over one batch of whole periods at a time. On PostgreSQL a worker thread
writes each batch — COPY of the rows into a temporary table and one UPDATE ... FROM it, the
periods' UPDATE, their audit lines by COPY — while the close computes the next: the database
works on one core while Python works on the other, in the close's one transaction (psycopg
connections serialise their use across threads). A roll-up's new rows (`close_rollup`: not
inserted before the close on PostgreSQL) are inserted there already closed — COPY of their own
columns into a temporary table, one INSERT ... SELECT joining their drafts' shared columns.
Elsewhere the batches are written in the calling thread.

The audit of a close is written in bulk: one line per agency period, whose `after` carries,
under `members` (`core.auditing.MEMBERS`), each evaluation's own before and after (status,
final level, score) — who, when and before/after for every evaluation, shown on the
evaluation's history page like its other lines (decisions/0006). The trace itself stays on
the record: the audit says what changed, the record why.
"""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from thenchot.appraisal import rules
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.audit.models import AuditEntry
from thenchot.core import auditing
from thenchot.core.bulk import AUDIT_COLUMNS
from thenchot.core.context import current

TEMP = "appraisal_close_rows"
# A roll-up's new rows (PostgreSQL, `close_rollup._keep_new`): their own columns, and the
# columns each draft shares with its other rows.
TEMP_NEW = "appraisal_close_new"
TEMP_DRAFTS = "appraisal_close_drafts"
# What a new row has of its own; the rest comes from its draft.
NEW_OWN = ("id", "staff_id", "final_level", "score", "reasons")


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


@dataclass(frozen=True)
class PeriodLock:
    """What a closed period gets: its quota use (JSON) and its audit line (`AUDIT_COLUMNS`)."""

    pk: int
    quota_use: str
    audit: tuple[Any, ...]


class Writer:
    """Writes batches of a close; `finish()` waits for the last and re-raises a failure."""

    def __init__(
        self,
        *,
        now: Any,
        closed_by: int | None,
        pack_params: str,
        threaded: bool = True,
        drafts: Sequence[dict[str, Any]] = (),
    ) -> None:
        self.now = now
        self.closed_by = closed_by
        self.pack_params = pack_params  # JSON, the same for every period of the close
        self.error: BaseException | None = None
        self._pg = connection.vendor == "postgresql"
        self._queue: queue.Queue[tuple[str, str, Sequence[PeriodLock]] | None] = queue.Queue(2)
        self._thread: threading.Thread | None = None
        connection.ensure_connection()
        self._raw = connection.connection  # the DB-API connection, in the open transaction
        if self._pg:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {TEMP} (id bigint, final_level varchar(20),"
                    " score numeric(5, 2), reasons jsonb) ON COMMIT DROP"
                )
        self._insert = ""
        if drafts:
            self._insert = _new_rows_table(drafts, now)
        # The worker thread starts with the first batch.
        self._threaded = threaded and self._pg

    # -- the two ends --------------------------------------------------------------------------
    def put(self, payloads: Sequence[Any], periods: Sequence[PeriodLock]) -> None:
        """Write rows rendered by `copy_payload` and `new_payload` (PostgreSQL: a pair of COPY
        texts per period, the rows to update and those to insert) or `row_tuples` (elsewhere)
        and lock their periods."""
        if self.error is not None or not (payloads or periods):
            return
        if not self._pg:
            _write_rows_generic([t for part in payloads for t in part], self.now)
            self._lock_generic(periods)
            return
        item = ("".join(p[0] for p in payloads), "".join(p[1] for p in payloads), periods)
        if self._threaded:
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="close-writer", daemon=True)
                self._thread.start()
            self._queue.put(item)
        else:
            self._send(*item)

    def finish(self) -> None:
        self._stop()
        if self._pg:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {TEMP}, {TEMP_NEW}, {TEMP_DRAFTS}")
        if self.error is not None:
            raise self.error

    def abandon(self) -> None:
        """Stop the worker after a refusal (the transaction is rolled back by the caller)."""
        self._stop()

    def _stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    # -- PostgreSQL --------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self.error is None:
                try:
                    self._send(*item)
                except BaseException as exc:  # re-raised by finish() in the closing thread
                    self.error = exc

    def _send(self, payload: str, inserts: str, periods: Sequence[PeriodLock]) -> None:
        q = connection.ops.quote_name
        with self._raw.cursor() as cursor:
            if inserts:
                cursor.execute(f"TRUNCATE {TEMP_NEW}")
                with cursor.copy(f"COPY {TEMP_NEW} FROM STDIN") as copy:
                    copy.write(inserts)
                cursor.execute(
                    self._insert, {"status": EvaluationStatus.CLOSED.value, "updated_at": self.now}
                )
            if payload:
                cursor.execute(f"TRUNCATE {TEMP}")
                with cursor.copy(
                    f"COPY {TEMP} (id, final_level, score, reasons) FROM STDIN"
                ) as copy:
                    copy.write(payload)
                # A batch's rows are whole periods, whose ids are near one another: reached
                # through the primary key, each is a few page reads. Left to itself the planner
                # hashes the whole evaluation table for every batch once a batch is a tenth of
                # it (a seq scan per batch; measured 2.4 s against 1.6 s for a city's month), so
                # the join is fixed for this statement and the settings restored after it.
                # Not compiled either: past 300,000 rows the planner's estimate of a batch
                # crosses `jit_above_cost` (the primary key's index grows), and 47 of a
                # 1,000,000 close's 52 batches were compiled to machine code (none at 200,000)
                # for nothing: a batch takes the same CPU compiled or not.
                cursor.execute("SET LOCAL enable_hashjoin = off")
                cursor.execute("SET LOCAL enable_mergejoin = off")
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(
                    f"UPDATE {q(Evaluation._meta.db_table)} AS e SET final_level ="
                    " t.final_level, score = t.score, reasons = t.reasons, status = %s,"
                    " version = e.version + 1, updated_at = %s"
                    f" FROM {TEMP} AS t WHERE e.id = t.id",
                    [EvaluationStatus.CLOSED.value, self.now],
                )
                cursor.execute("RESET enable_hashjoin")
                cursor.execute("RESET enable_mergejoin")
                cursor.execute("RESET jit")
            if periods:
                table = q(EvaluationPeriod._meta.db_table)
                cursor.execute(
                    f"UPDATE {table} SET status = %s, closed_at = %s, closed_by_id = %s,"
                    " pack_params = %s::jsonb, version = version + 1, updated_at = %s"
                    " WHERE id = ANY(%s)",
                    [
                        PeriodStatus.CLOSED.value,
                        self.now,
                        self.closed_by,
                        self.pack_params,
                        self.now,
                        [p.pk for p in periods],
                    ],
                )
                cursor.executemany(
                    f"UPDATE {table} SET quota_use = %s::jsonb WHERE id = %s",
                    [(p.quota_use, p.pk) for p in periods],
                )

                audit = q(AuditEntry._meta.db_table)
                columns = ", ".join(AUDIT_COLUMNS)
                with cursor.copy(f"COPY {audit} ({columns}) FROM STDIN") as copy:
                    for p in periods:
                        copy.write_row(p.audit)

    # -- other databases ---------------------------------------------------------------------------
    def _lock_generic(self, periods: Sequence[PeriodLock]) -> None:
        if not periods:
            return
        from django.db.models import F

        EvaluationPeriod.objects.filter(pk__in=[p.pk for p in periods]).update(
            status=PeriodStatus.CLOSED,
            closed_at=self.now,
            closed_by_id=self.closed_by,
            pack_params=json.loads(self.pack_params),
            version=F("version") + 1,
            updated_at=self.now,
        )
        q = connection.ops.quote_name
        stamp = connection.ops.adapt_datetimefield_value(self.now)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {q(EvaluationPeriod._meta.db_table)} SET quota_use = %s WHERE id = %s",
                [(p.quota_use, p.pk) for p in periods],
            )
            marks = ", ".join(["%s"] * len(AUDIT_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {q(AuditEntry._meta.db_table)} ({', '.join(AUDIT_COLUMNS)})"
                f" VALUES ({marks})",
                [(stamp, *p.audit[1:]) for p in periods],
            )


def copy_payload(rows: Sequence[Row]) -> str:
    """The rows in COPY text format. A trace is JSON, whose control characters are already
    escaped; only its backslashes need doubling for COPY."""
    parts = []
    for r in rows:
        reasons = r.reasons.replace("\\", "\\\\") if "\\" in r.reasons else r.reasons
        score = "\\N" if r.score is None else str(r.score)
        parts.append(f"{r.pk}\t{r.level}\t{score}\t{reasons}\n")  # a StrEnum formats as its value
    return "".join(parts)


def new_payload(rows: Sequence[Row], drafts: dict[int, int]) -> str:
    """The new rows among `rows` (`drafts`: evaluation id -> draft number) in COPY text format,
    as `TEMP_NEW` takes them."""
    parts = []
    for r in rows:
        number = drafts.get(r.pk)
        if number is None:
            continue
        reasons = r.reasons.replace("\\", "\\\\") if "\\" in r.reasons else r.reasons
        score = "\\N" if r.score is None else str(r.score)
        parts.append(f"{r.pk}\t{r.staff_id}\t{number}\t{r.level}\t{score}\t{reasons}\n")
    return "".join(parts)


def _new_rows_table(drafts: Sequence[dict[str, Any]], now: Any) -> str:
    """The temporary tables of the new rows and of their drafts (written here, once), and the
    statement that inserts a batch of new rows closed, at `%(updated_at)s` with `%(status)s`
    (the rest of each row from its draft; `version` one more, as the close's update gives)."""
    from thenchot.core.bulk import Table, column_of

    q = connection.ops.quote_name
    table = Table(Evaluation)
    pk = Evaluation._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TEMP_NEW} (id bigint, staff_id bigint, draft bigint,"
            " final_level varchar(20), score numeric(5, 2), reasons jsonb) ON COMMIT DROP"
        )
        cursor.execute(
            f"CREATE TEMPORARY TABLE {TEMP_DRAFTS}"
            f" (LIKE {q(Evaluation._meta.db_table)}) ON COMMIT DROP"
        )
    # The drafts keyed by their number (in the id column), through `core.bulk`'s adapters.
    table.table = TEMP_DRAFTS
    table.fields = [pk, *table.fields]
    table.adapters = [None, *table.adapters]
    table.insert([{**d, pk.attname: number} for number, d in enumerate(drafts)])
    columns, picked = [], []
    for f in table.fields:
        column = column_of(f)
        columns.append(q(column))
        if column == "id":
            picked.append("n.id")
        elif column == "draft":
            continue
        elif column in NEW_OWN:
            picked.append(f"n.{q(column)}")
        elif column in ("status", "updated_at"):
            picked.append(f"%({column})s")
        elif column == "version":
            picked.append("d.version + 1")
        else:
            picked.append(f"d.{q(column)}")
    return (
        f"INSERT INTO {q(Evaluation._meta.db_table)} ({', '.join(columns)})"
        f" SELECT {', '.join(picked)} FROM {TEMP_NEW} AS n JOIN {TEMP_DRAFTS} AS d"
        " ON d.id = n.draft"
    )


def row_tuples(rows: Sequence[Row]) -> list[tuple[Any, ...]]:
    """The rows as `_write_rows_generic` binds them: level, score, reasons, id."""
    return [
        (r.level.value, None if r.score is None else str(r.score), r.reasons, r.pk) for r in rows
    ]


def _write_rows_generic(rows: Sequence[tuple[Any, ...]], now: Any) -> None:
    if not rows:
        return
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
                    (level, score, reasons, closed, stamp, pk)
                    for level, score, reasons, pk in rows[start : start + 5000]
                ],
            )


# -- the audit ---------------------------------------------------------------------------------
def _js(value: str | None) -> str:
    # Level and status codes and decimal strings: nothing in them needs escaping.
    return "null" if value is None else f'"{value}"'


_CENTS: dict[Any, str] = {None: "null"}


def _cents(score: Decimal | str | None) -> str:
    """A score as JSON, as the column holds it ("80.50"); scores take a few thousand values."""
    if score is None:
        return "null"
    found = _CENTS.get(score)
    if found is None:
        if len(_CENTS) > 1 << 16:
            _CENTS.clear()
            _CENTS[None] = "null"
        found = _CENTS[score] = f'"{Decimal(score):.2f}"'
    return found


MEMBER_FIELDS = '["status", "final_level", "score"]'
APPROVED = EvaluationStatus.APPROVED.value


def members_json(rows: Sequence[Row]) -> str:
    """The evaluations' before and after for the period's audit line, in the compact form of
    `core.auditing.MEMBERS`: most were approved with no level before the close."""
    closed = EvaluationStatus.CLOSED.value
    items = []
    others = []
    for r in rows:
        items.append(f'"{r.pk}": ["{closed}", "{r.level}", {_cents(r.score)}]')
        status, level, score = r.before
        if status != APPROVED or level or score is not None:
            others.append(f'"{r.pk}": [{_js(status)}, {_js(level)}, {_cents(score)}]')
    return (
        f'{{"fields": {MEMBER_FIELDS}, "before": ["{APPROVED}", "", null],'
        f' "items": {{{", ".join(items)}}}, "items_before": {{{", ".join(others)}}}}}'
    )


class AuditLines:
    """Builds the audit line of each closed period (same context for all: one batch id)."""

    def __init__(self, now: Any, by: Any = None) -> None:
        from django.contrib.contenttypes.models import ContentType

        ctx = current()
        actor = ctx.actor if ctx.actor is not None else by
        self.now = now
        self.actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
        self.actor_name = str(getattr(actor, "username", "")) if actor is not None else ""
        self.request_id = ctx.request_id
        self.source = ctx.source
        self.reason = ctx.reason
        self.batch = uuid.uuid4().hex
        self.content_type = ContentType.objects.get_for_model(EvaluationPeriod).pk

    def line(
        self,
        period: EvaluationPeriod,
        before: dict[str, Any],
        after: dict[str, Any],
        members: str,
    ) -> tuple[Any, ...]:
        encoded = json.dumps(after)
        return (
            self.now,
            self.actor_id,
            self.actor_name,
            self.request_id,
            self.source,
            auditing.UPDATE,
            self.content_type,
            EvaluationPeriod._meta.label_lower,
            str(period.pk),
            str(period)[:200],
            json.dumps(before),
            f'{encoded[:-1]}, "{auditing.MEMBERS}": {members}}}',
            json.dumps(auditing.diff(before, after)),
            self.reason,
            self.batch,
        )
