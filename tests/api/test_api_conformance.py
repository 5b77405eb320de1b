"""The API answers as its schema says: a bounded schemathesis run against the app in-process.

Every operation of the generated schema gets generated requests (positive: inputs the schema
allows), sent as a city-wide administrator of the persona world with an API token; each answer
must be no server error, have a documented status code and content type, and match the
documented body. Bounded (examples per operation, fixed seed) so the run stays well under two
minutes and finds the same things on every machine.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (  # resolved by name from schemathesis' check registry
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


class InTestTransaction:
    """Django's WSGI handler, minus the connection closing at the end of a request.

    The test's requests run inside its transaction (rolled back afterwards), as Django's own test
    client does it: closing "old" connections after a request would end that transaction.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()  # type: ignore[attr-defined]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


def _schema() -> Any:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(raw, cls=DjangoJSONEncoder)))
    schema.app = InTestTransaction()
    return schema


def test_it_answers_as_its_schema_says(world) -> None:
    token = Token.objects.create(user=world.user("quan"))
    headers = {"Authorization": f"Token {token.key}", "Accept-Language": "en"}
    failures: list[str] = []
    for result in _schema().get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - every operation's failure, reported at once
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
