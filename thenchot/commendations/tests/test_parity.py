"""The page, the API and an import write the same commendation and the same audit line (same
before and after values): the three paths share the services' check and write the same fields.
And all three refuse a commendation for a person and a unit at once, changing nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry
from thenchot.commendations.models import Commendation
from thenchot.exchange.services import import_file

pytestmark = pytest.mark.django_db

NOISE = {"id", "created_at", "updated_at"}
VALUES = {
    "code": "15/QĐ-KT",
    "kind": "merit_certificate",
    "decided_on": "2026-01-15",
    "decision_number": "15/QĐ-UBND",
    "issued_by": "Chủ tịch UBND thành phố",
    "reason": "Sáng kiến rút ngắn thời gian giải quyết hồ sơ",
}


def _state(since: int) -> dict[str, Any]:
    def plain(values: dict[str, Any] | None) -> str:
        return json.dumps(
            {k: v for k, v in (values or {}).items() if k not in NOISE}, sort_keys=True, default=str
        )

    rows = sorted(
        plain(row)
        for row in Commendation.objects.values(
            *[f.attname for f in Commendation._meta.concrete_fields]
        )
    )
    lines = sorted(
        (e.model_label, e.action, plain(e.before), plain(e.after))
        for e in AuditEntry.objects.filter(id__gt=since)
    )
    return {"rows": rows, "audit": lines}


def _paths(world: Any, client_for: Any, subject: dict[str, str]) -> list[Callable[[], Any]]:
    def page() -> Any:
        data = {**VALUES, **subject, "innovation": "on"}
        return client_for("lan", lang="en").post(reverse("commendations:new"), data)

    def api() -> Any:
        return client_for("lan", lang="en").post(
            "/api/v1/commendations/",
            {**VALUES, **subject, "innovation": True},
            content_type="application/json",
        )

    def by_import() -> Any:
        row = {**VALUES, **subject, "innovation": True}
        data = json.dumps({"format": "thenchot/1", "as_of": "2026-03-01", "commendations": [row]})
        return import_file(
            data=data.encode(),
            filename="parity.json",
            scope=compute_scope(world.user("lan")),
            actor=world.user("lan"),
        )

    return [page, api, by_import]


def _run_each(paths: list[Callable[[], Any]]) -> list[dict[str, Any]]:
    since = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    states = []
    for path in paths:
        with transaction.atomic():
            path()
            states.append(_state(since))
            transaction.set_rollback(True)
    return states


def test_page_api_and_import_write_the_same_record_and_audit(world, client_for) -> None:
    states = _run_each(_paths(world, client_for, {"staff": world.staff["an"].code}))
    assert len(states[0]["rows"]) == 1 and len(states[0]["audit"]) == 1
    assert states[0] == states[1] == states[2]


def test_page_api_and_import_all_refuse_both_and_change_nothing(world, client_for) -> None:
    both = {"staff": world.staff["an"].code, "unit": "SNV-TC"}
    page, api, by_import = _paths(world, client_for, both)
    assert "not both" in page().content.decode()
    response = api()
    assert response.status_code == 400 and "not both" in json.dumps(
        response.json(), ensure_ascii=False
    )
    result = by_import()
    assert not result.ok and "not both" in str(result.problems[0])
    assert not Commendation.objects.exists()
    assert not AuditEntry.objects.filter(model_label="commendations.commendation").exists()
