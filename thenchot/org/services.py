"""Writes to the unit tree. Each one re-checks scope inside its transaction and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import Scope
from thenchot.core import auditing
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.services import require_new_code
from thenchot.core.text import fold
from thenchot.org.models import Unit, UnitLink, UnitSuccession
from thenchot.org.tree import invalidate, tree


def _unit_search_text(code: str, name: str) -> str:
    return f"{fold(name)} {fold(code)}"[:400]


def _check_dates(valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise DomainError(
            _("'Valid to' (%(to)s) cannot be before 'valid from' (%(from)s).")
            % {"to": valid_to.isoformat(), "from": valid_from.isoformat()},
            field_errors={"valid_to": [_("Cannot be before 'valid from'.")]},
        )


@transaction.atomic
def unit_create(
    *,
    scope: Scope,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
) -> Unit:
    _check_dates(valid_from, valid_to)
    if parent is None:
        if not scope.city_wide or not scope.can_write_org:
            raise OutOfScope(_("Only a city-wide administrator can create a top-level unit."))
    else:
        scope.require_write_unit(parent.pk)
    require_new_code(Unit, code, _("A unit with code '%(code)s' already exists.") % {"code": code})
    unit = Unit(code=code, name=name, kind=kind, valid_from=valid_from, valid_to=valid_to)
    unit.search_text = _unit_search_text(code, name)
    unit.full_clean()
    unit.save()
    auditing.record(unit, action=auditing.CREATE)
    if parent is not None:
        link = UnitLink.objects.create(
            unit=unit, parent=parent, valid_from=valid_from, valid_to=valid_to
        )
        auditing.record(link, action=auditing.CREATE)
    invalidate()
    return unit


@transaction.atomic
def unit_update(*, scope: Scope, unit: Unit, expected_version: int, data: dict[str, Any]) -> Unit:
    scope.require_write_unit(unit.pk)
    before = auditing.snapshot(unit)
    allowed = {"name", "kind", "valid_from", "valid_to"}
    unknown = set(data) - allowed
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    for key, value in data.items():
        setattr(unit, key, value)
    _check_dates(unit.valid_from, unit.valid_to)
    unit.search_text = _unit_search_text(unit.code, unit.name)
    unit.full_clean(validate_unique=False)
    save_versioned(unit, expected_version=expected_version, fields=[*data, "search_text"])
    auditing.record(unit, action=auditing.UPDATE, before=before)
    invalidate()
    return unit


@transaction.atomic
def unit_move(*, scope: Scope, unit: Unit, new_parent: Unit, on: dt.date) -> UnitLink:
    """Put `unit` under `new_parent` from `on`; the previous link ends the day before."""
    scope.require_write_unit(unit.pk)
    scope.require_write_unit(new_parent.pk)
    if tree().would_cycle(unit.pk, new_parent.pk, on):
        raise DomainError(
            _(
                "Unit '%(unit)s' cannot be placed under '%(parent)s': it would become its own ancestor."
            )
            % {"unit": unit.code, "parent": new_parent.code},
            field_errors={"parent": [_("This would make the unit its own ancestor.")]},
        )
    for link in UnitLink.objects.select_for_update().filter(unit=unit):
        covers = (link.valid_from is None or link.valid_from < on) and (
            link.valid_to is None or link.valid_to >= on
        )
        if covers:
            before = auditing.snapshot(link)
            link.valid_to = on - dt.timedelta(days=1)
            link.save(update_fields=["valid_to"])
            auditing.record(link, action=auditing.UPDATE, before=before)
        elif link.valid_from is not None and link.valid_from >= on:
            auditing.record(link, action=auditing.DELETE, before=auditing.snapshot(link))
            link.delete()
    link = UnitLink.objects.create(
        unit=unit, parent=new_parent, valid_from=on, valid_to=unit.valid_to
    )
    auditing.record(link, action=auditing.CREATE)
    invalidate()
    return link


@transaction.atomic
def units_succeed(
    *, scope: Scope, predecessors: list[Unit], successors: list[Unit], on: dt.date
) -> None:
    """Merge or split: the predecessors end the day before `on`; the successors take them over."""
    if not predecessors or not successors:
        raise DomainError(_("A merge or split needs at least one predecessor and one successor."))
    for unit in [*predecessors, *successors]:
        scope.require_write_unit(unit.pk)
    for pred in predecessors:
        if pred in successors:
            raise DomainError(_("A unit cannot succeed itself."))
        before = auditing.snapshot(pred)
        pred.valid_to = on - dt.timedelta(days=1)
        _check_dates(pred.valid_from, pred.valid_to)
        pred.save(update_fields=["valid_to", "updated_at"])
        auditing.record(pred, action=auditing.UPDATE, before=before)
        UnitLink.objects.filter(unit=pred, valid_to__isnull=True).update(valid_to=pred.valid_to)
        for succ in successors:
            succession, created = UnitSuccession.objects.get_or_create(
                predecessor=pred, successor=succ, defaults={"effective_on": on}
            )
            if created:
                auditing.record(succession, action=auditing.CREATE)
    invalidate()
