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
from urllib.parse import quote

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
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


@pytest.fixture
def records(world) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """One record of each kind the API shows, some with their optional parts empty (a task
    nobody is assigned to, a finding without severity), so that the empty values are checked
    against the schema too."""
    import datetime as dt

    from thenchot.appraisal.testing import evaluation_of, open_period
    from thenchot.directives import services as directives
    from thenchot.directives.testing import (
        DocumentFactory,
        ExtensionFactory,
        TaskFactory,
        sample_task,
    )
    from thenchot.discipline.models import DisciplineDecision
    from thenchot.inspections.models import Finding
    from thenchot.inspections.testing import InspectionFactory, RecommendationFactory
    from thenchot.notifications.models import Notification

    DocumentFactory.create(code="KL-0001", issuer=world.city)
    task = sample_task(world)
    directives.task_comment(by=world.user("minh"), task=task, text="Đề nghị báo cáo sớm")
    directives.progress_report(
        by=world.user("lan"), task=task, percent=40, note="", attachment=None
    )
    extension = ExtensionFactory.create(
        task=TaskFactory.create(code="NV-TRONG", lead_unit=world.snv)
    )
    inspection = InspectionFactory.create(
        code="KT-0001", conducted_by=world.stc, target_unit=world.snv
    )
    Finding.objects.create(inspection=inspection, position=1, text="Chậm báo cáo", severity="")
    RecommendationFactory.create(code="KN-0001", inspection=inspection)
    DisciplineDecision.objects.create(
        code="QD-KL-1",
        staff=world.staff["an"],
        form="reprimand",
        violation="Vi phạm giờ giấc",
        decided_on=dt.date(2025, 1, 6),
        effective_on=dt.date(2025, 1, 6),
    )
    open_period(world)
    evaluation_of(world, "an")
    Notification.objects.create(recipient=world.user("quan"), kind="info", title="Thông báo")
    # Addresses with no list above them.
    return {"/api/v1/extensions/": [str(extension.pk)]}


def _known_values(api: Any, path: str, records: dict[str, list[str]]) -> list[str]:
    """The codes (or ids) of the records the list above a record's address gives."""
    list_path, _, rest = path.partition("{")
    key = rest.split("}", 1)[0]
    if list_path in records:
        return records[list_path]
    response = api.get(list_path, {"page_size": 500})
    if response.status_code != 200:
        return []
    body = response.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return [str(row[key]) for row in rows if isinstance(row, dict) and key in row]


def _schema() -> Any:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(raw, cls=DjangoJSONEncoder)))
    schema.app = InTestTransaction()
    return schema


def test_it_answers_as_its_schema_says(world, records, api_for) -> None:
    token = Token.objects.create(user=world.user("quan"))
    headers = {"Authorization": f"Token {token.key}", "Accept-Language": "en"}
    api = api_for("quan")
    failures: list[str] = []
    for result in _schema().get_all_operations():
        operation = result.ok()
        # Generated codes name no record: half of the cases address one that exists.
        known = _known_values(api, operation.path, records) if "{" in operation.path else []
        known_or_generated = st.sampled_from(known) | st.none() if known else st.none()

        @given(case=operation.as_strategy(), record=known_or_generated)
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any, record: str | None) -> None:
            if record is not None:
                name = next(iter(case.path_parameters))
                case.path_parameters[name] = quote(record, safe="/")
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - every operation's failure, reported at once
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
