"""Sealing closed periods (docs/integrity.md): what a seal holds and how its digest is made.

A seal keeps its period's results as the close wrote them: one text line per evaluation (its
primary key, then `FIELDS` in canonical form, tab-separated), in primary-key order, compressed.
`rows_digest` is the SHA-256 of those lines; the entry's `digest` is an HMAC-SHA256, keyed
with a key derived from the installation's secret key, over the entry's header (its position,
kind, period, time, count, rows digest) and the previous entry's digest. The rows of every
period closed at once are read by one query, streamed, inside the close's transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.integrity.models import SealChainHead, SealEntry, SealKind

SCHEME = "v1"
# The result of an evaluation as the close leaves it: who, where, under which pack, the points
# it was classified on, the quota flag, the status, the level and the score. (`reasons`, the
# trace, is an explanation of these, and JSON the databases store differently: not sealed.)
FIELDS: tuple[str, ...] = (
    "staff_id",
    "unit_id",
    "period_code",
    "category",
    "is_leader",
    "is_head",
    "rule_pack",
    "pack_version",
    "general_points",
    "task_points",
    "bonus_points",
    "reviewed_general_points",
    "reviewed_task_points",
    "reviewed_bonus_points",
    "quota_demoted",
    "status",
    "final_level",
    "score",
)
NULL = "\\N"
STREAM_CHUNK = 5000


def _text(value: Any) -> str:
    if value is None:
        return NULL
    if value is True:
        return "1"
    if value is False:
        return "0"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    text = str(value)
    if "\t" in text or "\n" in text or "\\" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return text


def _converters() -> list[Callable[[Any], str]]:
    out: list[Callable[[Any], str]] = [str]  # the primary key
    for name in FIELDS:
        field = Evaluation._meta.get_field(name)
        kind = field.get_internal_type()
        if kind in {"ForeignKey", "BigAutoField", "AutoField"} and not field.null:
            out.append(str)
        else:
            out.append(_text)
    return out


def canonical_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Each (pk, *FIELDS) row as its canonical line."""
    conv = _converters()
    pairs = list(enumerate(conv))
    for row in rows:
        yield "\t".join([c(row[i]) for i, c in pairs]) + "\n"


def rows_of(period_ids: Sequence[int]) -> Iterator[tuple[int, list[Any]]]:
    """(period id, [(pk, *FIELDS)...]) for each period with evaluations, from one query."""
    qs = (
        Evaluation.objects.filter(period_id__in=list(period_ids))
        .order_by("period_id", "pk")
        .values_list("period_id", "pk", *FIELDS)
    )
    current: int | None = None
    bucket: list[Any] = []
    for row in qs.iterator(chunk_size=STREAM_CHUNK):
        if row[0] != current:
            if current is not None:
                yield current, bucket
            current, bucket = row[0], []
        bucket.append(row[1:])
    if current is not None:
        yield current, bucket


def period_texts(period_ids: Sequence[int]) -> Iterator[tuple[int, str]]:
    """(period id, its canonical lines joined) for each period with evaluations: on PostgreSQL
    made by the database (`_lines_sql`: the same text as `canonical_lines`, a city's 200,000
    rows not made into Python values first), elsewhere from `rows_of`."""
    if connection.vendor != "postgresql":
        for period_id, rows in rows_of(period_ids):
            yield period_id, "".join(canonical_lines(rows))
        return
    table = connection.ops.quote_name(Evaluation._meta.db_table)
    # In the close's transaction (no savepoint of its own: nothing here to roll back alone).
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # Not compiled to machine code: at 1,000,000 rows the estimate crosses
        # `jit_optimize_above_cost` and `jit_inline_above_cost`, and compiling (0.9 s of wall
        # time on a loaded machine; 0.05 s at 200,000) cost more than it saved: 0.13 s of CPU.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            f"SELECT period_id, string_agg({_lines_sql()}, '' ORDER BY id) FROM {table}"
            " WHERE period_id = ANY(%s) GROUP BY period_id ORDER BY period_id",
            [sorted(period_ids)],
        )
        found = cursor.fetchall()
        cursor.execute("RESET jit")
    yield from found


def _lines_sql() -> str:
    """A row's canonical line (`canonical_lines`) as a PostgreSQL expression: `str` of the
    primary key and of the ids that cannot be null, `_text` of the rest — NULL as `NULL` (\\N),
    booleans as 1 and 0, decimals with their two places (the columns' scale), text with its
    backslashes, tabs and newlines escaped."""
    q = connection.ops.quote_name
    parts = [f"{q(str(Evaluation._meta.pk.column))}::text"]  # type: ignore[union-attr]
    for name in FIELDS:
        field = Evaluation._meta.get_field(name)
        column = q(str(field.column))  # type: ignore[union-attr]
        kind = field.get_internal_type()
        if kind in {"ForeignKey", "BigAutoField", "AutoField"} and not field.null:
            parts.append(f"{column}::text")
            continue
        if kind == "BooleanField":
            expr = f"CASE WHEN {column} THEN '1' WHEN NOT {column} THEN '0' END"
        elif kind == "DecimalField":
            if getattr(field, "decimal_places", None) != 2:
                raise NotImplementedError(f"{name}: the seal shows decimals with two places")
            expr = f"{column}::text"  # numeric(n, 2): always its two places
        elif kind in {"CharField", "TextField"}:
            expr = (
                f"replace(replace(replace({column}, E'\\\\', E'\\\\\\\\'),"
                f" E'\\t', E'\\\\t'), E'\\n', E'\\\\n')"
            )
        else:
            expr = f"{column}::text"  # integers
        parts.append(f"coalesce({expr}, E'\\\\N')")
    return " || E'\\t' || ".join(parts) + " || E'\\n'"


def encode(lines: Iterable[str]) -> tuple[bytes, str, int]:
    """(compressed blob, SHA-256 of the lines, number of lines)."""
    text = "".join(lines).encode()
    return zlib.compress(text, 3), hashlib.sha256(text).hexdigest(), text.count(b"\n")


def decode(blob: bytes | memoryview) -> bytes:
    return zlib.decompress(bytes(blob))


# -- keys and digests --------------------------------------------------------------------------
def _key() -> bytes:
    return hashlib.sha256(b"thenchot.integrity.seal|" + settings.SECRET_KEY.encode()).digest()


def key_id() -> str:
    """Names the key (not a secret): a seal made under another secret key says so."""
    return hashlib.sha256(b"id|" + _key()).hexdigest()[:16]


def header(entry: SealEntry) -> bytes:
    at = entry.at.astimezone(dt.UTC).isoformat()
    parts = [
        entry.scheme,
        str(entry.sequence),
        entry.kind,
        str(entry.period_id),
        entry.period_code,
        str(entry.agency_id),
        at,
        str(entry.row_count),
        entry.rows_digest,
        entry.previous_digest,
    ]
    return "\n".join(parts).encode()


def entry_digest(entry: SealEntry) -> str:
    return hmac.new(_key(), header(entry), hashlib.sha256).hexdigest()


# -- writing -----------------------------------------------------------------------------------
def _head() -> SealChainHead:
    head = SealChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Created by the migration; a test database flushed between tests starts again here.
        last = SealEntry.objects.order_by("-sequence").first()
        head = SealChainHead.objects.create(
            pk=1,
            sequence=last.sequence if last else 0,
            digest=last.digest if last else "",
        )
        head = SealChainHead.objects.select_for_update().get(pk=1)
    return head


def _append(head: SealChainHead, entries: list[SealEntry]) -> None:
    for entry in entries:
        head.sequence += 1
        entry.sequence = head.sequence
        entry.previous_digest = head.digest
        entry.digest = entry_digest(entry)
        head.digest = entry.digest
    SealEntry.objects.bulk_create(entries)
    head.save(update_fields=["sequence", "digest"])


def seal_periods(*, period_ids: Sequence[int], by: Any = None) -> list[SealEntry]:
    """Seal the periods just closed, in the close's transaction (the `period_closed` signal)."""
    if not period_ids:
        return []
    now = timezone.now()
    by_id = getattr(by, "pk", None)
    periods = {
        pk: (code, agency_id)
        for pk, code, agency_id in EvaluationPeriod.objects.filter(pk__in=period_ids).values_list(
            "pk", "code", "agency_id"
        )
    }
    sealed: dict[int, tuple[bytes, str, int]] = {}
    for period_id, text in period_texts(sorted(periods)):
        sealed[period_id] = encode((text,))
    entries = []
    for pk in sorted(periods):
        code, agency_id = periods[pk]
        blob, digest, count = sealed.get(pk) or encode(())
        entries.append(
            SealEntry(
                kind=SealKind.SEAL,
                period_id=pk,
                period_code=code,
                agency_id=agency_id,
                at=now,
                by_id=by_id,
                scheme=SCHEME,
                key_id=key_id(),
                row_count=count,
                rows=blob,
                rows_digest=digest,
            )
        )
    with transaction.atomic():
        _append(_head(), entries)
    return entries


def note_reopened(*, period_id: int, by: Any = None) -> SealEntry:
    """The period's seal is superseded: an entry saying so, in the reopening's transaction."""
    code, agency_id = EvaluationPeriod.objects.values_list("code", "agency_id").get(pk=period_id)
    entry = SealEntry(
        kind=SealKind.REOPEN,
        period_id=period_id,
        period_code=code,
        agency_id=agency_id,
        at=timezone.now(),
        by_id=getattr(by, "pk", None),
        scheme=SCHEME,
        key_id=key_id(),
    )
    with transaction.atomic():
        _append(_head(), [entry])
    return entry
