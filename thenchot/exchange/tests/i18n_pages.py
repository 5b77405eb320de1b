"""The import's progress page in the language test (tests/i18n/plugins.py): a background
import of the persona's, part-way through checking its staff."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

TOKEN = "i18n-import-run"
PREFERRED = {"exchange:import_status": "hung"}


def build(pw: Any) -> None:
    from django.core.cache import cache

    from thenchot.exchange import background
    from thenchot.exchange.progress import CHECK, Step

    step = Step(CHECK, section="staff", done=1200, total=5000, index=1, sections=3)
    state = {
        "user": pw.people.user("hung").pk,
        "filename": "hanoi.json",
        "dry_run": False,
        "status": background.RUNNING,
        "step": asdict(step),
    }
    cache.set(background.STATE_KEY.format(token=TOKEN), state, timeout=background.KEEP_SECONDS)


ARGS = {"exchange:import_status": lambda pw: {"token": TOKEN}}
