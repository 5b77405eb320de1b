"""`core.json_stream` reads a document member by member and item by item, and gives exactly
what `json.loads` gives: the same values, and for a malformed file the same message at the same
line and column, wherever the chunks happen to be cut."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thenchot.core import json_stream

SAMPLE = json.dumps(
    {
        "format": "thenchot/1",
        "units": [{"code": "Aé", "n": 1.5, "l": [1, None, True, False, -2e3]}, {"x": 'y\\"z'}] * 3,
        "as_of": "2026-01-01",
        "other": [[], {}, "q", -0.0, 12345678901234567890],
    },
    indent=1,
    ensure_ascii=False,
)


def _read(text: str, chunk: int) -> Any:
    """The document as `json.loads` would give it, read through the stream."""
    reader = json_stream.StreamReader(
        json_stream.utf8_reader(json_stream.text_chunks(text.encode(), chunk))
    )
    out: dict[str, Any] = {}
    for key in reader.members():
        out[key] = list(reader.items()) if reader.is_array() else reader.value()
    return out


def _outcome(read: Any) -> tuple[Any, ...]:
    try:
        return ("ok", read())
    except json.JSONDecodeError as exc:
        return ("error", exc.msg, exc.lineno, exc.colno)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
def test_it_reads_what_json_loads_reads(chunk: int) -> None:
    assert _read(SAMPLE, chunk) == json.loads(SAMPLE)


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "thenchot/1",\n "units": [}',
        '{"a": [1,]}',
        '{"a": 1,}',
        '{"a" 1}',
        '{"a": [1 2]}',
        '{"a": 1} x',
        '{"a": "abc',
        '{"a": [1, 2',
        '{"a": tru}',
        "{a: 1}",
        '{"a": "x\ny"}',
        '{\n\n  "a": [\n  {"b": 1},\n  {"b": 2,}\n]}',
        '{"a":',
        '{"a": [{"b": "\\u12"}]}',
    ],
)
@pytest.mark.parametrize("chunk", [1, 3, 1 << 20])
def test_it_reports_malformed_json_as_json_loads_does(text: str, chunk: int) -> None:
    expected = _outcome(lambda: json.loads(text))
    assert expected[0] == "error"
    assert _outcome(lambda: _read(text, chunk)) == expected


def test_it_says_when_the_document_is_not_an_object() -> None:
    with pytest.raises(json_stream.NotAnObject):
        _read("[1, 2]", 4)


def test_it_passes_over_a_value_the_caller_does_not_read() -> None:
    reader = json_stream.StreamReader(
        json_stream.utf8_reader(json_stream.text_chunks(SAMPLE.encode(), 5))
    )
    assert list(reader.members()) == ["format", "units", "as_of", "other"]


def test_it_drops_a_byte_order_mark_and_refuses_bytes_that_are_not_utf8() -> None:
    assert _read("\ufeff" + '{"a": [1]}', 2) == {"a": [1]}
    reader = json_stream.StreamReader(json_stream.utf8_reader([b'{"a": "\xff"}']))
    with pytest.raises(UnicodeDecodeError):
        list(reader.members())


_EDITS = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, len(SAMPLE)), st.sampled_from('{}[],:"1 \nae-.\\')),
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(edits=_EDITS, chunk=st.sampled_from([1, 2, 5, 64]))
def test_it_agrees_with_json_loads_on_damaged_files(edits: list[Any], chunk: int) -> None:
    chars = list(SAMPLE)
    for op, pos, char in edits:
        pos = min(pos, len(chars))
        if op == 0 and pos < len(chars):
            del chars[pos]
        elif op == 1:
            chars.insert(pos, char)
        else:
            chars = chars[:pos]
    text = "".join(chars)
    expected = _outcome(lambda: json.loads(text))
    try:
        got = _outcome(lambda: _read(text, chunk))
    except json_stream.NotAnObject:
        assert expected[0] == "error" or not isinstance(expected[1], dict)
        return
    assert got == expected
