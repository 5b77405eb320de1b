from __future__ import annotations

import operator
from functools import reduce
from typing import Any, ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from thenchot.core.fields import user_reference
from thenchot.core.prepared import PreparedRows
from thenchot.core.text import fold
from thenchot.core.validity import Validity


class VersionedModel(models.Model):
    """Base for records people edit: timestamps and a version for optimistic concurrency."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1)

    class Meta:
        abstract = True


class Dated(Validity, models.Model):
    """A dated row of the tree or of staffing (decisions/0002): it holds from `valid_from` to
    `valid_to`, both inclusive, either open (`core.validity`); `valid_range` is its constraint."""

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True


class Pause(models.Model):
    """A stretch of time during which something waits, for a recorded reason (a discipline case
    cannot be considered, a rotation is postponed): from `date_from` to `date_to`, open while it
    lasts. The model declares `reason` with its own choices."""

    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        abstract = True


# Constraints: each named, with a message in the user's language (STYLE.md, "Database
# constraints first"). Each helper returns the very constraint it spells out (no migration).


def unique(
    fields: list[str], *, name: str, message: Any = None, condition: Q | None = None
) -> models.UniqueConstraint:
    """At most one row for these values (among the rows matching `condition`, if given)."""
    return models.UniqueConstraint(
        fields=fields, condition=condition, name=name, violation_error_message=message
    )


def check(condition: Q, *, name: str, message: Any = None) -> models.CheckConstraint:
    """Every row satisfies `condition`."""
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def not_same(first: str, second: str, *, name: str, message: Any) -> models.CheckConstraint:
    """Two references of a row point at different records (a unit is not its own parent)."""
    return check(~Q(**{first: F(second)}), name=name, message=message)


def not_before(
    later: str,
    earlier: str,
    *,
    name: str,
    message: Any = None,
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
    return check(reduce(operator.or_, parts), name=name, message=message)


def one_pending(parent: str, *, name: str, message: Any) -> models.UniqueConstraint:
    """At most one request of a `parent` awaits a decision: two concurrent requests cannot both
    be pending (the status value "pending" of the model's choices)."""
    return unique([parent], condition=Q(status="pending"), name=name, message=message)


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
    return check(
        Q(year__gte=2000, year__lte=2100),
        name=name,
        message=_("The year must be between 2000 and 2100."),
    )


class Searchable:
    """For a model whose `search_text` column is its code and name folded for diacritic-free
    search (`core.text.fold`), the two fields named by `search_from`: every save() refreshes
    it, also one that saves only some fields. Bulk paths (imports) set it with
    `search_text_of`."""

    search_from: ClassVar[tuple[str, str]]
    search_text: str

    @staticmethod
    def search_text_of(code: str, name: str) -> str:
        return f"{fold(code)} {fold(name)}"[:600]

    def save(self, *args: Any, **kwargs: Any) -> None:
        code, name = (getattr(self, field) for field in self.search_from)
        self.search_text = self.search_text_of(code, name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)  # type: ignore[misc]


class StoredFile(models.Model):
    """An uploaded file's record: the name it was sent with, its size and type, who sent it and
    when. The model declares `file` itself (where it is stored) and what it belongs to."""

    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = user_reference(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


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
    updated = Counter.objects.filter(key=key).update(value=F("value") + 1)
    if not updated:
        Counter.objects.get_or_create(key=key, defaults={"value": 1})


def read_counter(key: str) -> int:
    # Read on every request (the tree's version): compiled once (`core.prepared`).
    rows = _COUNTER.run(key=key)
    return int(rows[0][0] if rows else 0)


def _counter_read(key: Any) -> models.QuerySet[Any]:
    return Counter.objects.filter(key=key).order_by().values_list("value")[:1]


_COUNTER = PreparedRows(_counter_read, scalars=("key",))


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
