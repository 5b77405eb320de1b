"""Unit representations for the API: codes for every reference, the tree read on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from thenchot.core.api.serializers import UNKNOWN_UNIT, StrictInputSerializer, VersionField, by_code
from thenchot.org.choices import UnitKind
from thenchot.org.models import Unit, valid_on_q
from thenchot.org.tree import TreeSnapshot, tree


def heads_queryset(on: dt.date) -> QuerySet[Any]:
    """Heads and deputies valid on `on`, head first.

    Heads are stored by `people`, which sits above `org`; the model is reached through the
    reverse relation so that `org` never imports `people` (no import cycle between apps).
    """
    model = Unit._meta.get_field("heads").related_model
    return (
        model._default_manager.filter(valid_on_q(on))
        .select_related("staff")
        .order_by(
            Case(When(role="head", then=Value(0)), default=Value(1), output_field=IntegerField()),
            "staff__full_name",
        )
    )


class UnitHeadSerializer(serializers.Serializer):
    staff = serializers.CharField(source="staff.code", help_text=_("Staff code"))
    name = serializers.CharField(source="staff.full_name", help_text=_("Full name"))
    role = serializers.CharField(help_text=_("head or deputy"))


def representation_date(unit: Unit, *, as_of_given: dt.date | None, today: dt.date) -> dt.date:
    """The date a unit is described on: `as_of` when the client gave one; else today, or the
    unit's last (or first) day when it did not exist today, so an ended district still shows
    the parent and heads it had."""
    if as_of_given is not None:
        return as_of_given
    if unit.valid_to is not None and unit.valid_to < today:
        return unit.valid_to
    if unit.valid_from is not None and unit.valid_from > today:
        return unit.valid_from
    return today


class UnitSerializer(serializers.ModelSerializer):
    # A field named `parent` clashes with `Field.parent` in the stubs only: DRF's metaclass
    # moves declared fields off the class, so nothing is shadowed at run time.
    parent = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text=_("Parent unit code on the date")
    )
    predecessors = serializers.SerializerMethodField(
        help_text=_("Codes of the units this unit succeeded (merges and splits)")
    )
    successors = serializers.SerializerMethodField(
        help_text=_("Codes of the units that succeeded this unit")
    )
    heads = serializers.SerializerMethodField(help_text=_("Head and deputies on the date"))

    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "predecessors",
            "successors",
            "heads",
            "version",
        ]
        read_only_fields = fields

    # Everything below reads the in-memory tree or a prefetch: no query per row.
    def _tree(self) -> TreeSnapshot:
        snapshot = self.context.get("tree")
        if snapshot is None:
            # The context is a plain dict at run time (typed read-only): the list shares it.
            snapshot = cast(dict[str, Any], self.context)["tree"] = tree()
        return snapshot

    def _on(self, unit: Unit) -> dt.date:
        from django.utils import timezone

        today = self.context.get("today") or timezone.localdate()
        return representation_date(unit, as_of_given=self.context.get("as_of_given"), today=today)

    def _codes(self, ids: list[int]) -> list[str]:
        units = self._tree().units
        return sorted(units[i].code for i in ids if i in units)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_parent(self, unit: Unit) -> str | None:
        snapshot = self._tree()
        parent_id = snapshot.parent_on(unit.pk, self._on(unit))
        return snapshot.units[parent_id].code if parent_id in snapshot.units else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_predecessors(self, unit: Unit) -> list[str]:
        return self._codes([pid for pid, _on in self._tree().predecessors.get(unit.pk, ())])

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_successors(self, unit: Unit) -> list[str]:
        return self._codes([sid for sid, _on in self._tree().successors.get(unit.pk, ())])

    @extend_schema_field(UnitHeadSerializer(many=True))
    def get_heads(self, unit: Unit) -> list[dict[str, Any]]:
        rows = getattr(unit, "heads_on", None)
        if rows is None:
            rows = list(heads_queryset(self._on(unit)).filter(unit_id=unit.pk))
        # many=True: the data is a list (the stubs type every serializer's data as a dict).
        return cast(list[dict[str, Any]], UnitHeadSerializer(rows, many=True).data)


class UnitCreateSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=UnitKind.choices)
    # A field named `parent` clashes with `Field.parent` in the stubs only: DRF's metaclass
    # moves declared fields off the class, so nothing is shadowed at run time.
    parent = by_code(  # type: ignore[assignment]
        Unit.objects.all(),
        UNKNOWN_UNIT,
        allow_null=True,
        required=False,
        help_text=_("Parent unit code (null for a top-level unit)"),
    )
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)


class UnitUpdateSerializer(StrictInputSerializer):
    refused_fields = {
        "code": _("A unit's code cannot be changed."),
        "parent": _(
            "A unit is moved under another parent from a date, not by editing it: "
            "use the organisation pages."
        ),
    }

    name = serializers.CharField(max_length=255, required=False)
    kind = serializers.ChoiceField(choices=UnitKind.choices, required=False)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    version = VersionField()
