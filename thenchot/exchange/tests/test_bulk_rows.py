"""The rows an import writes in bulk (`core.bulk`, no model instance per row) and their audit
lines are those the ORM path gave: each row's id is the one stored, and each creation line has
the stored row's snapshot, text and id — for new staff, their accounts and first assignments,
and for new evaluations (one draft per period, standing and pack, copied per row)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import month_before, this_month
from thenchot.audit.models import AuditEntry
from thenchot.core.auditing import snapshot
from thenchot.core.bulk import Table
from thenchot.core.interchange import insert_new
from thenchot.exchange.tests.conftest import json_file, messages, run_import
from thenchot.people.models import Assignment, JobPosition, Staff


def test_insert_new_gives_each_row_the_id_it_is_stored_with(db) -> None:  # type: ignore[no-untyped-def]
    table = Table(JobPosition)
    now = timezone.now()
    rows = [table.complete({"code": f"VT{n}", "name": f"Vị trí {n}"}, now) for n in range(3)]
    insert_new(
        table,
        rows,
        lambda given: dict(
            JobPosition.objects.filter(code__in=[r["code"] for r in given]).values_list(
                "code", "id"
            )
        ),
        lambda row: row["code"],
    )
    stored = dict(JobPosition.objects.values_list("code", "id"))
    assert [r["id"] for r in rows] == [stored[f"VT{n}"] for n in range(3)]
    assert len(set(stored.values())) == 3


def _lines(model: type[Any], ids: list[int]) -> dict[str, AuditEntry]:
    entries = AuditEntry.objects.filter(
        model_label=model._meta.label_lower, action="create", object_id__in=[str(i) for i in ids]
    )
    return {e.object_id: e for e in entries}


def _assert_lines_match(model: type[Any], instances: list[Any]) -> None:
    lines = _lines(model, [i.pk for i in instances])
    assert len(lines) == len(instances) > 0
    for instance in instances:
        line = lines[str(instance.pk)]
        assert line.object_repr == str(instance)[:200]
        assert line.after == snapshot(instance)


def test_new_staff_accounts_and_assignments_are_audited_as_stored(world) -> None:  # type: ignore[no-untyped-def]
    staff = [
        {
            "code": f"BK{n:03d}",
            "full_name": f"Nguyễn Văn Số {n}",
            "category": "civil_servant",
            "unit": "SNV-TC",
            "email": f"bk{n}@example.vn",
            "username": f"bk{n:03d}",
        }
        for n in range(5)
    ]
    result = run_import(json_file(staff=staff))
    assert result.ok, messages(result)
    made = list(Staff.objects.filter(code__startswith="BK").order_by("code"))
    assert [s.code for s in made] == [r["code"] for r in staff]
    _assert_lines_match(Staff, made)
    users = list(get_user_model().objects.filter(username__startswith="bk"))
    assert {u.pk for u in users} == {s.user_id for s in made}
    _assert_lines_match(get_user_model(), users)
    _assert_lines_match(Assignment, list(Assignment.objects.filter(staff__in=made)))


def test_new_evaluations_are_the_drafts_rows_and_audited_as_stored(world) -> None:  # type: ignore[no-untyped-def]
    code = month_before(this_month(), 2)
    people = list(Staff.objects.order_by("code"))[:4]
    rows = [
        {
            "staff": person.code,
            "period": code,
            "general_points": 20 + n,
            "task_points": 50.5 + n,
            "proposed_level": "good",
            "final_level": "good" if n % 2 else "complete",
            "status": "approved",
            "reasons": [f"lý do {n}"] if n == 1 else None,
        }
        for n, person in enumerate(people)
    ]
    result = run_import(json_file(evaluations=rows))
    assert result.ok, messages(result)
    made = list(Evaluation.objects.filter(period_code=code).order_by("staff__code"))
    assert [e.staff_id for e in made] == [p.pk for p in people]
    _assert_lines_match(Evaluation, made)
    # Each row kept its own values over the draft it was copied from.
    assert [str(e.task_points) for e in made] == ["50.50", "51.50", "52.50", "53.50"]
    assert [e.final_level for e in made] == ["complete", "good", "complete", "good"]
    assert [len(e.reasons) for e in made] == [0, 1, 0, 0]
    assert all(e.imported and e.version == 1 for e in made)


def test_standings_asked_a_chunk_at_a_time_are_those_of_one_call(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from thenchot.appraisal import interchange, rules, services

    period = rules.Period.parse(month_before(this_month(), 2))
    pairs = [(pk, period) for pk in Staff.objects.order_by("pk").values_list("pk", flat=True)]
    whole = services.evaluation_standings(pairs=pairs)
    monkeypatch.setattr(interchange, "STANDINGS_CHUNK", 2)
    # The plans' list, one not asked for (a closed period's row): None in its place.
    plans = [SimpleNamespace(staff_code=f"S{pk}", period=p) for pk, p in pairs]
    ids = {f"S{pk}": pk for pk, _p in pairs}
    wanted = [i for i in range(len(plans)) if i != 1]
    chunked = interchange._standings(plans, ids, wanted)  # type: ignore[arg-type]
    assert len(chunked) == len(pairs) > 3 and chunked[1] is None
    assert {pairs[i][0]: chunked[i] for i in wanted} == {
        pk: s for (pk, _code), s in whole.items() if pk != pairs[1][0]
    }
    # Equal standings are one object.
    asked = [chunked[i] for i in wanted]
    assert len({id(s) for s in asked}) == len(set(asked))
