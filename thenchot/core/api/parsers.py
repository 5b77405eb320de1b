"""The API's JSON parser: a record that names one key twice is refused, not half-read.

Python's `json` keeps the last of two equal keys, so `{"version": 3, "version": 1}` would
silently become `{"version": 1}`; the caller meant one of them and we cannot know which.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class DuplicateKey(ParseError):
    """A JSON object naming the same key twice (a 400 `parse_error` naming the key)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise DuplicateKey(_('The key "%(key)s" appears more than once.') % {"key": key})
        record[key] = value
    return record


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259); DRF refuses them too.
    raise ValueError(_("%(name)s is not a valid JSON value.") % {"name": name})


class StrictJSONParser(JSONParser):
    """DRF's JSON parser, refusing duplicate keys and the non-standard NaN/Infinity."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream)
            return json.load(text, object_pairs_hook=_unique_keys, parse_constant=_refuse_constant)
        except ValueError as exc:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": exc}) from exc
