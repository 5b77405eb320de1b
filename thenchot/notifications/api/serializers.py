from __future__ import annotations

from rest_framework import serializers

from thenchot.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    headline = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "headline",
            "text",
            "title",
            "url",
            "model_label",
            "object_id",
            "due_on",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields
