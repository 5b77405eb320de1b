"""Bulk review and approval with per-person override (one transaction, one audit batch); the
manager handling someone who did not self-assess; the City leadership's collective decision."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.appraisal import services
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import CollectiveDecision, Evaluation
from thenchot.appraisal.testing import add_staff, evaluation_of, open_period, with_snv_head
from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    add_staff(world, 20, unit=world.snv_tc, prefix="TC")
    period = open_period(world)
    for ev in period.evaluations.filter(unit=world.snv_tc).exclude(staff=world.staff["hoa"]):
        services.self_assess(
            evaluation=ev, by=ev.staff.user or _user(ev), general_points="25", task_points="60"
        )
    return period


def _user(ev):  # type: ignore[no-untyped-def]
    from thenchot.accounts.testing import UserFactory

    user = UserFactory(username=f"u-{ev.staff.code}")
    ev.staff.user = user
    ev.staff.save()
    return user


def test_it_reviews_and_approves_twenty_people_at_once(world, month):  # type: ignore[no-untyped-def]
    ids = list(month.evaluations.filter(status="self_assessed").values_list("pk", flat=True))
    one = ids[0]
    out = services.bulk_review(
        evaluations=ids,
        by=world.user("hoa"),
        overrides={one: services.ReviewChange(task_points="50", comment="Chậm tiến độ")},
    )
    assert len(out.changed) == 21
    assert Evaluation.objects.get(pk=one).reviewed_task_points == 50
    batches = set(
        AuditEntry.objects.filter(
            object_id__in=[str(i) for i in ids],
            model_label="appraisal.evaluation",
            action="update",
        )
        .exclude(batch="")
        .values_list("batch", flat=True)
    )
    assert len(batches) == 1
    services.bulk_approve(evaluations=ids, by=world.user("son"), exclude=[one])
    statuses = dict(Evaluation.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses.pop(one) == EvaluationStatus.REVIEWED
    assert set(statuses.values()) == {EvaluationStatus.APPROVED}


def test_it_refuses_a_batch_entirely_outside_and_leaves_out_one_outsider(world, month):  # type: ignore[no-untyped-def]
    ids = list(month.evaluations.filter(status="self_assessed").values_list("pk", flat=True))
    with pytest.raises(OutOfScope):
        services.bulk_review(evaluations=ids, by=world.user("minh"))
    assert not Evaluation.objects.filter(pk__in=ids, status="reviewed").exists()
    lan = evaluation_of(world, "lan")  # SNV itself: outside hoa's division
    Evaluation.objects.filter(pk=lan.pk).update(
        status="self_assessed", general_points=20, task_points=50
    )
    out = services.bulk_review(evaluations=[*ids, lan.pk], by=world.user("hoa"))
    assert [s.evaluation.pk for s in out.skipped] == [lan.pk]
    assert Evaluation.objects.filter(pk__in=ids, status="reviewed").count() == len(ids)
    assert Evaluation.objects.get(pk=lan.pk).status == EvaluationStatus.SELF_ASSESSED


def test_it_lets_the_manager_handle_a_missing_self_assessment(world, month, monkeypatch):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    Evaluation.objects.filter(pk=ev.pk).update(
        status="draft", general_points=None, task_points=None
    )
    with pytest.raises(DomainError):  # not before the deadline
        services.manager_handle_missing(
            evaluation=ev,
            by=world.user("hoa"),
            general_points="20",
            task_points="50",
            comment="Không tự đánh giá",
        )
    monkeypatch.setattr(services, "today", lambda: month.self_due + dt.timedelta(days=1))
    done = services.manager_handle_missing(
        evaluation=ev,
        by=world.user("hoa"),
        general_points="20",
        task_points="50",
        comment="Không tự đánh giá",
    )
    assert done.handled_by_manager and done.status == EvaluationStatus.REVIEWED


def test_it_records_the_collective_decision_for_a_department_head(world, month):  # type: ignore[no-untyped-def]
    son = evaluation_of(world, "son")
    services.self_assess(
        evaluation=son, by=world.user("son"), general_points="28", task_points="62"
    )
    with pytest.raises(OutOfScope):
        services.approve(evaluation=son, by=world.user("hung"))
    with pytest.raises(OutOfScope):
        services.collective_decision_record(
            number="TB-01",
            decided_on=month.starts_on,
            chaired_by="Chủ tịch",
            by=world.user("minh"),
            ratings={son.pk: services.ReviewChange()},
        )
    with pytest.raises(DomainError):  # an (not a head) is not rated collectively
        services.collective_decision_record(
            number="TB-01",
            decided_on=month.starts_on,
            chaired_by="Chủ tịch",
            by=world.user("hung"),
            ratings={evaluation_of(world, "an").pk: services.ReviewChange()},
        )
    services.collective_decision_record(
        number="TB-01",
        decided_on=month.starts_on,
        chaired_by="Chủ tịch UBND Thành phố",
        by=world.user("hung"),
        ratings={son.pk: services.ReviewChange(task_points="60", comment="Tập thể")},
    )
    son.refresh_from_db()
    assert son.status == EvaluationStatus.APPROVED and son.reviewed_task_points == 60
    assert son.collective_decision == CollectiveDecision.objects.get(number="TB-01")
