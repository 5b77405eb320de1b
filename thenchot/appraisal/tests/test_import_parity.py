"""One rule path: a month entered through the services (opened, then self-assessed by each person)
and the same month entered through two imports (the drafts, then the points) leave the same
evaluation rows — the derived `is_leader`/`is_head` of a head and a deputy included — and audit
lines with the same before/after values. Each path runs in a savepoint rolled back after it is
read, so both write the same month of the same people."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from thenchot.appraisal import services
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import evaluation_of, month_before, this_month, with_snv_head
from thenchot.audit.models import AuditEntry
from thenchot.exchange.services import import_file
from thenchot.org.testing import EPOCH
from thenchot.people.models import HeadAssignment
from thenchot.people.testing import StaffFactory, World

# What both paths must agree on: the entered data and what the services derive. Left out: keys,
# timestamps, `imported`, and what only the pages record (who, when, late, evidence).
COMPARED = (
    "staff_id",
    "period_code",
    "unit_id",
    "category",
    "is_leader",
    "is_head",
    "rule_pack",
    "pack_version",
    "general_points",
    "task_points",
    "bonus_points",
    "task_calculation",
    "proposed_level",
    "final_level",
    "status",
    "score",
    "reasons",
    "version",
)
POINTS = ("general_points", "task_points", "bonus_points", "score")
# (general, tasks, proposed level) each person enters: decree-335 (civil servants, 2026).
ENTERED = {
    "son": ("26", "60", "good"),
    "hoa": ("25", "58", "good"),
    "pho": ("28", "62", "excellent"),
    "an": ("20", "50", "complete"),
    "lan": ("30", "65", "excellent"),
    "quan": ("24", "55", "good"),
}


@pytest.fixture
def people(world: World) -> World:
    """SNV with its head (Sơn), hoa heading SNV-TC, and Phạm Văn Phó, deputy head of SNV-CC by a
    dated deputy headship only (his staff record carries no leadership flag)."""
    from thenchot.accounts.testing import UserFactory

    with_snv_head(world)
    user = UserFactory(username="pho", first_name="Phạm Văn Phó")
    pho = StaffFactory(
        code="PP01", full_name="Phạm Văn Phó", unit=world.snv_cc, user=user, is_leader=False
    )
    HeadAssignment.objects.create(unit=world.snv_cc, staff=pho, role="deputy", valid_from=EPOCH)
    world.users["pho"] = user
    world.staff["pho"] = pho
    return world


def _captured(world: World, code: str) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Evaluation rows and their audit lines (action, before, after), by persona."""
    names = {s.pk: name for name, s in world.staff.items()}
    rows: dict[str, Any] = {}
    lines: dict[str, list[Any]] = {}
    for ev in Evaluation.objects.filter(period_code=code).select_related("period__agency"):
        name = names[ev.staff_id]
        rows[name] = {k: getattr(ev, k) for k in COMPARED} | {"agency": ev.period.agency.code}
        entries = AuditEntry.objects.filter(
            model_label="appraisal.evaluation", object_id=str(ev.pk)
        ).order_by("id")
        lines[name] = [(e.action, _kept(e.before), _kept(e.after)) for e in entries]
    return rows, lines


def _kept(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """The compared values of an audit line, points as numbers: the page keeps the text typed
    ("55"), the import the file's number read at the column's scale ("55.00") — one value."""
    if values is None:
        return None
    return {
        k: Decimal(v) if k in POINTS and v is not None else v
        for k, v in values.items()
        if k in COMPARED
    }


def _rolled_back(world: World, code: str, enter: Callable[[], None]) -> Any:
    with transaction.atomic():
        enter()
        found = _captured(world, code)
        transaction.set_rollback(True)
    return found


def _through_services(world: World, code: str) -> None:
    services.period_open(agency=world.snv, code=code)
    for name, (general, tasks, level) in ENTERED.items():
        services.self_assess(
            evaluation=evaluation_of(world, name, code),
            by=world.user(name),
            general_points=general,
            task_points=tasks,
            proposed_level=level,
        )


def _through_imports(world: World, code: str) -> None:
    def file(rows: list[dict[str, Any]]) -> bytes:
        return json.dumps({"format": "thenchot/1", "evaluations": rows}).encode()

    drafts = [{"staff": world.staff[n].code, "period": code} for n in ENTERED]
    points = [
        {
            "staff": world.staff[name].code,
            "period": code,
            "general_points": float(general),
            "task_points": float(tasks),
            "proposed_level": level,
            "status": "self_assessed",
        }
        for name, (general, tasks, level) in ENTERED.items()
    ]
    for n, rows in enumerate((drafts, points)):
        result = import_file(data=file(rows), filename=f"thang-{n}.json")
        assert result.ok, [str(p) for p in result.problems]


def test_it_leaves_the_same_rows_and_audit_through_services_and_import(people: World) -> None:
    code = month_before(this_month(), 2)
    by_services = _rolled_back(people, code, lambda: _through_services(people, code))
    by_import = _rolled_back(people, code, lambda: _through_imports(people, code))
    assert set(by_services[0]) == set(ENTERED)  # everyone of SNV, nobody left out
    assert by_import[0] == by_services[0]
    assert by_import[1] == by_services[1]
    assert [a for a, _b, _c in by_import[1]["son"]] == ["create", "update"]


def test_it_derives_the_head_and_deputy_flags_from_the_dated_headships(people: World) -> None:
    code = month_before(this_month(), 2)
    rows, _lines = _rolled_back(people, code, lambda: _through_imports(people, code))
    flags = {name: (row["is_leader"], row["is_head"]) for name, row in rows.items()}
    assert flags["son"] == (True, True)  # head of SNV
    assert flags["hoa"] == (True, True)  # head of SNV-TC
    assert flags["pho"] == (True, False)  # deputy: a leader, not under the head's ceiling
    assert flags["an"] == (False, False) and flags["lan"] == (False, False)


def test_it_refuses_flags_given_in_the_file(people: World) -> None:
    """The spec derives the flags: an evaluations row that states one is an unknown field."""
    row = {"staff": people.staff["an"].code, "period": month_before(this_month(), 2)}
    data = {"format": "thenchot/1", "evaluations": [row | {"is_head": True}]}
    result = import_file(data=json.dumps(data).encode(), filename="co.json")
    assert not result.ok and "is_head" in " ".join(str(p) for p in result.problems)
    assert not Evaluation.objects.exists()


def _son_in(world: World, code: str) -> Evaluation:
    return Evaluation.objects.get(staff=world.staff["son"], period_code=code)


def test_it_takes_the_flags_again_when_it_updates_an_open_period(people: World) -> None:
    code = month_before(this_month(), 2)
    services.period_open(agency=people.snv, code=code)
    Evaluation.objects.filter(pk=_son_in(people, code).pk).update(is_head=False)  # an old import
    row = {"staff": people.staff["son"].code, "period": code, "general_points": 26}
    data = {"format": "thenchot/1", "evaluations": [row]}
    result = import_file(data=json.dumps(data).encode(), filename="sua.json")
    assert result.ok and result.counts["evaluations"].updated == 1
    son = _son_in(people, code)
    assert son.is_head and son.is_leader
    line = AuditEntry.objects.filter(model_label="appraisal.evaluation", object_id=str(son.pk))
    assert line.latest("id").before["is_head"] is False and line.latest("id").after["is_head"]


def test_it_leaves_a_closed_periods_flags_as_history(people: World) -> None:
    from thenchot.appraisal import closing
    from thenchot.appraisal.testing import approved
    from thenchot.exchange.services import export_data

    code = month_before(this_month(), 2)
    period = services.period_open(agency=people.snv, code=code).period
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")
    closing.close_period(unit=people.snv, period=code)
    Evaluation.objects.filter(pk=_son_in(people, code).pk).update(is_head=False)
    exported = export_data(fmt="json", sections=["evaluations"])
    result = import_file(data=exported, filename="lai.json")
    assert result.ok and result.counts["evaluations"].updated == 0
    assert not _son_in(people, code).is_head
