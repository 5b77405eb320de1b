"""New versions of a rule pack's parameters, changed by an administrator with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.accounts.choices import Role
from thenchot.appraisal import inputs, rules
from thenchot.appraisal.models import PackParameterSet
from thenchot.appraisal.services.base import _refuse
from thenchot.appraisal.services.lines import _roles
from thenchot.core import auditing
from thenchot.core.errors import DomainError, OutOfScope


def params_update(
    *, pack_id: str, changes: Mapping[str, Any], reason: str, by: Any
) -> PackParameterSet:
    """A new version of a pack's parameters (`{"bands.excellent_from": "92"}`), validated by the
    pack (overlapping thresholds, ratios outside [0, 1] are refused with every problem). Closed
    periods keep the parameters they were closed with."""
    if Role.ADMIN.value not in _roles(by):
        raise OutOfScope(_("Only an administrator changes rule-pack parameters."))
    if not reason.strip():
        raise _refuse(_("Give the reason for the change."), "reason")
    try:
        pack = rules.registry.get(pack_id)
    except rules.RuleInputError as exc:
        raise _refuse(str(exc), "pack") from None
    with transaction.atomic():
        base, number = inputs.current_params(pack.id)
        try:
            new = base.replace(dict(changes))
        except rules.ParameterError as exc:
            raise DomainError(
                "; ".join(exc.messages), field_errors={"params": list(exc.messages)}
            ) from None
        row = PackParameterSet.objects.create(
            pack=pack.id,
            number=(number or 0) + 1,
            params=new.to_dict(),
            reason=reason,
            created_by=by,
        )
        auditing.record(row, action=auditing.CREATE, reason=reason)
    return row
