"""Checking the seals (docs/integrity.md): the chain, then each closed period's results.

`verify(periods)` walks the whole chain (headers only: cheap) and compares the results of the
given closed periods (all closed periods when None) with their live seals. Each finding names
the period, the agency and, for a row, the staff code and the fields expected and found.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from thenchot.appraisal.choices import PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.integrity import sealing
from thenchot.integrity.models import SealChainHead, SealEntry, SealKind

# Finding kinds. "unsealed" (a period closed before sealing began) is a note, not a fault.
CHAIN = "chain"
SEAL = "seal"
CHANGED = "changed"
MISSING = "missing"
ADDED = "added"
NOT_SEALED = "not_sealed"
REOPENED = "reopened_outside"
UNSEALED = "unsealed"
OTHER_KEY = "other_key"
FAULTS = {CHAIN, SEAL, CHANGED, MISSING, ADDED, NOT_SEALED, REOPENED}


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    period_id: int | None = None
    period_code: str = ""
    agency_code: str = ""
    staff_code: str = ""

    @property
    def is_fault(self) -> bool:
        return self.kind in FAULTS

    def line(self) -> str:
        where = " / ".join(x for x in (self.period_code, self.agency_code, self.staff_code) if x)
        return f"{where}: {self.text}" if where else self.text


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    periods_checked: int = 0
    rows_checked: int = 0
    chain_length: int = 0
    head_digest: str = ""
    head_sequence: int = 0
    rows_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not any(f.is_fault for f in self.findings)


@dataclass(frozen=True, slots=True)
class _Header:
    """A seal's header as `sealing.header` reads it, and its digests (a chain of a city's
    months is 3,500 seals a year, read on every view of a close screen: building each as a
    model instance was half the check's time)."""

    pk: int
    sequence: int
    kind: str
    period_id: int
    period_code: str
    agency_id: int
    at: dt.datetime
    scheme: str
    key_id: str
    row_count: int
    rows_digest: str
    previous_digest: str
    digest: str


def _headers() -> list[_Header]:
    fields = [f.name for f in dataclasses.fields(_Header)]
    return [_Header(*row) for row in SealEntry.objects.order_by("sequence").values_list(*fields)]


def verify(
    periods: Iterable[EvaluationPeriod] | None = None, *, row_limit: int | None = None
) -> Report:
    """Check the chain and the results of `periods` (their closed ones; None: every closed
    period). With `row_limit`, the rows are compared only when the live seals of the periods
    hold no more than that many (`Report.rows_skipped` says how many were not)."""
    report = Report()
    entries = _headers()
    codes = _agency_codes({e.agency_id for e in entries})
    report.chain_length = len(entries)
    _check_chain(entries, codes, report)
    live: dict[int, _Header] = {}
    for entry in entries:
        if entry.kind == SealKind.SEAL:
            live[entry.period_id] = entry
        else:
            live.pop(entry.period_id, None)
    # Sealing began with the chain's first entry. Once the chain is broken (its start deleted,
    # say) that moment is unknown: every closed period without a seal is then suspect.
    broken = any(f.kind == CHAIN for f in report.findings)
    first_at = entries[0].at if entries and not broken else None
    suspect_all = broken or (not entries and report.head_sequence > 0)
    if periods is None:
        selected = list(EvaluationPeriod.objects.select_related("agency").order_by("code", "pk"))
    else:
        selected = list(periods)
    checked: list[tuple[EvaluationPeriod, _Header]] = []
    unsealed: list[EvaluationPeriod] = []
    for period in selected:
        agency = _agency_code(period, codes)
        seal = live.get(period.pk)
        if period.status != PeriodStatus.CLOSED:
            if seal is not None:
                report.findings.append(
                    Finding(
                        REOPENED,
                        _(
                            "the period is open but its seal was never superseded: it was "
                            "reopened outside the application"
                        ),
                        period.pk,
                        period.code,
                        agency,
                    )
                )
            continue
        report.periods_checked += 1
        if seal is None:
            unsealed.append(period)
            continue
        checked.append((period, seal))
    # Closed without a live seal. Imported as closed history (no evaluation of the period
    # was made here; the import does not close, so it does not seal), or closed before
    # sealing began: a note. Otherwise its seal was deleted.
    made_here = _made_here([p.pk for p in unsealed])
    for period in unsealed:
        closed_at = period.closed_at
        if not suspect_all and period.pk not in made_here:
            kind, text = UNSEALED, _("imported as closed history: not sealed")
        elif suspect_all or (first_at is not None and (closed_at is None or closed_at >= first_at)):
            kind, text = NOT_SEALED, _("closed but has no seal: its seal was deleted")
        else:
            kind, text = UNSEALED, _("closed before sealing began: not sealed")
        agency = _agency_code(period, codes)
        report.findings.append(Finding(kind, text, period.pk, period.code, agency))
    sealed_rows = sum(seal.row_count for _p, seal in checked)
    if row_limit is not None and sealed_rows > row_limit:
        report.rows_skipped = sealed_rows
        return report
    _check_rows(checked, codes, report)
    return report


def _made_here(period_ids: list[int]) -> set[int]:
    """The periods among these with an evaluation made here (not imported): one EXISTS per
    period, which stops at its first such row. A DISTINCT over the periods' rows read every
    one of them — a city's month, 200,000 rows, 2–3 s under load on each view of its close
    screen (issue 16)."""
    if not period_ids:
        return set()
    made = Evaluation.objects.filter(period_id=OuterRef("pk"), imported=False)
    return set(
        EvaluationPeriod.objects.filter(pk__in=period_ids)
        .filter(Exists(made))
        .order_by()
        .values_list("pk", flat=True)
    )


def _check_chain(entries: Sequence[_Header], codes: dict[int, str], report: Report) -> None:
    key = sealing.key_id()
    previous = ""
    for position, entry in enumerate(entries, start=1):
        agency = codes.get(entry.agency_id, str(entry.agency_id))

        def fault(text: str, entry: _Header = entry, agency: str = agency) -> None:
            report.findings.append(Finding(CHAIN, text, entry.period_id, entry.period_code, agency))

        if entry.sequence != position or entry.previous_digest != previous:
            fault(
                _(
                    "the seal chain is broken before seal #%(n)s: a seal was deleted, inserted "
                    "or changed"
                )
                % {"n": entry.sequence}
            )
        if entry.key_id != key:
            report.findings.append(
                Finding(
                    OTHER_KEY,
                    _("seal #%(n)s was made under another secret key: it cannot be checked here")
                    % {"n": entry.sequence},
                    entry.period_id,
                    entry.period_code,
                    agency,
                )
            )
        elif sealing.entry_digest(cast(SealEntry, entry)) != entry.digest:
            fault(_("seal #%(n)s was changed after it was made") % {"n": entry.sequence})
        previous = entry.digest
    head = SealChainHead.objects.filter(pk=1).first()
    last_sequence = entries[-1].sequence if entries else 0
    report.head_sequence = head.sequence if head is not None else last_sequence
    if head is not None and (head.sequence, head.digest) != (last_sequence, previous):
        report.findings.append(
            Finding(
                CHAIN,
                _(
                    "the seal chain ends at #%(found)s but its head says #%(head)s: the last "
                    "seals were deleted or changed"
                )
                % {"found": last_sequence, "head": head.sequence},
            )
        )
    report.head_digest = previous


def _check_rows(
    checked: Sequence[tuple[EvaluationPeriod, _Header]], codes: dict[int, str], report: Report
) -> None:
    if not checked:
        return
    blobs = dict(
        SealEntry.objects.filter(pk__in=[s.pk for _p, s in checked]).values_list("pk", "rows")
    )
    expected: dict[int, dict[int, list[str]]] = {}
    for period, seal in checked:
        agency = _agency_code(period, codes)
        text = sealing.decode(blobs.get(seal.pk) or b"")
        if hashlib.sha256(text).hexdigest() != seal.rows_digest:
            report.findings.append(
                Finding(
                    SEAL,
                    _("the results kept in seal #%(n)s were changed") % {"n": seal.sequence},
                    period.pk,
                    period.code,
                    agency,
                )
            )
            continue
        rows: dict[int, list[str]] = {}
        for line in text.decode().splitlines():
            key, *values = line.split("\t")
            rows[int(key)] = values
        expected[period.pk] = rows
    problems: list[tuple[EvaluationPeriod, int, list[str] | None, list[str] | None]] = []
    by_pk = {p.pk: p for p, _s in checked}
    for period_id, found in sealing.rows_of(sorted(expected)):
        wanted = expected[period_id]
        for line in sealing.canonical_lines(found):
            key, *values = line.rstrip("\n").split("\t")
            report.rows_checked += 1
            seal_values = wanted.pop(int(key), None)
            if seal_values != values:
                problems.append((by_pk[period_id], int(key), seal_values, values))
    for period_id, left in expected.items():
        for evaluation_id, sealed_values in left.items():
            problems.append((by_pk[period_id], evaluation_id, sealed_values, None))
    _name_problems(problems, codes, report)


def _name_problems(
    problems: Sequence[tuple[EvaluationPeriod, int, list[str] | None, list[str] | None]],
    codes: dict[int, str],
    report: Report,
) -> None:
    staff_index = sealing.FIELDS.index("staff_id")
    staff_ids = {
        int(v[staff_index]) for _p, _pk, was, now in problems for v in (was, now) if v is not None
    }
    staff_model = Evaluation._meta.get_field("staff").related_model
    staff_codes = dict(
        staff_model._default_manager.filter(pk__in=staff_ids).values_list("pk", "code")  # type: ignore[union-attr]
    )

    def staff(values: list[str]) -> str:
        staff_id = int(values[staff_index])
        return str(staff_codes.get(staff_id, f"#{staff_id}"))

    for period, pk, was, now in sorted(problems, key=lambda p: (p[0].pk, p[1])):
        agency = _agency_code(period, codes)
        if was is None and now is not None:
            text = _("evaluation #%(pk)s is not in the seal: a row was added") % {"pk": pk}
            report.findings.append(Finding(ADDED, text, period.pk, period.code, agency, staff(now)))
        elif now is None and was is not None:
            text = _("evaluation #%(pk)s was sealed but is gone: a row was deleted") % {"pk": pk}
            report.findings.append(
                Finding(MISSING, text, period.pk, period.code, agency, staff(was))
            )
        elif was is not None and now is not None:
            changes = [
                f"{name}: {_shown(a)} → {_shown(b)}"
                for name, a, b in zip(sealing.FIELDS, was, now, strict=True)
                if a != b
            ]
            text = _("evaluation #%(pk)s changed after the close (sealed → found): %(changes)s") % {
                "pk": pk,
                "changes": "; ".join(changes),
            }
            report.findings.append(
                Finding(CHANGED, text, period.pk, period.code, agency, staff(was))
            )


def _shown(value: str) -> str:
    return "∅" if value == sealing.NULL else (value or '""')


def _agency_codes(ids: set[int]) -> dict[int, str]:
    unit_model = EvaluationPeriod._meta.get_field("agency").related_model
    return dict(
        unit_model._default_manager.filter(pk__in=ids).values_list("pk", "code")  # type: ignore[union-attr]
    )


def _agency_code(period: EvaluationPeriod, codes: dict[int, str]) -> str:
    code = codes.get(period.agency_id)
    if code is None:
        code = period.agency.code
        codes[period.agency_id] = code
    return code
