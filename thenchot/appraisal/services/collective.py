"""Collective decisions rating the heads whom no single person approves: the City leadership's
for heads of departments and of units directly under the City, the Party Secretary's with the
Standing Board for heads of Party boards and mass organisations (`lines.collective_body`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.accounts.choices import Role
from thenchot.appraisal.choices import CollectiveBody, EvaluationStatus
from thenchot.appraisal.models import CollectiveDecision, Evaluation
from thenchot.appraisal.services.base import PeriodClosed, _refuse, _today
from thenchot.appraisal.services.lines import _roles, _staff_id, collective_body
from thenchot.appraisal.services.records import (
    APPROVE_FIELDS,
    REVIEW_FIELDS,
    _bulk_locked,
    _bulk_refusal,
    _bulk_write,
)
from thenchot.appraisal.services.review import ReviewChange, _apply_review
from thenchot.core import auditing
from thenchot.core.errors import OutOfScope


def collective_decision_record(
    *,
    number: str,
    decided_on: dt.date,
    chaired_by: str,
    by: Any,
    ratings: Mapping[int, ReviewChange],
    summary: str = "",
    body: str = CollectiveBody.CITY_COMMITTEE,
) -> CollectiveDecision:
    """Record a collective decision of `body` rating heads: each rated evaluation (by id) is
    approved under the decision, with the points the body set (a comment is required for a
    change, as in a review). Every head rated must be one `body` rates."""
    roles = _roles(by)
    if not roles & {Role.CITY_LEADERSHIP.value, Role.ADMIN.value}:
        raise OutOfScope(_("Only the City leadership records its collective decision."))
    if body not in CollectiveBody.values:
        raise _refuse(
            _("Unknown deciding body %(value)r (allowed: %(allowed)s).")
            % {"value": body, "allowed": ", ".join(CollectiveBody.values)},
            "body",
        )
    if not number.strip():
        raise _refuse(_("This field is required."), "number")
    if decided_on > _today():
        raise _refuse(_("A decision cannot be dated in the future."), "decided_on")
    if not ratings:
        raise _refuse(_("The decision rates nobody."), "ratings")
    with transaction.atomic():
        if CollectiveDecision.objects.filter(number=number).exists():
            raise _refuse(_("A decision with this number is already recorded."), "number")
        rows = _bulk_locked(ratings)
        errors: list[tuple[Evaluation, str]] = []
        for ev in rows:
            rater = collective_body(ev)
            if rater is None:
                errors.append((ev, _("not a head rated by a collective decision")))
            elif rater != body:
                errors.append((ev, _("rated by %(body)s") % {"body": CollectiveBody(rater).label}))
            elif ev.period.is_closed:
                errors.append((ev, str(PeriodClosed.default_message)))
            elif _staff_id(by) == ev.staff_id:
                errors.append((ev, _("nobody rates their own evaluation")))
        if errors:
            raise _bulk_refusal(errors)
        decision = CollectiveDecision.objects.create(
            body=body,
            number=number,
            decided_on=decided_on,
            chaired_by=chaired_by,
            summary=summary,
            recorded_by=by,
        )
        auditing.record(decision, action=auditing.CREATE)
        changes: list[auditing.Change] = []
        now = timezone.now()
        for ev in rows:
            before = auditing.snapshot(ev)
            change = ratings[ev.pk]
            if ev.general_points is None and change.general_points in (None, ""):
                raise _bulk_refusal([(ev, _("general points are required"))])
            missing = ev.status in (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)
            _apply_review(ev, change, by, missing=missing)
            ev.collective_decision = decision
            ev.approved_by = by
            ev.approved_at = now
            ev.status = EvaluationStatus.APPROVED
            changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
        _bulk_write(rows, [*REVIEW_FIELDS, *APPROVE_FIELDS, "collective_decision"], changes)
    return decision
