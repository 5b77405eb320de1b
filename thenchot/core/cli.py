"""Helpers shared by the product's commands."""

from __future__ import annotations

import os


def cli_language(option: str | None = None) -> str:
    """The language of a command's messages: `--lang`, else LANG/LC_ALL, else Vietnamese."""
    if option in {"vi", "en"}:
        return option
    for var in ("LC_ALL", "LANG"):
        value = os.environ.get(var, "")
        if value.lower().startswith("en"):
            return "en"
        if value.lower().startswith("vi"):
            return "vi"
    return "vi"
