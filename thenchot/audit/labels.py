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


# "app_label.model.field" ("appraisal.evaluation.category") -> callable(stored value) -> its
# label, or None: for a field that stores another app's choice without declaring the choices
# (adding them would take a migration), so the history shows the label, not "civil_servant".
value_labels: Registry[Callable[[Any], str | None]] = Registry("value labels")


def value_label(model_label: str, field_name: str, value: Any) -> str | None:
    key = f"{model_label}.{field_name}"
    if key not in value_labels:
        return None
    return value_labels.get(key)(value)
