"""`/api/v1/processes/intake/events/` and `.../intake/batch/`: case events from a one-stop-shop
system, authenticated by the system's own token (not a person's), applied by `processes.intake`
through the same services as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thenchot.core.api.errors import exception_handler
from thenchot.core.api.viewsets import write
from thenchot.processes import intake
from thenchot.processes.api.serializers import (
    IntakeBatchAnswerSerializer,
    IntakeBatchSerializer,
    IntakeEventSerializer,
    IntakeResultSerializer,
)
from thenchot.processes.models import IntakeSystem
from thenchot.processes.services import one_calendar

DUPLICATE_HEADER = "X-Intake-Duplicate"


class IntakeTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <system token>`: a sending system's token, never a user's."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, IntakeSystem] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed()
        system = intake.system_for_token(parts[1].decode(errors="replace"))
        if system is None:
            raise exceptions.AuthenticationFailed(
                _("This token does not belong to an active sending system.")
            )
        return system.user, system

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class IsSendingSystem(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, IntakeSystem)


class IntakeTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The schema's name for a sending system's token (`Authorization: Token <token>`)."""

    target_class = IntakeTokenAuthentication
    name = "intakeToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization"}


# The error bodies (400 refused with the reason, 401 not a sending system's token, 403 a unit
# the system does not send for, 409 a concurrent change) are the API's shared ones, added by
# `core.api.schema.AutoSchema`.


class _IntakeView(APIView):
    authentication_classes = [IntakeTokenAuthentication]
    permission_classes = [IsSendingSystem]

    def _sender(self, request: Request) -> tuple[IntakeSystem, Any]:
        system = request.auth
        if not isinstance(system, IntakeSystem):  # `IsSendingSystem` has checked it
            raise exceptions.NotAuthenticated()
        return system, intake.sender_for(system)


class IntakeEventView(_IntakeView):
    @write(IntakeEventSerializer, IntakeResultSerializer, status=201)
    def post(self, event: dict[str, Any]) -> Response:
        """Send one case event."""
        system, sender = self._sender(self.request)
        answer = intake.receive(system=system, sender=sender, event=event)
        response = Response(answer.body, status=answer.status_code)
        if answer.duplicate:
            response[DUPLICATE_HEADER] = "true"
        return response


class IntakeBatchView(_IntakeView):
    @write(IntakeBatchSerializer, IntakeBatchAnswerSerializer)
    def post(self, batch: dict[str, Any]) -> Response:
        """Send a batch of case events, each answered in order."""
        system, sender = self._sender(self.request)
        items: list[dict[str, Any]] = []
        valid: list[dict[str, Any]] = []
        # One serializer for every event: a serializer's fields are deep-copied per instance,
        # which cost more than the validation itself (issue 13: 200 events/s).
        validator = IntakeEventSerializer()
        for index, raw in enumerate(batch["events"]):
            item: dict[str, Any] = {"id": raw.get("id"), "index": index}
            try:
                valid.append(validator.run_validation(raw))
            except serializers.ValidationError as exc:
                error = exception_handler(serializers.ValidationError(exc.detail), {})
                assert error is not None
                item.update(status="refused", duplicate=False, error=error.data["error"])
            items.append(item)
        # The calendar once for the batch; the events in one transaction (`intake.Batch`).
        with one_calendar():
            answers = iter(intake.receive_batch(system=system, sender=sender, events=valid))
        for item in items:
            if "status" in item:
                continue
            answer = next(answers)
            item["status"] = "accepted" if answer.accepted else "refused"
            item["duplicate"] = answer.duplicate
            item["result" if answer.accepted else "error"] = (
                answer.body if answer.accepted else answer.body["error"]
            )
        return Response({"results": items})
