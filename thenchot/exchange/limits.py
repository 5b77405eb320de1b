"""How much one import may hold, so that no file can exhaust the server's memory or time.

Every limit is refused with a message that names it and the value found, before the part of
the file that breaks it is parsed. The defaults leave room for the city-wide file (200,000
staff with a month of evaluations: about 60 MB of JSON, 35 MB of XLSX) and stop what no
agency sends (docs/interchange.md, "Limits"). Each can be changed with the setting, or the
environment variable, of the same name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIB = 1024 * 1024
# Excel's last row: a sheet that claims a later row is not a spreadsheet Excel could open.
SHEET_MAX_ROW = 1_048_576


@dataclass(frozen=True)
class ImportLimits:
    file_bytes: int = 200 * MIB
    unzipped_bytes: int = 1024 * MIB  # sum of the XLSX's members once unpacked
    zip_ratio: int = 100  # unpacked size / file size
    rows: int = 500_000  # records per section (JSON) or rows per sheet (XLSX)
    value_chars: int = 20_000  # one value: text, code, or a key
    json_depth: int = 32  # brackets open at once; the format itself needs 5
    errors: int = 1_000  # errors listed; the rest are counted


SETTING_NAMES = {
    "file_bytes": "THENCHOT_IMPORT_MAX_FILE_BYTES",
    "unzipped_bytes": "THENCHOT_IMPORT_MAX_UNZIPPED_BYTES",
    "zip_ratio": "THENCHOT_IMPORT_MAX_ZIP_RATIO",
    "rows": "THENCHOT_IMPORT_MAX_ROWS",
    "value_chars": "THENCHOT_IMPORT_MAX_VALUE_CHARS",
    "json_depth": "THENCHOT_IMPORT_MAX_JSON_DEPTH",
    "errors": "THENCHOT_IMPORT_MAX_ERRORS",
}


def _positive(name: str, raw: object) -> int:
    try:
        value = int(str(raw))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1, got {value}")
    return value


def import_limits() -> ImportLimits:
    """The limits in force: the Django setting if the project defines it, else the environment
    variable of the same name, else the default."""
    defaults = ImportLimits()
    values: dict[str, int] = {}
    for f in fields(ImportLimits):
        name = SETTING_NAMES[f.name]
        raw = getattr(settings, name, None)
        if raw is None:
            raw = os.environ.get(name) or None
        values[f.name] = getattr(defaults, f.name) if raw is None else _positive(name, raw)
    return ImportLimits(**values)
