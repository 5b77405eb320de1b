"""The unit tree with history.

Units, their parent links and their successions all carry validity dates (inclusive, open when
null), so every question takes a date: "the subtree of X on D". Nothing here knows only
today's parent.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thenchot.core.fields import parent_reference, reference
from thenchot.core.models import Dated, VersionedModel, not_same, unique, valid_range
from thenchot.core.validity import Validity
from thenchot.org.choices import UnitKind


def valid_on_q(on: dt.date, prefix: str = "") -> Q:
    """Q for rows whose [valid_from, valid_to] contains `on` (null bounds are open)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class Unit(Dated, VersionedModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices)
    search_text = models.CharField(_("search text"), max_length=400, blank=True, editable=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]
        constraints = [
            valid_range(name="org_unit_valid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    is_valid_on = Validity.valid_on  # the name the org pages call


class UnitLink(Dated):
    """`unit` sits under `parent` from `valid_from` to `valid_to` (inclusive)."""

    unit = parent_reference(Unit, _("unit"), "parent_links")
    parent = reference(Unit, _("parent"), "child_links")

    class Meta:
        verbose_name = _("parent link")
        verbose_name_plural = _("parent links")
        ordering = ["unit_id", "valid_from"]
        constraints = [
            not_same(
                "unit",
                "parent",
                name="org_unitlink_not_self",
                message=_("A unit cannot be its own parent."),
            ),
            valid_range(name="org_unitlink_valid_range"),
        ]
        indexes = [models.Index(fields=["parent", "valid_from"], name="org_link_parent_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.parent_id} [{self.valid_from}..{self.valid_to}]"


class UnitSuccession(models.Model):
    """`successor` takes over (part of) `predecessor` on `effective_on` (merge or split)."""

    predecessor = parent_reference(Unit, _("predecessor"), "successions")
    successor = parent_reference(Unit, _("successor"), "predecessions")
    effective_on = models.DateField(_("effective on"), null=True, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            unique(
                ["predecessor", "successor"],
                name="org_succession_unique",
                message=_("This succession is already recorded."),
            ),
            not_same(
                "predecessor",
                "successor",
                name="org_succession_not_self",
                message=_("A unit cannot succeed itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} ⇒ {self.successor_id}"
