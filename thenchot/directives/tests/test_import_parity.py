"""One rule path: the same change made through the services (the pages and the API call them) and
through an import leaves the same rows — the task, its units, its extensions with their
decisions — and audit lines with the same before/after values.

What may differ, by design: codes and ids, timestamps, the audit reason and batch, and the
columns naming who acted (assigned_by, requested_by, decided_by, completion_recorded_by) with
the texts a file does not carry (the product, the decision comment): an import records history,
and its audit line's actor says who imported it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.utils import timezone, translation

from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError
from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.services import (
    extension_decide,
    extension_request,
    task_complete,
    task_create,
)
from thenchot.directives.testing import TaskFactory
from thenchot.exchange.services import import_file

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
TITLE = "Rà soát, sắp xếp biên chế công chức năm 2025"
REASON = "Chờ số liệu của các quận, huyện"
NOT_COMPARED = {
    "id",
    "code",
    "task_id",
    "search_text",
    "created_at",
    "updated_at",
    "assigned_by_id",
    "requested_by_id",
    "decided_by_id",
    "completion_recorded_by_id",
    "product",
    "decision_comment",
}


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def _today() -> dt.date:
    return timezone.localdate()


def _import(*tasks: dict[str, Any]) -> Any:
    data = {"format": "thenchot/1", "as_of": _today().isoformat(), "tasks": list(tasks)}
    return import_file(data=json.dumps(data).encode(), filename="parity.json")


def _kept(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {k: v for k, v in values.items() if k not in NOT_COMPARED}


def _state(task: Task) -> dict[str, Any]:
    task_row = Task.objects.filter(pk=task.pk).values().get()
    return {
        "task": _kept(task_row),
        "units": sorted(task.coordinating_units.values_list("code", flat=True)),
        "extensions": [
            _kept(row)
            for row in ExtensionRequest.objects.filter(task=task).order_by("requested_on").values()
        ],
    }


def _lines(task: Task, since: int) -> list[tuple[Any, ...]]:
    ext_ids = [
        str(pk) for pk in ExtensionRequest.objects.filter(task=task).values_list("pk", flat=True)
    ]
    entries = AuditEntry.objects.filter(id__gt=since).filter(
        model_label="directives.task", object_id=str(task.pk)
    ) | AuditEntry.objects.filter(
        id__gt=since, model_label="directives.extensionrequest", object_id__in=ext_ids
    )
    return sorted(
        (
            e.model_label,
            e.action,
            json.dumps(_kept(e.before), sort_keys=True),
            json.dumps(_kept(e.after), sort_keys=True),
        )
        for e in entries
    )


def _mark() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_it_creates_the_same_task_through_the_service_and_an_import(world) -> None:  # type: ignore[no-untyped-def]
    assigned, deadline = _today() - 20 * DAY, _today() + 10 * DAY
    mark = _mark()
    by_hand = task_create(
        by=world.user("minh"),
        code="NV-TAY",
        title=TITLE,
        lead_unit=world.snv,
        assigner_unit=world.stc,
        assigned_on=assigned,
        deadline=deadline,
        coordinating_units=[world.ward, world.stc_ns],
        assignee=world.staff["an"],
        weight="1.5",
    )
    result = _import(
        {
            "code": "NV-TEP",
            "title": TITLE,
            "lead_unit": "SNV",
            "assigner_unit": "STC",
            "assigned_on": assigned.isoformat(),
            "deadline": deadline.isoformat(),
            "coordinating_units": ["STC-NS", "P-BADINH"],
            "assignee": world.staff["an"].code,
            "weight": 1.5,
        }
    )
    assert result.ok, [str(p) for p in result.problems]
    imported = Task.objects.get(code="NV-TEP")
    assert _state(imported) == _state(by_hand)
    assert _lines(imported, mark) == _lines(by_hand, mark)
    assert len(_lines(imported, mark)) == 1


def test_it_requests_decides_and_completes_the_same_way_both_ways(world) -> None:  # type: ignore[no-untyped-def]
    assigned, deadline = _today() - 40 * DAY, _today() - 10 * DAY
    fields = {
        "title": TITLE,
        "lead_unit": world.snv,
        "assigner_unit": world.stc,
        "assigned_on": assigned,
        "deadline": deadline,
    }
    by_hand = TaskFactory(code="NV-TAY", **fields)
    imported = TaskFactory(code="NV-TEP", **fields)
    row = {
        "code": "NV-TEP",
        "title": TITLE,
        "lead_unit": "SNV",
        "assigner_unit": "STC",
        "assigned_on": assigned.isoformat(),
        "deadline": deadline.isoformat(),
    }
    asked = {
        "requested_on": (_today() - 5 * DAY).isoformat(),  # after the deadline: a delay kept
        "new_deadline": (_today() + 20 * DAY).isoformat(),
        "reason": REASON,
    }

    # 1. the lead side asks for an extension
    mark = _mark()
    request = extension_request(
        by=world.user("lan"),
        task=by_hand,
        new_deadline=_today() + 20 * DAY,
        reason=REASON,
        requested_on=_today() - 5 * DAY,
    )
    assert _import({**row, "extensions": [{**asked, "status": "pending"}]}).ok
    assert _state(imported) == _state(by_hand)
    assert _lines(imported, mark) == _lines(by_hand, mark)
    assert len(_lines(imported, mark)) == 1

    # 2. the assigning side approves it
    mark = _mark()
    extension_decide(
        request=request,
        approve=True,
        comment="Đồng ý",
        by=world.user("minh"),
        expected_version=request.version,
        decided_on=_today() - 2 * DAY,
    )
    decided = {**asked, "status": "approved", "decided_on": (_today() - 2 * DAY).isoformat()}
    assert _import({**row, "extensions": [decided]}).ok
    assert _state(imported) == _state(by_hand)
    assert _lines(imported, mark) == _lines(by_hand, mark)
    assert len(_lines(imported, mark)) == 1
    assert ExtensionRequest.objects.get(task=imported).version == 2

    # 3. completed and graded
    mark = _mark()
    by_hand.refresh_from_db()
    task_complete(
        by=world.user("minh"),
        task=by_hand,
        completed_on=_today() - DAY,
        product="Báo cáo số 12/BC-SNV",
        expected_version=by_hand.version,
        quality="meets",
        major_errors=1,
    )
    done = {"completed_on": (_today() - DAY).isoformat(), "quality": "meets", "major_errors": 1}
    assert _import({**row, **done, "extensions": [decided]}).ok
    assert _state(imported) == _state(by_hand)
    assert _lines(imported, mark) == _lines(by_hand, mark)
    assert len(_lines(imported, mark)) == 1
    assert Task.objects.get(pk=imported.pk).progress == 100


def test_it_refuses_the_same_extension_both_ways(world) -> None:  # type: ignore[no-untyped-def]
    assigned, deadline = _today() - 40 * DAY, _today() - 10 * DAY
    fields = {"lead_unit": world.snv, "assigner_unit": world.stc, "assigned_on": assigned}
    by_hand = TaskFactory(code="NV-TAY", title=TITLE, deadline=deadline, **fields)
    TaskFactory(code="NV-TEP", title=TITLE, deadline=deadline, **fields)
    with pytest.raises(DomainError) as refused:
        extension_request(by=world.user("lan"), task=by_hand, new_deadline=deadline, reason=REASON)
    assert list(refused.value.field_errors) == ["new_deadline"]
    result = _import(
        {
            "code": "NV-TEP",
            "title": TITLE,
            "lead_unit": "SNV",
            "assigned_on": assigned.isoformat(),
            "deadline": deadline.isoformat(),
            "extensions": [
                {
                    "requested_on": _today().isoformat(),
                    "new_deadline": deadline.isoformat(),
                    "status": "pending",
                }
            ],
        }
    )
    assert [str(p) for p in result.problems] == [
        f"tasks[0].extensions[0].new_deadline: '{deadline.isoformat()}' is not later than the"
        f" deadline in force when it was requested ({deadline.isoformat()})"
    ]
    assert not ExtensionRequest.objects.exists()
