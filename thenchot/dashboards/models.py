"""The dashboard's grids kept in the database, so that every process — and the first view after
a restart or a new day — reads a city's figures instead of counting a million records again
(`aggregates`). A row is a cache entry: it is rewritten whenever its figures are recounted and
can be emptied at any time (`manage.py shell -c "GridSnapshot.objects.all().delete()"`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GridSnapshot(models.Model):
    # "<series>|<from>|<to>|<as_of>"
    key = models.CharField(_("key"), max_length=80, unique=True)
    # The data versions it was counted at (`freshness`): the family's and the tree's, and
    # each month's of the series.
    family_version = models.BigIntegerField(_("family version"))
    tree_version = models.BigIntegerField(_("tree version"))
    month_versions = models.JSONField(_("month versions"), default=list)
    # {unit id: {outcome: [count per month]}}
    data = models.JSONField(_("counts"), default=dict)
    counted_at = models.DateTimeField(_("counted at"), auto_now=True)

    class Meta:
        verbose_name = _("dashboard grid")
        verbose_name_plural = _("dashboard grids")

    def __str__(self) -> str:
        return self.key
