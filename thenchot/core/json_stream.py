"""A JSON document read member by member in bounded memory, with the standard library's
decoder: the top-level object's keys one at a time, and the items of an array value one at a
time, so that a 100 MB file of 400,000 records never lies in memory whole.

Each item is decoded by `json.JSONDecoder.raw_decode` (the C scanner `json.loads` uses) over a
window of the text that slides forward, so values, numbers (`float` for 27.5, `int` for 27,
NaN and Infinity) and error messages are those of `json.loads`; a `JSONDecodeError`'s line and
column are counted in the whole document. The brackets and commas around the items are checked
here with the messages the standard library gives for them.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

CHUNK = 1024 * 1024  # characters read at a time
# An error this close to the end of the window may only mean that the item goes on in the
# next chunk (`-Infinity` is the longest token that can be cut: 9 characters).
MARGIN = 16
_SPACE = re.compile(r"[ \t\n\r]*").match  # JSON's whitespace


class NotAnObject(Exception):
    """The document does not begin with `{`."""


class StreamReader:
    """The document of a text stream (`read(n)` giving str), read forward once."""

    def __init__(self, read: Callable[[int], str]) -> None:
        self._read = read
        self._decoder = json.JSONDecoder()
        self.buf = ""
        self.i = 0  # position in `buf`
        self.eof = False
        self._offset = 0  # characters of the document before `buf`
        self._lines = 0  # newlines before `buf`
        self._column = 0  # characters after the last newline before `buf`

    # -- the window ----------------------------------------------------------------------------
    def _more(self) -> bool:
        """Read the next chunk into the window, dropping what lies before `i`; False at the
        end of the document."""
        if self.eof:
            return False
        chunk = self._read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        i = self.i
        if i:
            dropped = self.buf.count("\n", 0, i)
            if dropped:
                self._lines += dropped
                self._column = i - self.buf.rfind("\n", 0, i) - 1
            else:
                self._column += i
            self._offset += i
            self.buf = self.buf[i:]
            self.i = 0
        self.buf += chunk
        return True

    def _peek(self) -> str:
        """The next character that is not whitespace ("" at the end), `i` moved to it."""
        while True:
            i = self.i = _SPACE(self.buf, self.i).end()  # type: ignore[union-attr]
            if i < len(self.buf):
                return self.buf[i]
            if not self._more():
                return ""

    def error(self, message: str, pos: int | None = None) -> json.JSONDecodeError:
        """`message` at `pos` of the window (default: `i`), its line and column counted in the
        whole document, as `json.loads` would give them."""
        pos = self.i if pos is None else pos
        exc = json.JSONDecodeError(message, self.buf, pos)
        if exc.lineno == 1:
            exc.colno += self._column
        exc.lineno += self._lines
        exc.pos = pos + self._offset
        exc.doc = ""  # the window means nothing to the caller
        exc.args = (f"{message}: line {exc.lineno} column {exc.colno} (char {exc.pos})",)
        return exc

    # -- values --------------------------------------------------------------------------------
    def value(self) -> Any:
        """The value at the current position, decoded whole."""
        self._peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self.buf, self.i)
            except json.JSONDecodeError as exc:
                cut = exc.pos >= len(self.buf) - MARGIN or exc.msg.startswith("Unterminated")
                if cut and self._more():
                    continue
                raise self.error(exc.msg, exc.pos) from None
            # A number near the window's end may go on in the next chunk ("-0" of "-0.5").
            if end > len(self.buf) - MARGIN and self._more():
                continue
            self.i = end
            return value

    def is_array(self) -> bool:
        return self._peek() == "["

    def items(self) -> Iterator[Any]:
        """The items of the array at the current position, one at a time."""
        if self._peek() != "[":
            raise self.error("Expecting value")
        self.i += 1
        if self._peek() == "]":
            self.i += 1
            return
        while True:
            yield self.value()
            char = self._peek()
            self.i += 1
            if char == "]":
                return
            if char != ",":
                self.i -= 1
                raise self.error("Expecting ',' delimiter")

    def skip(self) -> None:
        """Pass over the value at the current position (an array item by item)."""
        if self.is_array():
            for _item in self.items():
                pass
        else:
            self.value()

    # -- the top-level object ------------------------------------------------------------------
    def members(self) -> Iterator[str]:
        """The keys of the top-level object, in the file's order. After each key the caller
        reads its value (`value`, `items` or `skip`) before asking for the next one. Raises
        `NotAnObject` when the document is not an object, `JSONDecodeError` when malformed."""
        if self._peek() != "{":
            raise NotAnObject
        self.i += 1
        char = self._peek()
        if char == "}":
            self.i += 1
        else:
            while True:
                if char != '"':
                    raise self.error("Expecting property name enclosed in double quotes")
                key = self.value()
                if self._peek() != ":":
                    raise self.error("Expecting ':' delimiter")
                self.i += 1
                self._peek()
                start = self._offset + self.i
                yield key
                if self._offset + self.i == start:
                    self.skip()  # the caller did not read the value
                char = self._peek()
                self.i += 1
                if char == "}":
                    break
                if char != ",":
                    self.i -= 1
                    raise self.error("Expecting ',' delimiter")
                char = self._peek()
        if self._peek() != "":
            raise self.error("Extra data")


def text_chunks(data: bytes | BinaryIO, size: int = CHUNK) -> Iterable[bytes]:
    """The bytes of `data` (bytes or a binary file) a chunk at a time."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        view = memoryview(data)
        for start in range(0, len(view), size):
            yield bytes(view[start : start + size])
        return
    while chunk := data.read(size):
        yield chunk


def utf8_reader(data: Iterable[bytes]) -> Callable[[int], str]:
    """`read(n)` over the byte chunks of `data` decoded as UTF-8 (a leading byte-order mark
    dropped), for `StreamReader`; the whole text is never held. Raises `UnicodeDecodeError`
    where the bytes are not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    chunks = iter(data)
    finished: list[bool] = []

    def read(_n: int) -> str:
        for raw in chunks:
            text = decoder.decode(raw)
            if text:
                return text
        if finished:
            return ""
        finished.append(True)
        return decoder.decode(b"", final=True)  # raises on a sequence cut at the end

    return read
