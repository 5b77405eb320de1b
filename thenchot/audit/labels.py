"""How a stored reference to another record reads on the history page.

audit sits beside core, below the apps whose records it shows, so it cannot look their records
up itself: an app registers, in `AppConfig.ready()`, how a reference to one of its models reads
(org: "name (code)" of a unit, from the in-memory tree). Unregistered references read "#id".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from thenchot.core.registry import Registry

# model label ("org.unit") -> callable(stored id) -> its label, or None when there is none
reference_labels: Registry[Callable[[Any], str | None]] = Registry("reference labels")


def reference_label(model_label: str, value: Any) -> str | None:
    if model_label not in reference_labels:
        return None
    return reference_labels.get(model_label)(value)
