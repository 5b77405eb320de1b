"""What every module of the package shares: the day the workflow runs on, the refusals and
checks of who may act, validation, the audit snapshot, locking, the version bump of a record
whose parts changed, and the notice sent after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from thenchot.core import auditing, writes
from thenchot.core import services as core_services
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import OutOfScope
from thenchot.inspections.choices import Topic
from thenchot.inspections.models import Inspection
from thenchot.inspections.selectors import InspectionAuthority, authority_for
from thenchot.notifications.services import notify
from thenchot.org.models import Unit
from thenchot.org.tree import tree

M = TypeVar("M", bound=models.Model)

# The shared service helpers under the names the package's modules import from here.
_refuse = core_services.refuse
_full_clean = core_services.full_clean
_today = core_services.today


def _day() -> dt.date:
    """`services._today()` looked up when called: a test that freezes the day by replacing the
    package's `_today` must move it for every module of the package."""
    return core_services.package_today("thenchot.inspections.services", "_today")


def snap(instance: Any) -> dict[str, Any]:
    """`auditing.snapshot` with file fields as their stored names (the core writer does not
    turn a FieldFile into JSON)."""
    data = auditing.snapshot(instance)
    for key, value in data.items():
        if isinstance(value, FieldFile):
            data[key] = value.name or None
    return data


def _record(instance: Any, *, action: str, before: dict[str, Any] | None = None) -> None:
    auditing.record(instance, action=action, before=before, after=snap(instance))


def _create(instance: M) -> M:
    """Insert a new row (validated by the caller) and audit it as `snap` shows it."""
    return writes.create(instance, snap=snap)


def _authority(by: Any) -> InspectionAuthority:
    if by is None or not getattr(by, "is_authenticated", False):
        raise OutOfScope()
    return authority_for(by, _day())


def _require_conducting(auth: InspectionAuthority, inspection: Inspection) -> None:
    if not auth.is_conducting_side(inspection):
        raise OutOfScope(_("Only the conducting unit's inspectors and managers can do this."))


def _conducted(
    auth: InspectionAuthority, inspection: Inspection, *, concluded: str | None = None
) -> Inspection:
    """The inspection's current row, locked, for a write of its conducting side (refused to
    others); `concluded`, if given, is the refusal once the inspection is concluded."""
    inspection = _locked(Inspection, inspection.pk)
    _require_conducting(auth, inspection)
    if concluded is not None and inspection.is_concluded:
        raise _refuse(concluded)
    return inspection


def _require_unit_open(unit: Unit, on: dt.date, field: str) -> None:
    info = tree().units.get(unit.pk)
    if info is None or (info.valid_to is not None and info.valid_to < on):
        raise _refuse(
            _("The unit %(code)s has ended; nothing can be recorded for it.") % {"code": unit.code},
            field,
        )


def clean_topics(topics: Iterable[str], field: str = "topics") -> list[str]:
    values = list(dict.fromkeys(str(t) for t in topics))
    unknown = [t for t in values if t not in Topic.values]
    if unknown:
        raise _refuse(
            _("Unknown topic '%(value)s' (known: %(known)s).")
            % {"value": unknown[0], "known": ", ".join(Topic.values)},
            field,
        )
    return [t for t in Topic.values if t in values]  # the documented order, stable on export


def _locked(model: type[Any], pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


def _notify_after_commit(
    *, users: Iterable[int | None], title: Callable[[], str], url: str, object_id: int
) -> None:
    """Tell `users` after commit; the title is made in the site language (the recipients'),
    not the actor's."""
    recipients = sorted({u for u in users if u is not None})
    if not recipients:
        return

    def send() -> None:
        # `title` is called in each recipient's language (notify), not the actor's.
        notify(
            recipients=recipients,
            title=title,
            url=url,
            model_label="inspections.recommendation",
            object_id=object_id,
        )

    transaction.on_commit(send)


def inspection_url(code: str) -> str:
    from django.urls import reverse

    return reverse("inspections:detail", args=[code])


def _touch(instance: Any, expected_version: int) -> None:
    """Move the version of a record whose parts changed (a plan's items, an inspection's
    checklist): the parts carry no version of their own, so a page opened before the change is
    refused instead of silently overwriting it."""
    save_versioned(instance, expected_version=expected_version, fields=[])
