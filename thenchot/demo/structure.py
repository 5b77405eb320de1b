"""The shape of Hanoi's organisation over time, as plain specs (no Django, no database).

Two structures live side by side: the three-level one of 2023 (city → departments and 30
districts → divisions and 579 communes) and the two-level one after 1 July 2025 (city →
departments and 126 communes/wards). The 2025 department merges (1 March) and the end of the
district level (1 July) are recorded as dated parent links and successions, and as the moves
the staff of every ended unit make to its successor.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from thenchot.core.text import fold
from thenchot.demo.departments import (
    DEPARTMENTS,
    GENERIC_DIVISIONS,
    MERGE_DAY,
    MERGES,
    NEW_DEPARTMENTS,
    Department,
)
from thenchot.demo.places import (
    DISTRICT_DIVISIONS_COMMON,
    DISTRICT_DIVISIONS_RURAL,
    DISTRICT_DIVISIONS_URBAN,
    DISTRICTS,
    NEW_COMMUNE_DIVISIONS,
    NEW_WARD_ECONOMY,
    TWO_LEVEL_DAY,
    District,
)
from thenchot.demo.positions import unit_leader_titles

CITY_CODE = "HN"
DAY = dt.timedelta(days=1)


@dataclass(slots=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    weight: float  # share of the generated staff who start here (0: only people who move in)
    head_title: str
    deputy_title: str
    max_deputies: int


@dataclass(frozen=True, slots=True)
class LinkSpec:
    unit: str
    parent: str
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True, slots=True)
class SuccessionSpec:
    predecessor: str
    successor: str
    effective_on: dt.date


@dataclass(frozen=True, slots=True)
class Move:
    """Where the people of an ended unit go on `on`: leaders to `leader_target`, everyone else
    to one of `targets` (the successor and the units under it)."""

    on: dt.date
    leader_target: str
    targets: tuple[str, ...]


@dataclass
class Structure:
    units: dict[str, UnitSpec] = field(default_factory=dict)
    links: list[LinkSpec] = field(default_factory=list)
    successions: list[SuccessionSpec] = field(default_factory=list)
    moves: dict[str, Move] = field(default_factory=dict)

    def add(self, spec: UnitSpec, parent: str | None) -> UnitSpec:
        if spec.code in self.units:
            raise ValueError(f"duplicate unit code {spec.code!r}")
        self.units[spec.code] = spec
        if parent is not None:
            self.links.append(LinkSpec(spec.code, parent, spec.valid_from, spec.valid_to))
        return spec

    def children(self, parent: str, on: dt.date) -> list[str]:
        def valid(lo: dt.date | None, hi: dt.date | None) -> bool:
            return (lo is None or lo <= on) and (hi is None or on <= hi)

        return [
            link.unit
            for link in self.links
            if link.parent == parent
            and valid(link.valid_from, link.valid_to)
            and valid(self.units[link.unit].valid_from, self.units[link.unit].valid_to)
        ]


def slug(name: str) -> str:
    """'Văn Miếu - Quốc Tử Giám' -> 'VANMIEUQUOCTUGIAM' (stable codes from names)."""
    return re.sub(r"[^a-z0-9]", "", fold(name)).upper()


def _unit(
    code: str,
    name: str,
    kind: str,
    *,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    weight: float = 0.0,
    titles: tuple[str, str] | None = None,
    max_deputies: int = 2,
) -> UnitSpec:
    head, deputy = titles or unit_leader_titles(name, kind)
    return UnitSpec(code, name, kind, valid_from, valid_to, weight, head, deputy, max_deputies)


def _psu_weight(name: str) -> float:
    if name.startswith("Bệnh viện"):
        return 30.0
    if name.startswith("Trường"):
        return 15.0
    return 8.0


def _add_department(
    s: Structure, dept: Department, *, valid_from: dt.date | None, valid_to: dt.date | None
) -> None:
    # A department that begins in 2025 starts empty: its people arrive through the merge.
    starts_empty = valid_from is not None
    s.add(
        _unit(
            dept.code,
            dept.name,
            "department",
            valid_from=valid_from,
            valid_to=valid_to,
            weight=0.0 if starts_empty else 4.0,
            titles=(dept.head_title, dept.deputy_title),
            max_deputies=3,
        ),
        CITY_CODE,
    )
    divisions = [(suffix, GENERIC_DIVISIONS[suffix]) for suffix in dept.generic]
    for suffix, name in [*divisions, *dept.specialty]:
        s.add(
            _unit(
                f"{dept.code}-{suffix}",
                name,
                "division",
                valid_from=valid_from,
                valid_to=valid_to,
                weight=0.0 if starts_empty else 3.0,
            ),
            dept.code,
        )
    for suffix, name in dept.public_service_units:
        # Public service units outlive a merge: they change parent instead (see _merge).
        s.add(
            _unit(
                f"{dept.code}-{suffix}",
                name,
                "public_service_unit",
                valid_from=valid_from,
                weight=_psu_weight(name),
            ),
            dept.code,
        )


def _merge(s: Structure, absorbed: str, into: str) -> None:
    """`absorbed` ends the day before MERGE_DAY; `into` takes over its people and divisions."""
    last_day = MERGE_DAY - DAY
    s.successions.append(SuccessionSpec(absorbed, into, MERGE_DAY))
    s.moves[absorbed] = Move(MERGE_DAY, into, (into,))
    target_divisions = {
        s.units[code].name: code
        for code in s.children(into, MERGE_DAY)
        if s.units[code].kind == "division"
    }
    for child in s.children(absorbed, last_day):
        spec = s.units[child]
        if spec.kind == "public_service_unit":
            for i, link in enumerate(s.links):
                if link.unit == child and link.parent == absorbed:
                    s.links[i] = LinkSpec(child, absorbed, link.valid_from, last_day)
            s.links.append(LinkSpec(child, into, MERGE_DAY, None))
            continue
        target = target_divisions.get(spec.name)
        if target is None:
            # A specialty division carries on inside the merged department.
            suffix = child.split("-", 1)[1]
            code = f"{into}-{suffix}"
            n = 2
            while code in s.units:
                code = f"{into}-{suffix}{n}"
                n += 1
            s.add(_unit(code, spec.name, "division", valid_from=MERGE_DAY), into)
            target = code
            target_divisions[spec.name] = code
        s.successions.append(SuccessionSpec(child, target, MERGE_DAY))
        s.moves[child] = Move(MERGE_DAY, target, (target,))


def _old_commune_units(d: District) -> list[tuple[str, str, str]]:
    """(code, name, kind) of the district's communes, wards and townships before 2025."""
    prefix = d.code.split("-", 1)[1]
    result = [(f"{prefix}-{slug(n)}", f"Phường {n}", "ward") for n in d.wards]
    result += [(f"{prefix}-TT{slug(n)}", f"Thị trấn {n}", "commune") for n in d.towns]
    result += [(f"{prefix}-{slug(n)}", f"Xã {n}", "commune") for n in d.communes]
    return result


def _new_commune_code(name: str, kind: str) -> str:
    return f"{'P' if kind == 'ward' else 'X'}-{slug(name)}"


def _group(
    olds: list[tuple[str, str, str]], news: list[str], names: dict[str, str]
) -> dict[str, list[str]]:
    """Which old communes each new one merges: namesakes first, then the smallest group."""
    groups: dict[str, list[str]] = {code: [] for code in news}
    by_name = {fold(names[code]): code for code in news}
    rest = []
    for code, name, _kind in olds:
        bare = fold(name.split(" ", 1)[1] if not name.startswith("Thị trấn") else name[9:])
        if bare in by_name:
            groups[by_name[bare]].append(code)
        else:
            rest.append(code)
    for code in rest:
        smallest = min(news, key=lambda c: (len(groups[c]), news.index(c)))
        groups[smallest].append(code)
    return groups


def _add_district(s: Structure, d: District) -> None:
    last_day = TWO_LEVEL_DAY - DAY
    urban = d.kind_label != "huyện"
    s.add(
        _unit(d.code, d.full_name, "district", valid_to=last_day, weight=3.0, max_deputies=3),
        CITY_CODE,
    )
    extra = DISTRICT_DIVISIONS_URBAN if urban else DISTRICT_DIVISIONS_RURAL
    divisions = []
    for suffix, name in (*DISTRICT_DIVISIONS_COMMON, *extra):
        code = f"{d.code}-{suffix}"
        s.add(_unit(code, name, "division", valid_to=last_day, weight=2.0), d.code)
        divisions.append(code)
    olds = _old_commune_units(d)
    for code, name, kind in olds:
        s.add(_unit(code, name, kind, valid_to=last_day, weight=2.0), d.code)

    # The 2025 communes and wards of this territory, directly under the city.
    news: list[str] = []
    names: dict[str, str] = {}
    for name, kind in d.successors:
        code = _new_commune_code(name, kind)
        full = f"{'Phường' if kind == 'ward' else 'Xã'} {name}"
        s.add(_unit(code, full, kind, valid_from=TWO_LEVEL_DAY), CITY_CODE)
        for suffix, div_name, div_kind in NEW_COMMUNE_DIVISIONS:
            if suffix == "KT" and kind == "ward":
                div_name = NEW_WARD_ECONOMY
            s.add(_unit(f"{code}-{suffix}", div_name, div_kind, valid_from=TWO_LEVEL_DAY), code)
        news.append(code)
        names[code] = name

    def pool(code: str) -> tuple[str, ...]:
        return (code, *(f"{code}-{suffix}" for suffix, _n, _k in NEW_COMMUNE_DIVISIONS))

    for new_code, members in _group(olds, news, names).items():
        for old in members:
            s.successions.append(SuccessionSpec(old, new_code, TWO_LEVEL_DAY))
            s.moves[old] = Move(TWO_LEVEL_DAY, new_code, pool(new_code))
    # The district's territory now belongs to the new communes: each is a successor of it.
    for new_code in news:
        s.successions.append(SuccessionSpec(d.code, new_code, TWO_LEVEL_DAY))
    s.moves[d.code] = Move(TWO_LEVEL_DAY, news[0], tuple(news))
    # District civil servants went to the new communes' divisions (round robin here).
    for i, code in enumerate(divisions):
        target = news[i % len(news)]
        s.successions.append(SuccessionSpec(code, target, TWO_LEVEL_DAY))
        s.moves[code] = Move(TWO_LEVEL_DAY, target, pool(target)[1:])


def build_structure() -> Structure:
    """Hanoi's organisation across both structures, deterministic (no randomness)."""
    s = Structure()
    s.add(
        _unit(
            CITY_CODE,
            "Thành phố Hà Nội",
            "city",
            weight=3.0,
            titles=("Chủ tịch UBND Thành phố", "Phó Chủ tịch UBND Thành phố"),
            max_deputies=4,
        ),
        None,
    )
    absorbed = {code for group, _into in MERGES for code in group}
    for dept in DEPARTMENTS:
        _add_department(
            s, dept, valid_from=None, valid_to=MERGE_DAY - DAY if dept.code in absorbed else None
        )
    for dept in NEW_DEPARTMENTS:
        _add_department(s, dept, valid_from=MERGE_DAY, valid_to=None)
    for group, into in MERGES:
        for code in group:
            _merge(s, code, into)
    for district in DISTRICTS:
        _add_district(s, district)
    return s
