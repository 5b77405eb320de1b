"""One error format for the whole API: {"error": {"code", "message", "fields"}}.

`code` is a stable machine word (`invalid`, `not_authenticated`, `permission_denied`,
`out_of_scope`, `not_found`, `concurrent_update`, ...); `message` is a sentence in the user's
language; `fields` maps a field name (nested ones as `parent.child` or `items[2].name`) to its
messages. Services raise `DomainError`s; serializers and model validation raise their own
errors; all of them leave here in the same shape.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler
from rest_framework.views import set_rollback

from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError

NON_FIELD_KEYS = {"non_field_errors", "__all__"}

# DRF's own sentences for its standard refusals, in our catalogue so that they reach the caller
# in their language (DRF's Vietnamese catalogue lacks most of them). Only a refusal still
# carrying DRF's default text is reworded: a message a view chose itself is kept.
_STANDARD_MESSAGES: dict[type[exceptions.APIException], Any] = {
    exceptions.NotAuthenticated: gettext_lazy("Authentication credentials were not provided."),
    exceptions.AuthenticationFailed: gettext_lazy("Incorrect authentication credentials."),
    exceptions.PermissionDenied: gettext_lazy("You do not have permission to perform this action."),
    exceptions.NotFound: gettext_lazy("Not found."),
    exceptions.ParseError: gettext_lazy("Malformed request."),
    exceptions.NotAcceptable: gettext_lazy("Could not satisfy the request Accept header."),
}


def _standard(exc: Exception) -> Exception:
    """`exc` with DRF's default text replaced by ours; a 404 names no model.

    Django's `get_object_or_404` says "No DisciplineDecision matches the given query.": the
    name of a class inside the server, in English, which tells a caller nothing they may use.
    """
    if isinstance(exc, Http404):
        return exceptions.NotFound(_STANDARD_MESSAGES[exceptions.NotFound])
    if isinstance(exc, exceptions.APIException):
        message = _STANDARD_MESSAGES.get(type(exc))
        if message is not None and str(exc.detail) == str(exc.default_detail):
            # Changed in place: the view has set the 401's WWW-Authenticate on this exception.
            exc.detail = ErrorDetail(str(message), code=exc.default_code)
    return exc


def _flatten(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """{"a": {"b": ["x"]}, "c": [{"d": ["y"]}]} -> {"a.b": ["x"], "c[0].d": ["y"]}."""
    out: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(data, list):
        if all(not isinstance(item, (dict, list)) for item in data):
            out[prefix] = [str(item) for item in data]
        else:
            for i, item in enumerate(data):
                if item in ({}, []):
                    continue
                for k, v in _flatten(item, f"{prefix}[{i}]").items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix] = [str(data)]
    return out


def _body(code: str, message: str, fields: dict[str, list[str]]) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields}}


def _split(fields: dict[str, list[str]]) -> tuple[list[str], dict[str, list[str]]]:
    general: list[str] = []
    named: dict[str, list[str]] = {}
    for key, messages in fields.items():
        if key in NON_FIELD_KEYS or key == "":
            general.extend(messages)
        else:
            named[key] = messages
    return general, named


def _validation_message(general: list[str], named: dict[str, list[str]]) -> str:
    parts = list(general)
    parts.extend(f"{key}: {' '.join(messages)}" for key, messages in named.items())
    return "; ".join(parts) or _("Invalid input.")


def domain_error_response(exc: DomainError) -> Response:
    # ConcurrentUpdate lives in core.concurrency with the default status 400; over HTTP a stale
    # version is a conflict (409), which clients retry after reloading.
    code_status = status.HTTP_409_CONFLICT if isinstance(exc, ConcurrentUpdate) else exc.status
    fields = {k: [str(m) for m in v] for k, v in exc.field_errors.items()}
    set_rollback()
    return Response(_body(exc.code, str(exc.message), fields), status=code_status)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    if isinstance(exc, DjangoValidationError):
        # Model validation (`full_clean`) inside a service: a 400 like any other bad input.
        raw = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        general, named = _split(_flatten(raw))
        set_rollback()
        return Response(
            _body("invalid", _validation_message(general, named), named),
            status=status.HTTP_400_BAD_REQUEST,
        )
    exc = _standard(exc)
    response = drf_handler(exc, context)
    if response is None:
        return None
    data = response.data
    code = "error"
    fields: dict[str, list[str]]
    if isinstance(exc, exceptions.APIException):
        code = str(exc.default_code)
    if isinstance(data, dict) and set(data) == {"detail"}:
        detail = data["detail"]
        code = str(getattr(detail, "code", code) or code)
        message, fields = str(detail), {}
    else:
        general, fields = _split(_flatten(data))
        message = _validation_message(general, fields)
    if response.status_code == status.HTTP_400_BAD_REQUEST and code in {"error", "invalid"}:
        code = "invalid"
    response.data = _body(code, message, fields)
    return response
