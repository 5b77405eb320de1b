from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    """Base for records people edit: timestamps and a version for optimistic concurrency."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1)

    class Meta:
        abstract = True


def user_reference(
    verbose_name: Any, *, blank: bool = True, **options: Any
) -> models.ForeignKey[Any, Any]:
    """Who created, recorded or decided something. Deleting the account keeps the record (the
    audit log keeps the name); the user has no reverse accessor to every such record. `options`
    go to the field (`db_index=False` where an index would only slow writes down)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
        **options,
    )


def not_before(
    later: str,
    earlier: str,
    *,
    name: str,
    message: Any,
    later_optional: bool = False,
    earlier_optional: bool = False,
) -> models.CheckConstraint:
    """The constraint that the date `later` is not before `earlier` (a range's end and start, a
    deadline and the day it was given); an empty optional date passes."""
    parts = [Q(**{f"{later}__gte": F(earlier)})]
    # The order of the alternatives is the migrations' (an equal constraint, not a new one).
    if earlier_optional:
        parts.insert(0, Q(**{f"{earlier}__isnull": True}))
    if later_optional:
        parts.insert(0, Q(**{f"{later}__isnull": True}))
    return models.CheckConstraint(
        condition=reduce(operator.or_, parts), name=name, violation_error_message=message
    )


def valid_range(*, name: str) -> models.CheckConstraint:
    """The dated rows of the tree and of staffing (decisions/0002): `valid_to` is not before
    `valid_from`; either may be open."""
    return not_before(
        "valid_to",
        "valid_from",
        name=name,
        message=_("'Valid to' cannot be before 'valid from'."),
        later_optional=True,
        earlier_optional=True,
    )


def year_range(*, name: str) -> models.CheckConstraint:
    """A plan's year is a plausible calendar year (a typo such as 225 is refused)."""
    return models.CheckConstraint(
        condition=Q(year__gte=2000, year__lte=2100),
        name=name,
        violation_error_message=_("The year must be between 2000 and 2100."),
    )


class Counter(models.Model):
    """Named counters; `org_tree` is bumped on every change to the unit tree to refresh caches."""

    key = models.CharField(_("key"), max_length=50, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


def bump(key: str) -> None:
    from django.db.models import F

    updated = Counter.objects.filter(key=key).update(value=F("value") + 1)
    if not updated:
        Counter.objects.get_or_create(key=key, defaults={"value": 1})


def read_counter(key: str) -> int:
    value = Counter.objects.filter(key=key).values_list("value", flat=True).first()
    return int(value or 0)


class Holiday(VersionedModel):
    """One row of the year's table of days off and worked days (the `holidays` interchange
    section): it overrides the computed working-day calendar for its date (`core.calendar`).
    A day off is a "nghỉ bù" or a holiday the package does not know; a working day is a "làm
    bù" Saturday (Labour Code 2019 art. 112(3) and the government's yearly swaps)."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    working = models.BooleanField(
        _("working day"),
        default=False,
        db_default=False,
        help_text=_(
            "Ticked for a compensatory working day (a Saturday worked); unticked for a day off."
        ),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or working day")
        verbose_name_plural = _("holidays and working days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"
