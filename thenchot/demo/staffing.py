"""Who works where, and since when: the demo's staff plan (plain Python, deterministic).

Generated people start in a unit of the 2023 structure (chosen by weight), get heads and
deputies per unit, and then follow the 2025 changes: everyone in an ended unit moves to its
successor on the change day (two assignments), a head becoming head of the successor when the
post is free and a deputy otherwise. The demo personas are fixed people with fixed careers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from thenchot.core.text import fold
from thenchot.demo.names import full_name
from thenchot.demo.positions import (
    COMMUNE_CADRES,
    COMMUNE_CIVIL_SERVANTS,
    CONTRACT_TITLES,
    DIVISION_POSITIONS,
    public_employee_plain,
)
from thenchot.demo.structure import CITY_CODE, DAY, Structure, UnitSpec

LAST_JOIN = dt.date(2024, 12, 31)
LAST_APPOINTMENT = dt.date(2024, 6, 30)
AGE_ON = dt.date(2025, 1, 1)
AGENCY_KINDS = {"city", "department", "district", "commune", "ward"}
LEADER_ALWAYS = {"city", "department"}
HEAD = "head"
DEPUTY = "deputy"


@dataclass(slots=True)
class Stint:
    unit: str
    start: dt.date | None
    end: dt.date | None = None
    role: str | None = None  # head, deputy or None
    role_from: dt.date | None = None


@dataclass(slots=True)
class PlannedStaff:
    code: str
    full_name: str
    female: bool
    category: str
    date_of_birth: dt.date
    joined_on: dt.date
    stints: list[Stint]
    in_position_since: dt.date | None = None
    position_title: str = ""
    is_leader: bool = False
    job_position: str | None = None
    email: str = ""
    username: str | None = None

    @property
    def unit(self) -> str:
        return self.stints[-1].unit

    @property
    def retirement_on(self) -> dt.date:
        # Labour Code 2019 art. 169 raises the ages step by step to 62 (men) and 60 (women);
        # the demo uses the end points.
        years = 60 if self.female else 62
        return _add_years(self.date_of_birth, years)


@dataclass(frozen=True)
class Persona:
    username: str
    full_name: str
    female: bool
    category: str
    role: str  # accounts.Role value
    grant_unit: str | None
    stints: tuple[Stint, ...]
    title: str
    job_position: str | None
    date_of_birth: dt.date
    superuser: bool = False


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "quantri", "Vũ Minh Quân", False, "civil_servant", "admin", None,
        (Stint("SNV-VP", dt.date(2012, 9, 1)),),
        "Chuyên viên quản trị hệ thống", "CNTT", dt.date(1986, 4, 12), superuser=True,
    ),
    Persona(
        "lanhdao", "Trần Quốc Hùng", False, "cadre", "city_leadership", None,
        (Stint(CITY_CODE, dt.date(2004, 8, 1), role=DEPUTY, role_from=dt.date(2021, 7, 1)),),
        "Phó Chủ tịch UBND Thành phố", None, dt.date(1970, 2, 3),
    ),
    Persona(
        "noivu", "Nguyễn Thị Lan", True, "civil_servant", "personnel", "SNV",
        (Stint("SNV-TCCB", dt.date(2010, 3, 15)),),
        "Chuyên viên chính", "TUYENDUNG", dt.date(1984, 10, 20),
    ),
    Persona(
        "giamdoc", "Lê Quang Minh", False, "civil_servant", "unit_head", "STC",
        (Stint("STC", dt.date(2005, 6, 1), role=HEAD, role_from=dt.date(2020, 10, 1)),),
        "Giám đốc Sở", "LD-SO", dt.date(1972, 7, 9),
    ),
    Persona(
        "truongphong", "Phạm Thị Hoa", True, "civil_servant", "division_manager", "SNV-CCVC",
        (Stint("SNV-CCVC", dt.date(2008, 2, 18), role=HEAD, role_from=dt.date(2019, 5, 1)),),
        "Trưởng phòng", "LD-PHONG", dt.date(1979, 12, 1),
    ),
    Persona(
        "canbo", "Nguyễn Văn An", False, "civil_servant", "staff", "SNV-CCVC",
        (Stint("SNV-CCVC", dt.date(2018, 9, 4)),),
        "Chuyên viên", "TUYENDUNG", dt.date(1994, 5, 27),
    ),
    Persona(
        "thanhtra", "Đỗ Thanh Bình", False, "civil_servant", "inspector", "STC",
        (Stint("TTTP-KTNS", dt.date(2011, 11, 1)),),
        "Thanh tra viên chính", "THANHTRA", dt.date(1982, 3, 30),
    ),
    Persona(
        "noivu.phuong", "Hoàng Thị Mai", True, "civil_servant", "personnel", "P-BADINH",
        (
            Stint("BADINH-PHUCXA", dt.date(2016, 8, 1), end=dt.date(2025, 6, 30)),
            Stint("P-BADINH-VP", dt.date(2025, 7, 1)),
        ),
        "Chuyên viên", "TUYENDUNG", dt.date(1990, 1, 15),
    ),
)  # fmt: skip


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _random_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


def staff_code(n: int) -> str:
    return f"CB{n:06d}"


def _category(rng: random.Random, kind: str) -> str:
    r = rng.random()
    if r < 0.06:
        return "contract_worker"
    if kind in {"commune", "ward"}:
        return "cadre" if r < 0.45 else "civil_servant"
    if kind == "public_service_unit":
        return "public_employee"
    return "civil_servant"


@dataclass
class StaffPlan:
    people: list[PlannedStaff] = field(default_factory=list)
    personas: dict[str, Persona] = field(default_factory=dict)


def plan_staff(structure: Structure, *, count: int, seed: int) -> StaffPlan:
    """`count` people (the personas included), with careers across the 2025 changes."""
    rng = random.Random(seed)
    units = structure.units
    plan = StaffPlan()
    people = plan.people
    # -- the personas -------------------------------------------------------------------------
    for persona in PERSONAS[: max(count, 0)]:
        n = len(people) + 1
        person = PlannedStaff(
            code=staff_code(n),
            full_name=persona.full_name,
            female=persona.female,
            category=persona.category,
            date_of_birth=persona.date_of_birth,
            joined_on=persona.stints[0].start or LAST_JOIN,
            stints=[Stint(s.unit, s.start, s.end, s.role, s.role_from) for s in persona.stints],
            position_title=persona.title,
            job_position=persona.job_position,
            username=persona.username,
        )
        people.append(person)
        plan.personas[persona.username] = persona

    # -- where everybody else starts ----------------------------------------------------------
    remaining = max(count - len(people), 0)
    starting = [u for u in units.values() if u.weight > 0]
    homes: list[str] = []
    # With enough people, the city and every department have somebody to lead them.
    if remaining >= 100:
        homes += [u.code for u in starting if u.kind in {"city", "department"}]
    cum: list[float] = []
    total = 0.0
    for u in starting:
        total += u.weight
        cum.append(total)
    codes = [u.code for u in starting]
    homes += rng.choices(codes, cum_weights=cum, k=remaining - len(homes))
    homes = homes[:remaining]
    _fill_persona_divisions(homes, units)

    for home in homes:
        n = len(people) + 1
        female = rng.random() < 0.5
        age = rng.randint(24, 58)
        dob = _random_date(rng, _add_years(AGE_ON, -age - 1) + DAY, _add_years(AGE_ON, -age))
        joined = _random_date(rng, _add_years(dob, 22), LAST_JOIN)
        person = PlannedStaff(
            code=staff_code(n),
            full_name=full_name(rng, female=female),
            female=female,
            category=_category(rng, units[home].kind),
            date_of_birth=dob,
            joined_on=joined,
            stints=[Stint(home, joined)],
        )
        people.append(person)

    _appoint_leaders(rng, structure, people)
    _apply_moves(rng, structure, people)
    _appoint_new_heads(structure, people)
    for person in people:
        _describe(rng, units, person)
    return plan


PERSONA_DIVISION_SIZE = 20  # the division manager persona reviews a board of about twenty


def _fill_persona_divisions(homes: list[str], units: dict[str, UnitSpec]) -> None:
    """The divisions a persona manages get about twenty people (the demo's board of a division
    manager), taken from the end of the draw so that everyone else starts where the seed put
    them. Only when the demo is large enough to spare them."""
    wanted = {
        p.stints[-1].unit
        for p in PERSONAS
        if p.role == "division_manager" and units.get(p.stints[-1].unit)
    }
    for unit in sorted(wanted):
        have = homes.count(unit) + 1  # the persona
        need = PERSONA_DIVISION_SIZE - have
        if need <= 0 or len(homes) < 20 * PERSONA_DIVISION_SIZE:
            continue
        tail = [i for i in range(len(homes) - 1, -1, -1) if homes[i] != unit][:need]
        for i in tail:
            homes[i] = unit


def _appoint_leaders(rng: random.Random, s: Structure, people: list[PlannedStaff]) -> None:
    """Heads and deputies of the units people start in (personas keep their posts)."""
    members: dict[str, list[PlannedStaff]] = defaultdict(list)
    held: dict[str, list[str]] = defaultdict(list)
    for person in people:
        first = person.stints[0]
        if person.username is not None:
            if first.role:
                held[first.unit].append(first.role)
            continue
        members[first.unit].append(person)
    for code, group in members.items():
        spec = s.units[code]
        taken = held.get(code, [])
        # A unit of one or two people in a small demo gets no head: otherwise half the demo
        # would be leaders. The city and the departments always have one.
        needs_head = HEAD not in taken and (len(group) >= 3 or spec.kind in LEADER_ALWAYS)
        deputies = min(spec.max_deputies, (len(group) - 1) // 5) - taken.count(DEPUTY)
        # The longest-serving people lead.
        ranked = sorted(group, key=lambda p: (p.joined_on, p.code))
        roles = ([HEAD] if needs_head else []) + [DEPUTY] * max(deputies, 0)
        for person, role in zip(ranked, roles, strict=False):
            stint = person.stints[0]
            stint.role = role
            stint.role_from = _random_date(rng, stint.start or person.joined_on, LAST_APPOINTMENT)


def _apply_moves(rng: random.Random, s: Structure, people: list[PlannedStaff]) -> None:
    """Everyone in an ended unit moves to its successor on the change day."""
    heads: dict[str, dt.date] = {}  # unit -> the day a (new) head is in post
    deputies: dict[str, int] = defaultdict(int)
    for person in people:
        for stint in person.stints:
            if stint.role == HEAD and stint.end is None:
                heads[stint.unit] = stint.role_from or dt.date.min
            elif stint.role == DEPUTY and stint.end is None:
                deputies[stint.unit] += 1
    # People are moved in code order, so the same seed always gives the same posts.
    for person in people:
        while True:
            last = person.stints[-1]
            move = s.moves.get(last.unit)
            if move is None or last.end is not None:
                break
            last.end = move.on - DAY
            role = None
            if last.role is not None:
                target = move.leader_target
                spec = s.units[target]
                if last.role == HEAD and target not in heads:
                    role = HEAD
                    heads[target] = move.on
                elif deputies[target] < spec.max_deputies + 2:
                    role = DEPUTY
                    deputies[target] += 1
                else:
                    target = rng.choice(move.targets)
            else:
                target = rng.choice(move.targets)
            person.stints.append(Stint(target, move.on, role=role, role_from=move.on))
            person.in_position_since = move.on


def _appoint_new_heads(s: Structure, people: list[PlannedStaff]) -> None:
    """A unit that began in 2025 and has people but no head gets its longest-serving one."""
    open_stints: dict[str, list[tuple[PlannedStaff, Stint]]] = defaultdict(list)
    has_head: set[str] = set()
    for person in people:
        stint = person.stints[-1]
        if stint.end is not None:
            continue
        open_stints[stint.unit].append((person, stint))
        if stint.role == HEAD:
            has_head.add(stint.unit)
    for code, group in open_stints.items():
        spec = s.units[code]
        if spec.valid_from is None or code in has_head:
            continue
        if len(group) < 3 and spec.kind not in AGENCY_KINDS:
            continue
        candidates = [g for g in group if g[0].username is None and g[1].role is None]
        if not candidates:
            continue
        person, stint = min(candidates, key=lambda g: (g[0].joined_on, g[0].code))
        stint.role = HEAD
        stint.role_from = stint.start


def _leader_job(kind: str) -> str | None:
    return {
        "department": "LD-SO",
        "division": "LD-PHONG",
        "district": "LD-HUYEN",
        "commune": "LD-XA",
        "ward": "LD-XA",
        "public_service_unit": "LD-DVSN",
    }.get(kind)


def _describe(rng: random.Random, units: dict[str, UnitSpec], person: PlannedStaff) -> None:
    """Title, leader flag, job position and e-mail from the person's current post."""
    stint = person.stints[-1]
    spec = units[stint.unit]
    person.is_leader = stint.role is not None
    if person.in_position_since is None:
        person.in_position_since = stint.role_from or _random_date(rng, person.joined_on, LAST_JOIN)
    if stint.role is not None and person.username is None:
        person.position_title = spec.head_title if stint.role == HEAD else spec.deputy_title
        person.job_position = _leader_job(spec.kind)
        if spec.kind in {"commune", "ward", "city", "district"}:
            person.category = "cadre"  # chairs and vice-chairs are elected: cán bộ
        elif person.category in {"cadre", "contract_worker"}:
            person.category = "civil_servant"
    elif person.username is None:
        person.position_title, person.job_position = _plain_post(rng, spec, person.category)
    given = fold(person.full_name.split(" ")[-1])
    initials = "".join(fold(w)[0] for w in person.full_name.split(" ")[:-1])
    person.email = f"{given}{initials}.{person.code[2:]}@hanoi.gov.vn"


def _plain_post(rng: random.Random, spec: UnitSpec, category: str) -> tuple[str, str | None]:
    if category == "contract_worker":
        return rng.choice(CONTRACT_TITLES), None
    if category == "cadre":
        if spec.kind in {"commune", "ward"}:
            return rng.choice(COMMUNE_CADRES), None
        return "Chuyên viên", "TONGHOP"
    if category == "public_employee":
        return rng.choice(public_employee_plain(spec.name))
    if spec.kind in {"commune", "ward"}:
        return rng.choice(COMMUNE_CIVIL_SERVANTS)
    inspector = spec.name.startswith("Thanh tra")
    senior = rng.random() < 0.25
    if inspector:
        title = "Thanh tra viên chính" if senior else "Thanh tra viên"
    else:
        title = "Chuyên viên chính" if senior else "Chuyên viên"
    for word, jobs in DIVISION_POSITIONS:
        if word in spec.name:
            return title, rng.choice(jobs)
    return title, rng.choice(("CHUYENMON", "TONGHOP"))
