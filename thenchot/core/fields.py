"""References between records, declared one way, and the points fields (the constraints'
helpers are in `core.models`).

Each factory returns the very field its arguments spell out, so using one changes no migration:
a reference is a `ForeignKey` with a verbose name, PROTECT unless it says otherwise, and no
reverse accessor unless it names one; `optional=True` makes it nullable and blank in forms.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def reference(
    to: Any,
    verbose_name: Any,
    related_name: str = "+",
    *,
    on_delete: Any = models.PROTECT,
    optional: bool = False,
    **options: Any,
) -> models.ForeignKey[Any, Any]:
    """A reference to another record (`to`: a model or an "app.Model" label). Deleting the
    record referred to is refused while this one points at it, unless `on_delete` says
    otherwise; `options` go to the field (`db_index=False`, `blank=False`...)."""
    if optional:
        options = {"null": True, "blank": True, **options}
    return models.ForeignKey(
        to, verbose_name=verbose_name, on_delete=on_delete, related_name=related_name, **options
    )


def parent_reference(
    to: Any, verbose_name: Any, related_name: str, **options: Any
) -> models.ForeignKey[Any, Any]:
    """The record this one is part of (a task's comment, a plan's item): it goes with it."""
    return reference(to, verbose_name, related_name, on_delete=models.CASCADE, **options)


def points_field(
    verbose_name: Any, *, max_digits: int = 5, optional: bool = False, **options: Any
) -> models.DecimalField[Any, Any]:
    """Points or a score, with two decimals: five digits hold the evaluations' 100-point scale
    (the reform index's criteria ask for seven); `optional=True`: none given yet."""
    if optional:
        options = {"null": True, "blank": True, **options}
    return models.DecimalField(verbose_name, max_digits=max_digits, decimal_places=2, **options)


def user_reference(
    verbose_name: Any, *, blank: bool = True, related_name: str = "+", **options: Any
) -> models.ForeignKey[Any, Any]:
    """Who created, recorded or decided something. Deleting the account keeps the record (the
    audit log keeps the name); the user has no reverse accessor to every such record unless it
    is named. `options` go to the field (`db_index=False` where an index would only slow writes
    down)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name=related_name,
        **options,
    )
