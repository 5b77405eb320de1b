"""Inspection plans and their items: create, amend, publish. A plan's version guards its
items, which carry none of their own; an item an inspection carried out keeps its target and
stays in the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.core import auditing, sequences
from thenchot.core.concurrency import ConcurrentUpdate, save_versioned
from thenchot.core.errors import OutOfScope
from thenchot.inspections.models import Inspection, InspectionPlan, PlanItem
from thenchot.inspections.selectors import InspectionAuthority
from thenchot.inspections.services.base import (
    _authority,
    _create,
    _day,
    _full_clean,
    _locked,
    _record,
    _refuse,
    _touch,
    clean_topics,
    snap,
)
from thenchot.org.models import Unit


def plan_create(
    *, by: Any, code: str = "", conducted_by: Unit, year: int, title: str = ""
) -> InspectionPlan:
    auth = _authority(by)
    with transaction.atomic():
        if not auth.manages(conducted_by.pk):
            raise OutOfScope(_("You cannot plan inspections for this unit."))
        if InspectionPlan.objects.filter(conducted_by=conducted_by, year=year).exists():
            raise _refuse(_("This unit already has an inspection plan for the year."), "year")
        # Blank: the next plan number of its year (KH-KTCV-2026-0003).
        code = code.strip() or sequences.next_code(InspectionPlan, f"KH-KTCV-{year}-")
        if InspectionPlan.objects.filter(code=code).exists():
            raise _refuse(_("The code %(code)s is already used.") % {"code": code}, "code")
        plan = InspectionPlan(code=code, conducted_by=conducted_by, year=year, title=title)
        _full_clean(plan)
        _create(plan)
    return plan


def plan_item_add(
    *, by: Any, plan: InspectionPlan, target_unit: Unit, planned_month: int, topics: Sequence[str]
) -> PlanItem:
    auth = _authority(by)
    with transaction.atomic():
        plan = _locked(InspectionPlan, plan.pk)
        if not auth.manages(plan.conducted_by_id):
            raise OutOfScope(_("You cannot change this plan."))
        if not auth.manages(target_unit.pk):
            raise _refuse(_("This target unit is outside your reach."), "target_unit")
        item = PlanItem(
            plan=plan,
            target_unit=target_unit,
            planned_month=planned_month,
            topics=clean_topics(topics),
        )
        _full_clean(item)
        _create(item)
    return item


def plan_publish(
    *,
    by: Any,
    plan: InspectionPlan,
    on: dt.date | None = None,
    expected_version: int | None = None,
) -> InspectionPlan:
    """Publish the plan inside the conducting unit. A page passes the version it showed, so
    nobody publishes items changed after they last read the plan."""
    auth = _authority(by)
    with transaction.atomic():
        plan = _locked(InspectionPlan, plan.pk)
        if not auth.manages(plan.conducted_by_id):
            raise OutOfScope(_("You cannot publish this plan."))
        if plan.published_on is not None:
            raise _refuse(_("This plan is already published."))
        version = plan.version if expected_version is None else expected_version
        before = snap(plan)
        plan.published_on = on or _day()
        save_versioned(plan, expected_version=version, fields=["published_on"])
        _record(plan, action=auditing.UPDATE, before=before)
    return plan


def _plan_for_change(auth: InspectionAuthority, plan_id: int, expected_version: int) -> Any:
    plan = _locked(InspectionPlan, plan_id)
    if not auth.manages(plan.conducted_by_id):
        raise OutOfScope(_("You cannot change this plan."))
    if plan.version != expected_version:
        raise ConcurrentUpdate()
    return plan


def plan_update(
    *, by: Any, plan: InspectionPlan, expected_version: int, title: str, year: int
) -> InspectionPlan:
    """Change a plan's title or year. A published plan keeps its year: the units in it were
    told which year it covers (its items may still be amended, as `plan_item_add` allows)."""
    auth = _authority(by)
    with transaction.atomic():
        plan = _plan_for_change(auth, plan.pk, expected_version)
        if year != plan.year:
            if plan.published_on is not None:
                raise _refuse(_("A published plan keeps its year."), "year")
            if (
                InspectionPlan.objects.filter(conducted_by_id=plan.conducted_by_id, year=year)
                .exclude(pk=plan.pk)
                .exists()
            ):
                raise _refuse(_("This unit already has an inspection plan for the year."), "year")
        before = snap(plan)
        plan.title, plan.year = (title or "").strip(), year
        _full_clean(plan)
        save_versioned(plan, expected_version=expected_version, fields=["title", "year"])
        _record(plan, action=auditing.UPDATE, before=before)
    return plan


def _carried_out(item: PlanItem) -> bool:
    return Inspection.objects.filter(plan_item_id=item.pk).exists()


def plan_item_update(
    *,
    by: Any,
    item: PlanItem,
    expected_version: int,
    target_unit: Unit,
    planned_month: int,
    topics: Sequence[str],
) -> PlanItem:
    """Change a planned inspection. `expected_version` is the plan's: it guards the items too.
    Once an inspection has carried the item out, its target stays what was inspected."""
    auth = _authority(by)
    with transaction.atomic():
        plan = _plan_for_change(auth, item.plan_id, expected_version)
        item = PlanItem.objects.get(pk=item.pk, plan=plan)
        if not auth.manages(target_unit.pk):
            raise _refuse(_("This target unit is outside your reach."), "target_unit")
        if target_unit.pk != item.target_unit_id and _carried_out(item):
            raise _refuse(
                _("An inspection has carried out this plan item: its target unit cannot change."),
                "target_unit",
            )
        before = snap(item)
        item.target_unit = target_unit
        item.planned_month = planned_month
        item.topics = clean_topics(topics)
        _full_clean(item)
        item.save()
        _touch(plan, expected_version)
        _record(item, action=auditing.UPDATE, before=before)
    return item


def plan_item_remove(*, by: Any, item: PlanItem, expected_version: int) -> None:
    """Take a planned inspection out of the plan; refused once an inspection carried it out
    (deleting it would silently unlink that inspection from the plan)."""
    auth = _authority(by)
    with transaction.atomic():
        plan = _plan_for_change(auth, item.plan_id, expected_version)
        item = PlanItem.objects.get(pk=item.pk, plan=plan)
        if _carried_out(item):
            raise _refuse(_("An inspection has carried out this plan item: it cannot be removed."))
        auditing.record(item, action=auditing.DELETE, before=snap(item))
        item.delete()
        _touch(plan, expected_version)
