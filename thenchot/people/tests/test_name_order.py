"""Staff are listed as official lists list them: given name, middle, family, in Vietnamese
alphabetical order with tones (`core.collation`), through the stored `Staff.name_key`, the same
on SQLite and PostgreSQL; every write of a name refreshes the key."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import random
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection

from thenchot.accounts.scoping import compute_scope
from thenchot.core.collation import name_sort_key
from thenchot.exchange.services import import_file
from thenchot.people import services
from thenchot.people.models import Staff
from thenchot.people.selectors import heads_of
from thenchot.people.testing import StaffFactory

pytestmark = pytest.mark.django_db

# In the order of an official list. The last two tie until the name itself, where a binary
# comparison puts the capital first: a database collation such as en_US would not.
OFFICIAL = [
    "Nguyễn Văn An",
    "Trần Thị Ánh",
    "Vũ Văn Ánh",
    "Lê Văn Bình",
    "Ngô Thị Hà",
    "Nguyễn Thị Hà",
    "Dương Văn Hải",
    "Đinh Văn Hải",
    "Giang Văn Hải",
    "Trịnh Văn Hải",
    "Phạm Văn Hùng",
    "Phạm Việt Hùng",
    "Lê Ơn",
    "Nguyễn Văn Phúc",
    "NGUYỄN VĂN THÀNH",
    "nguyễn văn thành",
]


def _make(names: list[str], prefix: str = "VN") -> None:
    shuffled = list(enumerate(names))
    random.Random(11).shuffle(shuffled)
    for i, name in shuffled:
        StaffFactory.create(code=f"{prefix}{i:03d}", full_name=name)


def _listed(**filters: Any) -> list[str]:
    return list(Staff.objects.filter(**filters).values_list("full_name", flat=True))


def test_it_orders_staff_as_official_lists_do_on_this_database():
    # Run on SQLite by `make test` and on PostgreSQL by `make test-postgres`.
    _make(OFFICIAL)
    assert _listed(code__startswith="VN") == OFFICIAL
    assert _listed(code__startswith="VN") == sorted(OFFICIAL, key=name_sort_key)
    descending = Staff.objects.filter(code__startswith="VN").order_by("-name_key")
    assert list(descending.values_list("full_name", flat=True)) == OFFICIAL[::-1]


def test_it_keeps_the_key_in_binary_collation_whatever_the_server_default():
    # A PostgreSQL database created with en_US.UTF-8 (or ICU) would reorder the key's last
    # level and its separators; the column carries COLLATE "C" instead. SQLite: BINARY already.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite compares text byte by byte by default")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collation_name FROM information_schema.columns"
            " WHERE table_name = 'people_staff' AND column_name = 'name_key'"
        )
        assert cursor.fetchone() == ("C",)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("name", OFFICIAL), ("-name", OFFICIAL[::-1]), ("category", OFFICIAL)],
)
def test_it_sorts_the_staff_list_page_by_given_name(client_for, world, sort, expected):
    _make(OFFICIAL)
    response = client_for("quan").get("/staff/", {"sort": sort, "page_size": 100})
    staff = response.context["page"].object_list
    assert [s.full_name for s in staff if s.code.startswith("VN")] == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [("name", OFFICIAL), ("-name", OFFICIAL[::-1]), ("full_name", OFFICIAL), ("", OFFICIAL)],
)
def test_it_orders_the_api_by_the_name_key(api_for, world, ordering, expected):
    _make(OFFICIAL)
    params = {"page_size": 100, **({"ordering": ordering} if ordering else {})}
    body = api_for("quan").get("/api/v1/staff/", params).json()
    rows = body["results"]
    assert [r["full_name"] for r in rows if r["code"].startswith("VN")] == expected


def test_it_refreshes_the_key_when_a_service_renames(world):
    an = world.staff["an"]
    services.staff_update(
        scope=compute_scope(world.user("quan")),
        staff=an,
        expected_version=an.version,
        data={"full_name": "Trần Văn Bình"},
    )
    assert Staff.objects.get(pk=an.pk).name_key == name_sort_key("Trần Văn Bình")


def test_it_refreshes_the_key_when_saving_only_the_name(world):
    an = world.staff["an"]
    an.full_name = "Đinh Thị Lụa"
    an.save(update_fields=["full_name"])
    assert Staff.objects.get(pk=an.pk).name_key == name_sort_key("Đinh Thị Lụa")


def test_it_writes_the_key_on_import_for_new_and_changed_people(world):
    rows = [
        {"code": "P005", "full_name": "Nguyễn Văn Ân", "category": "civil_servant"},
        {"code": "NEW1", "full_name": "Đặng Thu Hà", "category": "civil_servant"},
    ]
    for row in rows:
        row["unit"] = "SNV-TC"
    data = {"format": "thenchot/1", "as_of": dt.date(2026, 3, 1).isoformat(), "staff": rows}
    result = import_file(
        data=json.dumps(data).encode(),
        filename="names.json",
        scope=compute_scope(world.user("quan")),
        actor=world.user("quan"),
    )
    assert result.ok, [str(p) for p in result.problems]
    keys = dict(Staff.objects.filter(code__in=["P005", "NEW1"]).values_list("code", "name_key"))
    assert keys == {"P005": name_sort_key("Nguyễn Văn Ân"), "NEW1": name_sort_key("Đặng Thu Hà")}


def test_it_fills_the_keys_of_existing_rows_in_the_migration(world):
    _make(OFFICIAL)
    Staff.objects.update(name_key="")
    migration = importlib.import_module("thenchot.people.migrations.0005_staff_name_key")
    migration.fill_name_keys(apps, SimpleNamespace(connection=connection))
    for name, key in Staff.objects.values_list("full_name", "name_key"):
        assert key == name_sort_key(name)
    assert _listed(code__startswith="VN") == OFFICIAL


def test_it_lists_heads_by_given_name(world):
    unit = world.stc
    for code, name in [("H1", "Trần Văn Yến"), ("H2", "Vũ Thị Bảo")]:
        staff = StaffFactory.create(code=code, full_name=name, unit=unit)
        staff.headships.create(unit=unit, role="deputy", valid_from=dt.date(2020, 1, 1))
    deputies = [
        h.staff.full_name for h in heads_of(unit.pk, dt.date(2026, 1, 1)) if h.role != "head"
    ]
    assert deputies == ["Vũ Thị Bảo", "Trần Văn Yến"]
