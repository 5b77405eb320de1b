"""`/api/v1/notifications/`: the caller's own notifications only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.core.api.views import ScopedViewSetMixin, StableOrderingFilter
from thenchot.notifications import selectors, services
from thenchot.notifications.api.serializers import NotificationSerializer
from thenchot.notifications.filtersets import NotificationFilterSet
from thenchot.notifications.models import Notification


class NotificationViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    ordering_fields = ["created_at", "due_on"]
    ordering = ["-created_at", "-id"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Notification]:
        # Own rows only, whatever the roles: another user's id is simply not found (404),
        # never forbidden (403), so ids do not reveal whether a notification exists.
        if scope.user_id is None:
            return Notification.objects.none()
        return Notification.objects.filter(recipient_id=scope.user_id)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        notification = services.mark_read(user=request.user, notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"marked": services.mark_all_read(user=request.user)})

    @extend_schema(
        responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
    )
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": selectors.unread_count(user=request.user)})
