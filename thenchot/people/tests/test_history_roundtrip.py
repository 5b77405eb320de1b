"""The demo's history survives a round trip: export, import into an empty database, export
again gives the same file, people whose unit was created in the 2025 reorganisation included
(GitHub issue 10, point 9)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from thenchot.exchange.services import export_data, import_file
from thenchot.exchange.tests.conftest import sheet_values

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 3, 1)
SECTIONS = ["units", "job_positions", "staff", "assignments"]


def _wipe() -> None:
    from thenchot.accounts.models import RoleGrant, User
    from thenchot.org.models import Unit, UnitLink, UnitSuccession
    from thenchot.org.tree import invalidate
    from thenchot.people.models import Assignment, HeadAssignment, JobPosition, Staff

    for model in (
        HeadAssignment,
        Assignment,
        Staff,
        JobPosition,
        RoleGrant,
        User,
        UnitSuccession,
        UnitLink,
        Unit,
    ):
        model.objects.all().delete()
    invalidate()


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_it_round_trips_the_demo_history_through_an_empty_database(fmt: str) -> None:
    from thenchot.demo.generator import generate

    generate(staff=300, seed=7)
    first = export_data(fmt=fmt, as_of=AS_OF, sections=SECTIONS)
    _wipe()
    result = import_file(data=first, filename=f"demo.{fmt}")
    assert result.ok, [str(p) for p in result.problems][:10]
    second = export_data(fmt=fmt, as_of=AS_OF, sections=SECTIONS)
    if fmt == "json":
        assert second == first
    else:
        assert sheet_values(second) == sheet_values(first)


def test_it_keeps_the_units_people_had_before_the_reorganisation() -> None:
    from thenchot.demo.generator import generate

    generate(staff=300, seed=7)
    doc = json.loads(export_data(fmt="json", as_of=AS_OF, sections=SECTIONS))
    units = {u["code"]: u for u in doc["units"]}
    staff = {s["code"]: s for s in doc["staff"]}
    # People whose unit on the file's date began after they joined: the case of the issue.
    late = [
        s
        for s in staff.values()
        if s["joined_on"] and (units[s["unit"]]["valid_from"] or "") > s["joined_on"]
    ]
    assert late
    _wipe()
    result = import_file(data=export_data_bytes(doc), filename="demo.json")
    assert result.ok, [str(p) for p in result.problems][:10]
    again = json.loads(export_data(fmt="json", as_of=AS_OF, sections=["assignments"]))
    history = [a for a in again["assignments"] if a["staff"] == late[0]["code"]]
    assert len(history) == 2
    assert history[0]["from"] == late[0]["joined_on"] and history[0]["reason"] == "appointment"
    assert history[1]["unit"] == late[0]["unit"] and history[1]["reason"] == "reorganisation"


def export_data_bytes(doc: dict[str, object]) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()
