"""A parsed record is held as a `Record` (its values as a tuple under a shape its section's
records share) and behaves as the dict it replaces; a JSON row at its own index keeps only its
section's name for its place, and names the same place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from thenchot.core.interchange import (
    SHAPES_MAX,
    Field,
    JsonPlace,
    Problems,
    Record,
    Row,
    Section,
    SectionParser,
    SheetPlace,
)


class People(Section):
    key = "people"
    fields = (
        Field("code", required=True),
        Field("name"),
        Field("note"),
        *(Field(f"x{i}") for i in range(8)),
    )


def _parsed(records: Sequence[Mapping[str, object]]) -> tuple[list[Row], Problems]:
    parser = SectionParser(People(), xlsx=False)
    for index, record in enumerate(records):
        parser.add(dict(record), JsonPlace("people", index))
    return parser.done(), parser.problems


def test_it_reads_a_record_as_the_dict_it_replaces() -> None:
    rows, problems = _parsed([{"name": " An ", "code": "A1"}, {"code": "B2", "note": ""}])
    assert not problems
    first, second = rows
    assert type(first.data) is Record
    assert first.data == {"name": "An", "code": "A1"}
    assert list(first.data) == ["name", "code"]  # the file's order
    assert list(first.data.items()) == [("name", "An"), ("code", "A1")]
    assert len(first.data) == 2 and "code" in first.data and "note" not in first.data
    assert first.data["code"] == "A1" and first.data.get("note") is None
    assert first.get("code") == "A1" and first.get("note", "-") == "-"
    assert first.has("name") and not first.has("note")
    assert second.has("note") and second.get("note", "-") == "-"  # an empty value is None
    assert isinstance(second.data, Record)
    assert dict(second.data) == {"code": "B2", "note": None} == second.data.copy()
    assert repr(second.data) == repr({"code": "B2", "note": None})


def test_it_shares_one_shape_between_records_of_the_same_fields() -> None:
    rows, _problems = _parsed([{"code": "A1", "name": "An"}, {"code": "B2", "name": "Bình"}])
    first, second = (row.data for row in rows)
    assert isinstance(first, Record) and isinstance(second, Record)
    assert first.shape is second.shape


def test_it_changes_a_record_without_touching_the_others() -> None:
    rows, _problems = _parsed([{"code": "A1", "name": "An"}, {"code": "B2", "name": "Bình"}])
    first, second = (row.data for row in rows)
    first["name"] = "Anh"
    first["note"] = "new"
    assert first == {"code": "A1", "name": "Anh", "note": "new"}
    assert second == {"code": "B2", "name": "Bình"}
    del first["code"]
    assert first == {"name": "Anh", "note": "new"} and not rows[0].has("code")
    assert second == {"code": "B2", "name": "Bình"}


def test_it_keeps_dicts_past_the_shapes_a_section_may_take() -> None:
    names = [f"x{i}" for i in range(8)]
    # every subset of eight fields is a shape of its own: 256 of them
    records = [
        {"code": f"C{n}", **{name: "v" for i, name in enumerate(names) if n >> i & 1}}
        for n in range(256)
    ]
    rows, problems = _parsed(records)
    assert not problems
    assert sum(type(row.data) is Record for row in rows) == SHAPES_MAX
    assert all(type(row.data) is dict for row in rows[SHAPES_MAX:])
    assert [dict(row.data) for row in rows] == records


def test_it_names_the_place_of_a_json_row() -> None:
    rows, problems = _parsed([{"code": "A1"}, {"code": "A1"}])
    assert rows[1].at("code") == "people[1].code" and rows[1].place.at() == "people[1]"
    assert [str(p) for p in problems] == [
        "people[1].code: duplicate code 'A1' (first at people[0])"
    ]
    # a place at another index than the row's (a record left out before it) is kept as given
    moved = Row(JsonPlace("people", 5), {"code": "A1"}, 4)
    assert moved.at("code") == "people[5].code"
    sheet = Row(SheetPlace("people", 7), {"code": "A1"}, 0)
    assert sheet.place.at() == SheetPlace("people", 7).at()
