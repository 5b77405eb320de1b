"""Input of the intake endpoints: one case event, or a batch of them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from thenchot.core.api.serializers import StrictInputSerializer
from thenchot.processes.choices import IntakeEventKind

BATCH_MAX = 500

# The fields each kind of event needs beyond id, type, case and on.
REQUIRED = {
    IntakeEventKind.RECEIVED: ("procedure",),
    IntakeEventKind.STEP_DONE: ("step",),
    IntakeEventKind.RETURNED: (),
    IntakeEventKind.COMPLETED: (),
}


class IntakeEventSerializer(StrictInputSerializer):
    id = serializers.CharField(max_length=100, help_text=_("The sender's own id of the event."))
    type = serializers.ChoiceField(choices=IntakeEventKind.choices)
    case = serializers.CharField(max_length=60, help_text=_("The case code (mã hồ sơ)."))
    on = serializers.DateField(help_text=_("The day the event happened."))
    procedure = serializers.CharField(max_length=60, required=False)
    version = serializers.IntegerField(min_value=1, required=False)
    applicant = serializers.CharField(max_length=300, required=False, allow_blank=True)
    step = serializers.IntegerField(min_value=1, required=False)
    held_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    late_reason = serializers.CharField(required=False, allow_blank=True)
    apology_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    apology_on = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        missing = {
            name: [_("Required for a '%(type)s' event.") % {"type": attrs["type"]}]
            for name in REQUIRED[attrs["type"]]
            if attrs.get(name) in (None, "")
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class IntakeBatchSerializer(StrictInputSerializer):
    events = serializers.ListField(
        child=serializers.DictField(), min_length=1, max_length=BATCH_MAX
    )


class IntakeResultSerializer(serializers.Serializer):
    """An accepted event's answer."""

    id = serializers.CharField()
    type = serializers.CharField()
    status = serializers.CharField()
    case = serializers.CharField()
    received_on = serializers.DateField()
    first_received_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField()
    current_step = serializers.IntegerField(allow_null=True)
    returned_on = serializers.DateField(allow_null=True)
    completed_on = serializers.DateField(allow_null=True)


class IntakeBatchItemSerializer(serializers.Serializer):
    id = serializers.CharField(allow_null=True)
    index = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["accepted", "refused"])
    duplicate = serializers.BooleanField()
    result = IntakeResultSerializer(required=False)
    error = serializers.DictField(required=False)


class IntakeBatchAnswerSerializer(serializers.Serializer):
    results = IntakeBatchItemSerializer(many=True)
