"""One error format for the whole API: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from thenchot.core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(
            {
                "error": {
                    "code": exc.code,
                    "message": str(exc.message),
                    "fields": {k: [str(m) for m in v] for k, v in exc.field_errors.items()},
                }
            },
            status=exc.status,
        )
    response = drf_handler(exc, context)
    if response is None:
        return None
    data = response.data
    fields: dict[str, Any] = {}
    message = ""
    code = getattr(exc, "default_code", "error")
    if isinstance(data, dict) and "detail" in data and len(data) == 1:
        message = str(data["detail"])
        code = getattr(data["detail"], "code", code)
    elif isinstance(data, dict):
        fields = {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in data.items()}
        message = "; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())
    elif isinstance(data, list):
        message = " ".join(str(m) for m in data)
    if response.status_code == status.HTTP_400_BAD_REQUEST and code == "error":
        code = "invalid"
    response.data = {"error": {"code": str(code), "message": message, "fields": fields}}
    return response
