"""Recording an inspection: who may, what is refused, and that a refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.testing import DocumentFactory
from thenchot.inspections import services
from thenchot.inspections.models import Inspection

pytestmark = pytest.mark.django_db
d = dt.date


def _create(world, by, **kw):
    kw.setdefault("code", "KT-1")
    kw.setdefault("kind", "planned")
    kw.setdefault("conducted_by", world.stc)
    kw.setdefault("target_unit", world.stc_ns)
    kw.setdefault("started_on", d(2026, 3, 2))
    return services.inspection_create(by=by, **kw)


def test_it_records_an_inspection_with_team_and_audit(world):
    inspection = _create(
        world,
        world.user("binh"),
        topics=["petitions", "discipline"],
        team=[(world.staff["binh"], True)],
    )
    assert inspection.topics == ["discipline", "petitions"]
    assert inspection.team.get().is_lead
    assert (
        AuditEntry.objects.filter(model_label="inspections.inspection", action="create").count()
        == 1
    )


def test_it_refuses_a_target_outside_the_inspectors_reach(world):
    with pytest.raises(DomainError) as exc:
        _create(world, world.user("binh"), target_unit=world.snv_tc)
    assert "target_unit" in exc.value.field_errors
    assert not Inspection.objects.exists()


def test_it_accepts_that_target_for_a_city_wide_inspector(world, city_inspector):
    assert _create(world, city_inspector, target_unit=world.snv_tc).target_unit == world.snv_tc


def test_it_refuses_a_conducting_unit_the_user_does_not_manage(world):
    with pytest.raises(OutOfScope):
        _create(world, world.user("lan"), target_unit=world.snv_tc)
    with pytest.raises(OutOfScope):
        _create(world, world.user("an"), conducted_by=world.snv, target_unit=world.snv_tc)
    assert not Inspection.objects.exists()


def test_it_refuses_a_verification_without_its_order(world):
    with pytest.raises(DomainError) as exc:
        _create(world, world.user("binh"), kind="verification")
    assert "ordered_by" in exc.value.field_errors
    assert not Inspection.objects.exists()


def test_it_links_a_verification_to_its_order(world):
    order = DocumentFactory(code="TB-1", issuer=world.city, kind="notice")
    inspection = _create(world, world.user("binh"), kind="verification", ordered_by=order)
    assert inspection.ordered_by == order


def test_it_refuses_an_end_before_the_start(world):
    with pytest.raises(DomainError) as exc:
        _create(world, world.user("binh"), ended_on=d(2026, 3, 1))
    assert "ended_on" in exc.value.field_errors
    assert not Inspection.objects.exists()


def test_it_refuses_an_unknown_topic_and_a_duplicate_code(world):
    with pytest.raises(DomainError):
        _create(world, world.user("binh"), topics=["weather"])
    _create(world, world.user("binh"))
    with pytest.raises(DomainError) as exc:
        _create(world, world.user("binh"))
    assert "code" in exc.value.field_errors
    assert Inspection.objects.count() == 1


def test_it_refuses_the_anonymous(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(OutOfScope):
        _create(world, AnonymousUser())
