"""The quota's records: the head's choice of who moves down one level when the quota is exceeded
(applied and checked again at the close, `closing.py`: rules.md "Settled points" 1), and quota
overrides by a recorded decision (rules.md "Settled points" 14), which the close uses instead
of the pack's default and names in the trace. `override_problems` is the one check of an
override, shared by `quota_override_record` and the `quota_overrides` interchange section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import rules
from thenchot.appraisal.choices import PeriodStatus, QuotaGroupChoice, QuotaOverrideBase
from thenchot.appraisal.models import Evaluation, EvaluationPeriod, QuotaOverride
from thenchot.appraisal.services.base import PeriodClosed, _today
from thenchot.appraisal.services.lines import _roles, line_for
from thenchot.appraisal.services.records import _bulk_locked, _bulk_refusal, _bulk_write
from thenchot.core import auditing
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import DomainError, OutOfScope


def quota_choose(
    *, evaluations: Iterable[Evaluation | int], by: Any, demoted: bool = True
) -> list[Evaluation]:
    """The head resolves a quota conflict by naming who moves down one level at the close (or,
    with `demoted=False`, withdraws the choice). Checked again at the close on final levels."""
    ids = [e if isinstance(e, int) else e.pk for e in evaluations]
    line = line_for(by)
    with transaction.atomic():
        rows = _bulk_locked(ids)
        errors = []
        changes = []
        for ev in rows:
            if not (line.may_approve(ev) or line.admin):
                errors.append((ev, str(OutOfScope.default_message)))
            elif ev.period.is_closed:
                errors.append((ev, str(PeriodClosed.default_message)))
            else:
                before = auditing.snapshot(ev)
                ev.quota_demoted = demoted
                changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
        if errors:
            raise _bulk_refusal(errors, scope=not changes)
        _bulk_write(rows, ["quota_demoted"], changes)
    return rows


# -- quota overrides (rules.md "Settled points" 14) ---------------------------------------------
OVERRIDE_FIELDS = ("ratio", "base", "decision_number", "decided_on", "reason")


def override_problems(
    *,
    period: str | None,
    group: str | None,
    ratio: Decimal | None,
    base: str | None,
    decision_number: str | None,
    decided_on: dt.date | None,
) -> list[tuple[str, str]]:
    """What refuses an override, as (field, message): no decision (number and date), a ratio
    that is not a percentage, an unknown period, group or base. Closed periods are checked by
    the callers, which know the agency's periods."""
    out: list[tuple[str, str]] = []
    if period is not None:
        try:
            rules.Period.parse(period)
        except rules.RuleInputError:
            out.append(
                (
                    "period",
                    _("'%(value)s' is not a period (YYYY-MM, YYYY-Qn or YYYY)") % {"value": period},
                )
            )
    if group not in (None, "", *QuotaGroupChoice.values):
        out.append(("group", _("'%(value)s' is not a quota group") % {"value": group}))
    if base not in (None, "", *QuotaOverrideBase.values):
        out.append(("base", _("'%(value)s' is not a quota base") % {"value": base}))
    if ratio is None:
        out.append(("ratio", _("a quota override needs its ratio")))
    elif not Decimal(0) <= ratio <= Decimal(100):
        out.append(
            (
                "ratio",
                _("'%(value)s' is not a percentage between 0 and 100")
                % {"value": rules.base.fmt(ratio)},
            )
        )
    if not (decision_number or "").strip():
        out.append(("decision_number", _("a quota override needs the decision's number")))
    if decided_on is None:
        out.append(("decided_on", _("a quota override needs the decision's date")))
    elif decided_on > _today():
        out.append(
            ("decided_on", _("'%(value)s' is in the future") % {"value": decided_on.isoformat()})
        )
    return out


def closed_period_of(agency_id: int, period: str) -> bool:
    return EvaluationPeriod.objects.filter(
        agency_id=agency_id, code=period, status=PeriodStatus.CLOSED
    ).exists()


def quota_override_record(
    *,
    agency: Any,
    period: str,
    ratio: Decimal,
    decision_number: str,
    decided_on: dt.date | None,
    group: str = QuotaGroupChoice.ALL,
    base: str = "",
    reason: str = "",
    by: Any = None,
) -> QuotaOverride:
    """Record (or change) the quota override of an agency's period and group. Refused without a
    decision, for a closed period (reopen it first) and for anyone but an administrator, the
    city leadership or a personnel officer (the system — imports, commands — passes None)."""
    roles = _roles(by)
    allowed = {Role.ADMIN.value, Role.CITY_LEADERSHIP.value, Role.PERSONNEL.value}
    if by is not None and not roles & allowed:
        raise OutOfScope(_("Only an administrator or a personnel officer records a quota."))
    if by is not None and not roles & (allowed - {Role.PERSONNEL.value}):
        compute_scope(by).require_write_unit(agency.pk)  # a personnel officer: their subtree
    problems = override_problems(
        period=period,
        group=group,
        ratio=ratio,
        base=base,
        decision_number=decision_number,
        decided_on=decided_on,
    )
    if problems:
        raise DomainError(
            "; ".join(m for _f, m in problems),
            field_errors={f: [m] for f, m in problems},
        )
    code = str(rules.Period.parse(period))
    values = {
        "ratio": ratio,
        "base": base or "",
        "decision_number": decision_number.strip(),
        "decided_on": decided_on,
        "reason": reason,
    }
    with transaction.atomic():
        if closed_period_of(agency.pk, code):
            raise PeriodClosed(
                _("The period %(period)s is closed: its quota can no longer change. Reopen it.")
                % {"period": code}
            )
        row = (
            QuotaOverride.objects.select_for_update()
            .filter(agency_id=agency.pk, period_code=code, group=group)
            .first()
        )
        if row is None:
            row = QuotaOverride(
                agency_id=agency.pk,
                period_code=code,
                group=group,
                recorded_by=by if getattr(by, "pk", None) else None,
                **values,
            )
            row.full_clean(validate_unique=False)
            row.save()
            auditing.record(row, action=auditing.CREATE, before=None)
            return row
        before = auditing.snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean(validate_unique=False)
        save_versioned(row, expected_version=row.version, fields=list(values))
        auditing.record(row, action=auditing.UPDATE, before=before)
    return row


def overrides_in_force(period: str, agencies: dict[int, str]) -> dict[Any, rules.QuotaOverride]:
    """The overrides the close of `period` uses, keyed as `rules.apply_quota` takes them: the
    agency's code for "all", (code, group) for one group. `agencies`: id -> code."""
    out: dict[Any, rules.QuotaOverride] = {}
    # A month has a handful of overrides city-wide: read them all, keep the close's agencies.
    for row in QuotaOverride.objects.filter(period_code=period):
        code = agencies.get(row.agency_id)
        if code is None:
            continue
        key: Any = code if row.group == QuotaGroupChoice.ALL else (code, row.group)
        out[key] = rules.QuotaOverride(
            decision=row.decision_number,
            ratio=row.ratio / 100,
            base=rules.QuotaBase(row.base) if row.base else None,
            decided_on=row.decided_on,
        )
    return out
