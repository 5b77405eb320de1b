"""Test helpers of people: staff, and the persona world every test module can ask for.

The personas have fixed roles ("Lan can, Minh cannot"):
- quan  Vũ Minh Quân     system administrator
- hung  Trần Văn Hùng    city leadership
- lan   Nguyễn Thị Lan   personnel officer of the Department of Home Affairs (SNV)
- minh  Lê Quang Minh    head of the Department of Finance (STC), a sibling of SNV
- hoa   Phạm Thị Hoa     manager of division SNV-TC inside SNV
- an    Nguyễn Văn An    staff member of SNV-TC, sees only his own records
- binh  Đỗ Thanh Bình    inspector over STC
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import factory

from thenchot.accounts.models import RoleGrant, User
from thenchot.accounts.testing import UserFactory
from thenchot.core.testing import CodeKeyedFactory
from thenchot.org.models import Unit
from thenchot.org.testing import EPOCH, UnitFactory
from thenchot.people.models import Assignment, HeadAssignment, Staff


def _first_assignment(staff: Staff, create: bool, extracted: Any, **kwargs: Any) -> None:
    if create and not staff.assignments.exists():
        Assignment.objects.create(staff=staff, unit=staff.unit, valid_from=staff.joined_on)


class StaffFactory(CodeKeyedFactory[Staff]):
    class Meta:
        model = Staff

    code = factory.Sequence(lambda n: f"CB{n:06d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    category = "civil_servant"
    unit = factory.SubFactory(UnitFactory)
    joined_on = EPOCH

    assignment = factory.PostGeneration(_first_assignment)


@dataclass
class World:
    city: Unit
    snv: Unit
    snv_tc: Unit
    snv_cc: Unit
    stc: Unit
    stc_ns: Unit
    ward: Unit
    users: dict[str, User]
    staff: dict[str, Staff]

    def user(self, name: str) -> User:
        return self.users[name]


PERSONAS: dict[str, tuple[str, str | None, str | None, str]] = {
    # username: (full name, role, unit attribute, staff unit attribute)
    "quan": ("Vũ Minh Quân", "admin", None, "snv"),
    "hung": ("Trần Văn Hùng", "city_leadership", None, "city"),
    "lan": ("Nguyễn Thị Lan", "personnel", "snv", "snv"),
    "minh": ("Lê Quang Minh", "unit_head", "stc", "stc"),
    "hoa": ("Phạm Thị Hoa", "division_manager", "snv_tc", "snv_tc"),
    "an": ("Nguyễn Văn An", None, None, "snv_tc"),
    "binh": ("Đỗ Thanh Bình", "inspector", "stc", "stc"),
}


def build_world() -> World:
    city = UnitFactory.create(code="HN", name="Thành phố Hà Nội", kind="city")
    snv = UnitFactory.create(code="SNV", name="Sở Nội vụ", kind="department", parent=city)
    snv_tc = UnitFactory.create(code="SNV-TC", name="Phòng Tổ chức", kind="division", parent=snv)
    snv_cc = UnitFactory.create(code="SNV-CC", name="Phòng Công chức", kind="division", parent=snv)
    stc = UnitFactory.create(code="STC", name="Sở Tài chính", kind="department", parent=city)
    stc_ns = UnitFactory.create(code="STC-NS", name="Phòng Ngân sách", kind="division", parent=stc)
    ward = UnitFactory.create(code="P-BADINH", name="Phường Ba Đình", kind="ward", parent=city)
    units = {
        "city": city,
        "snv": snv,
        "snv_tc": snv_tc,
        "snv_cc": snv_cc,
        "stc": stc,
        "stc_ns": stc_ns,
        "ward": ward,
    }
    users: dict[str, User] = {}
    staff: dict[str, Staff] = {}
    for i, (username, (full_name, role, grant_unit, staff_unit)) in enumerate(PERSONAS.items()):
        user = UserFactory.create(username=username, first_name=full_name)
        users[username] = user
        if role is not None:
            RoleGrant.objects.create(
                user=user, role=role, unit=units[grant_unit] if grant_unit else None
            )
        staff[username] = StaffFactory.create(
            code=f"P{i:03d}",
            full_name=full_name,
            unit=units[staff_unit],
            user=user,
            is_leader=role in {"unit_head", "division_manager", "city_leadership"},
        )
    HeadAssignment.objects.create(unit=stc, staff=staff["minh"], role="head", valid_from=EPOCH)
    HeadAssignment.objects.create(unit=snv_tc, staff=staff["hoa"], role="head", valid_from=EPOCH)
    return World(
        city=city,
        snv=snv,
        snv_tc=snv_tc,
        snv_cc=snv_cc,
        stc=stc,
        stc_ns=stc_ns,
        ward=ward,
        users=users,
        staff=staff,
    )
