"""The seals of closed periods: an append-only chain (docs/integrity.md).

Each close appends one `SealEntry` per period closed, holding the period's results as they were
written (compressed) and their digest; each reopening appends an entry that supersedes the
period's seal. Every entry carries the digest of the one before it, and its own digest is keyed
with the installation's secret (not in the database): deleting, inserting or editing an entry
breaks the chain, and nobody with only database access can write a valid one. `SealChainHead`
is the one row holding the chain's last position, which also serialises concurrent closes.
The application never edits or deletes an entry.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from thenchot.core.models import user_reference


class SealKind(models.TextChoices):
    SEAL = "seal", _("Sealed at the close")
    REOPEN = "reopen", _("Seal superseded by a reopening")


class SealEntry(models.Model):
    sequence = models.PositiveBigIntegerField(_("position in the chain"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=SealKind.choices)
    # No foreign key: an entry outlives any change to the period row, and names it as it was.
    period_id = models.BigIntegerField(_("period"), db_index=True)
    period_code = models.CharField(_("period code"), max_length=7)
    agency_id = models.BigIntegerField(_("agency"))
    at = models.DateTimeField(_("at"))
    by = user_reference(_("by"), db_index=False)
    scheme = models.CharField(_("scheme"), max_length=10)
    key_id = models.CharField(_("key identifier"), max_length=16)
    row_count = models.PositiveIntegerField(_("evaluations"), default=0)
    rows = models.BinaryField(_("sealed results (compressed)"), default=b"")
    rows_digest = models.CharField(_("digest of the results"), max_length=64, blank=True)
    previous_digest = models.CharField(_("digest of the previous entry"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        verbose_name = _("period seal")
        verbose_name_plural = _("period seals")
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind} {self.period_code} / {self.agency_id}"


class SealChainHead(models.Model):
    """The chain's last position (one row, created by the migration)."""

    sequence = models.PositiveBigIntegerField(_("last position"), default=0)
    digest = models.CharField(_("last digest"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("seal chain head")
        verbose_name_plural = _("seal chain head")

    def __str__(self) -> str:
        return f"#{self.sequence}"
