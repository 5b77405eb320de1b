"""The shortcuts a city-sized import takes give what the general paths give: a record typed by
the engine's loop holds the values and errors `parse_value` gives field by field; an audit
snapshot of dates and moments holds `jsonable`'s text; audit lines built as lists hold every
column a line built from a dict held; a table completes rows as before; the e-mail check that
keeps each domain's verdict agrees with Django's validator."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from hypothesis import given, settings
from hypothesis import strategies as st

from thenchot.core import bulk
from thenchot.core.changes import jsonable
from thenchot.core.interchange import (
    BOOL,
    CODE,
    CODES,
    DATE,
    DECIMAL,
    ENUM,
    INT,
    LISTS,
    STR,
    Field,
    JsonPlace,
    Problems,
    _parse_record,
    check_email,
    is_empty,
    parse_value,
)
from thenchot.people.models import JobPosition, Staff

FIELDS = (
    Field("name", STR, required=True, max_length=5, check=lambda t: "no x" if "x" in t else None),
    Field("code", CODE, max_length=8, ref="staff"),
    Field("kind", ENUM, required=True, choices=("a", "b")),
    Field("on", DATE, required=True),
    Field("points", DECIMAL),
    Field("flag", BOOL),
    Field("count", INT),
    Field("codes", CODES),
)
FMAP = {f.name: f for f in FIELDS}
VALUES = (
    None,
    "",
    "  ",
    "a",
    " b ",
    "abcde",
    "abcdef",
    "ax",
    "c",
    "2026-02-01",
    " 2026-02-01 ",
    "2026-02-30",
    "2026-W05-1",
    "20260201",
    1,
    0,
    1.5,
    1.555,
    True,
    [],
    ["A", " "],
    {"x": 1},
)


def _by_parse_value(record: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The record and errors as the engine typed them field by field, through `parse_value`."""
    out, errors, failed = dict(record), [], set()
    for name, value in record.items():
        f = FMAP[name]
        if is_empty(value) or (f.type in LISTS and value == []):
            out[name] = [] if f.type in LISTS else None
            continue
        parsed, message = parse_value(f, value, xlsx=False)
        if message is not None:
            errors.append((f"r[0].{name}", message))
            failed.add(name)
            out[name] = None
        else:
            out[name] = parsed
    for f in FIELDS:
        if f.required and out.get(f.name) is None and f.name not in failed:
            errors.append((f"r[0].{f.name}", _("required field is missing")))
    return out, errors


def _by_engine(record: dict[str, Any], memo: dict[Any, Any] | None) -> tuple[Any, Any]:
    problems = Problems()
    typed = dict(record)
    _parse_record(FMAP, FIELDS, typed, JsonPlace("r", 0), xlsx=False, problems=problems, memo=memo)
    return typed, [(p.place, p.message) for p in problems]


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from([f.name for f in FIELDS]), st.sampled_from(VALUES)),
    st.booleans(),
)
def test_it_types_a_record_as_parse_value_types_each_field(
    record: dict[str, Any], with_memo: bool
) -> None:
    assert _by_engine(record, {} if with_memo else None) == _by_parse_value(record)


def test_it_keeps_one_object_per_repeated_value_and_types_it_the_same() -> None:
    memo: dict[Any, Any] = {}
    first, _ = _by_engine({"name": " ab ", "on": "2026-02-01", "kind": "a"}, memo)
    second, _ = _by_engine({"name": "ab", "on": "2026-02-01 ", "kind": "a"}, memo)
    assert first == second == {"name": "ab", "on": dt.date(2026, 2, 1), "kind": "a"}
    assert first["name"] is second["name"] and first["on"] is second["on"]


def test_a_bulk_snapshot_holds_what_jsonable_gives_for_dates_and_moments() -> None:
    instant = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    in_hanoi = instant.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    rows = [
        {"created_at": instant, "date_of_birth": dt.date(1980, 1, 2), "full_name": "Lê An"},
        {"created_at": instant, "date_of_birth": dt.date(1980, 1, 2), "full_name": "Lê Bình"},
        # the same instant in another zone: equal, but its ISO text differs
        {"created_at": in_hanoi, "date_of_birth": dt.date(1981, 3, 4), "full_name": "Lê Châu"},
        {"created_at": instant, "date_of_birth": None, "full_name": "Lê Dũng"},
    ]
    for row in rows:
        snap = bulk.snapshot_of(Staff, row)
        assert snap["created_at"] == jsonable(row["created_at"])
        assert snap["date_of_birth"] == jsonable(row["date_of_birth"])
        assert snap["full_name"] == row["full_name"]
    assert bulk.snapshot_of(Staff, rows[2])["created_at"].endswith("+07:00")


def test_audit_lines_built_as_lists_hold_every_column(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from thenchot.audit.models import AuditEntry

    monkeypatch.setattr(bulk, "BATCH", 2)  # lines of three statements
    after = {"code": "VT1", "name": "Vị trí", "points": str(Decimal("1.50")), "note": None}
    lines = [
        bulk.Line(JobPosition, n, f"Vị trí {n}", bulk.CREATE, None, dict(after, code=f"VT{n}"))
        for n in range(1, 6)
    ]
    written = bulk.write_audit(lines, reason="hanoi.json", batch="b1")
    assert written == 5
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.object_id for e in entries] == ["1", "2", "3", "4", "5"]
    for n, entry in enumerate(entries, start=1):
        assert entry.object_repr == f"Vị trí {n}"
        assert entry.action == "create" and entry.model_label == "people.jobposition"
        assert entry.before is None and entry.after == dict(after, code=f"VT{n}")
        assert entry.changed_fields == ["code", "name", "points"]
        assert (entry.reason, entry.batch, entry.actor_id, entry.actor_name) == (
            "hanoi.json",
            "b1",
            None,
            "",
        )
        assert entry.at is not None and entry.content_type_id is not None


def test_a_table_completes_rows_with_defaults_and_now_also_after_its_fields_change() -> None:
    table = bulk.Table(JobPosition)
    now = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
    row = table.complete({"code": "VT1", "name": "Vị trí"}, now)
    expected = {
        f.attname: now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in table.fields
    }
    assert row == dict(expected, code="VT1", name="Vị trí")
    table.fields = [f for f in table.fields if f.attname != "name"]
    assert "name" not in table.complete({"code": "VT2"}, now)
    table.fields = [JobPosition._meta.pk, *table.fields]
    assert table.complete({"code": "VT3"}, now)["id"] is None


def _django_says(value: str) -> bool:
    try:
        EmailValidator()(value)
    except ValidationError:
        return False
    return True


USER_PARTS = st.text(alphabet='ab.+-_"\\ @!é\x01', max_size=8)
DOMAINS = st.one_of(
    st.sampled_from(
        [
            "hanoi.gov.vn",
            "localhost",
            "[127.0.0.1]",
            "[::1]",
            "[300.1.1.1]",
            "hà-nội.vn",
            "xn--h-nni-h7a.vn",
            "-bad.vn",
            "a..vn",
            "vn",
            "",
            "x" * 63 + ".vn",
            "x" * 64 + ".vn",
            ("a" * 60 + ".") * 5 + "vn",
        ]
    ),
    st.text(alphabet="ab.-[]:1é@", max_size=12),
)


@settings(max_examples=500, deadline=None)
@given(USER_PARTS, DOMAINS, st.sampled_from(["", " ", "@"]))
def test_check_email_agrees_with_djangos_validator(user: str, domain: str, tail: str) -> None:
    for value in (f"{user}@{domain}", f"{user}@{domain}{tail}", f"{user}{domain}", user):
        assert check_email(value) is _django_says(value), value


def test_a_staff_plans_values_stay_in_the_smaller_dict() -> None:
    # 200,000 plans: a dict of eleven keys takes 192 bytes more than one of ten (38 MB).
    from thenchot.core.interchange import Row
    from thenchot.people.interchange.common import SIMPLE, file_values, staff_value

    row = Row(JsonPlace("staff", 0), {"code": "CB1", "full_name": "Lê An", "job_position": "VT"}, 0)
    values = file_values(row, SIMPLE, None, staff_value)
    assert "job_position" not in values
    assert sys.getsizeof(values) <= sys.getsizeof(dict.fromkeys(range(10)))
