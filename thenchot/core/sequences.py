"""Readable sequential record codes: `NV-2026-00909` follows the highest `NV-2026-NNNNN`.

A code is the series prefix (which carries the year) and the next number, zero-padded to the
series' width. Two creations at the same moment must never get the same number, on SQLite and
on PostgreSQL alike, so each series has a row in `core.Counter` that the caller's transaction
*writes first* (`UPDATE ... SET value = value + 1`): on PostgreSQL the row stays locked until
that transaction commits, and the second creator's UPDATE waits for it, then (READ COMMITTED)
reads the first one's committed record when it looks for the highest number; on SQLite every
transaction is IMMEDIATE (settings) and writers are serialised anyway.

The counter is also a floor, not only a lock: the number is the larger of the counter and the
highest existing code + 1, so codes typed by hand or imported inside the series are stepped
over, and a number whose record was deleted is not handed out again.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from thenchot.core.models import Counter

_KEY_LENGTH = 50  # Counter.key's max_length

CODE_HELP = _("Leave empty for the next number of the year, or type the official number.")


def series_key(prefix: str) -> str:
    key = f"code:{prefix}"
    if len(key) <= _KEY_LENGTH:
        return key
    # A sub-series under a long record code (a recommendation of "12/KL-UBND/2026-..."): a hash
    # keeps the key within the column and still one per prefix.
    return "code#" + hashlib.sha256(prefix.encode()).hexdigest()[: _KEY_LENGTH - 5]


def _increment(key: str) -> int:
    """Rows updated (0 or 1). Its own function so a test can play the race of the first use."""
    return Counter.objects.filter(key=key).update(value=F("value") + 1)


def _claim(key: str) -> None:
    """Take the series' lock: write its counter row, creating it at its first use."""
    if _increment(key):
        return
    try:
        with transaction.atomic():  # a savepoint: the failed INSERT must not spoil the caller's
            Counter.objects.create(key=key, value=1)
    except IntegrityError:
        # Another transaction created the row between our UPDATE and INSERT (PostgreSQL made us
        # wait for its commit); the row exists now, so this UPDATE takes the lock.
        _increment(key)


def _literal(text: str) -> str:
    """`text` as a regular expression that SQLite (Python `re`) and PostgreSQL read alike."""
    return "".join(ch if ch.isalnum() else f"[{ch}]" for ch in text)


def highest_number(model: type[models.Model], prefix: str, width: int, field: str = "code") -> int:
    """The highest N of the existing `<prefix>N` codes with exactly `width` digits (0 if none).

    Exactly `width`: the random codes of earlier versions (`NV-2026-AC2EB451D8`) are sometimes
    all digits, and must not make the series jump to ten digits."""
    pattern = f"^{_literal(prefix)}[0-9]{{{width}}}$"
    code = (
        model._default_manager.filter(**{f"{field}__regex": pattern})
        .annotate(_code_length=Length(field))
        .order_by("-_code_length", f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    return int(code[len(prefix) :]) if code else 0


def next_code(
    model: type[models.Model], prefix: str, *, width: int = 4, field: str = "code"
) -> str:
    """The next free code of the series `prefix` for `model`, e.g. ("NV-2026-", 5) ->
    "NV-2026-00909". Call it inside the transaction that saves the record: the series stays
    locked until that transaction ends, which is what keeps two creations apart."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_code() must run inside the transaction that saves the record.")
    key = series_key(prefix)
    _claim(key)
    counter = Counter.objects.filter(key=key).values_list("value", flat=True).get()
    number = max(counter, highest_number(model, prefix, width, field) + 1)
    Counter.objects.filter(key=key).update(value=number)
    return f"{prefix}{number:0{width}d}"
