"""A serializer with `FieldsOnceMixin` builds its fields once per class and gives each instance
fields of its own (bound to it), answering what the plain serializer answers (issue 18)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework import serializers

from thenchot.core.api.serializers import FieldsOnceMixin
from thenchot.org.models import Unit

pytestmark = pytest.mark.django_db


class _Plain(serializers.ModelSerializer):
    where = serializers.SerializerMethodField()
    tags = serializers.ListField(child=serializers.CharField(), source="codes", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "code", "name", "kind", "valid_from", "valid_to", "version", "where"]
        fields += ["tags"]
        read_only_fields = fields

    def get_where(self, obj: Unit) -> str:
        return f"{self.context['prefix']}:{obj.code}"


class _Once(FieldsOnceMixin, _Plain):
    pass


def _with_codes(unit: Unit) -> Unit:
    unit.codes = [unit.code, unit.code.lower()]  # type: ignore[attr-defined]
    return unit


def test_it_answers_what_the_plain_serializer_answers(world: Any) -> None:
    units = [_with_codes(u) for u in Unit.objects.order_by("pk")[:5]]
    for prefix in ("a", "b"):  # the second instance reuses the fields built for the first
        for unit in units:
            context = {"prefix": prefix}
            assert _Once(unit, context=context).data == _Plain(unit, context=context).data
    many = _Once(units, many=True, context={"prefix": "c"}).data
    assert many == _Plain(units, many=True, context={"prefix": "c"}).data


def test_each_instance_has_fields_of_its_own(world: Any) -> None:
    unit = _with_codes(Unit.objects.get(pk=world.snv.pk))
    first, second = _Once(unit, context={"prefix": "x"}), _Once(unit, context={"prefix": "y"})
    assert first.data["where"] == f"x:{unit.code}" and second.data["where"] == f"y:{unit.code}"
    for name in first.fields:
        one, other = first.fields[name], second.fields[name]
        assert one is not other
        assert one.parent is first and other.parent is second
    # A field with a child is copied whole: the children are not shared either.
    assert first.fields["tags"].child is not second.fields["tags"].child
    assert first.fields["tags"].child.parent is first.fields["tags"]
    built = type(first).__dict__["_fields_built"]
    assert all(getattr(f, "parent", None) is None for f in built.values())
