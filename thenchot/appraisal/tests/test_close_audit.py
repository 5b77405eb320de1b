"""The audit of a close: one line per period carrying each evaluation's before and after, shown
on the evaluation's own history (and page) like any other line of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thenchot.appraisal import closing
from thenchot.appraisal.models import EvaluationPeriod
from thenchot.appraisal.testing import evaluation_of
from thenchot.audit.models import AuditEntry
from thenchot.core import auditing


def test_one_line_per_period_names_every_evaluation(world, month):  # type: ignore[no-untyped-def]
    lines = AuditEntry.objects.filter(model_label="appraisal.evaluationperiod")
    before = lines.count()
    closing.close_period(unit=world.snv, period=month.code, by=world.user("son"))
    line = lines.order_by("-id").first()
    assert lines.count() == before + 1 and line.object_id == str(month.pk)
    assert line.actor_name == world.user("son").username
    members = line.after[auditing.MEMBERS]
    ids = {str(pk) for pk in month.evaluations.values_list("pk", flat=True)}
    assert set(members["items"]) == ids and members["items_before"] == {}
    assert members["fields"] == ["status", "final_level", "score"]
    assert all(v == ["closed", "good", "80.00"] for v in members["items"].values())
    assert "status" in line.changed_fields and auditing.MEMBERS not in line.changed_fields


def test_the_evaluation_history_shows_its_part_of_the_close(world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    closing.close_period(unit=world.snv, period=month.code, by=world.user("son"))
    newest = auditing.history(ev)[0]
    assert newest.before == {"status": "approved", "final_level": "", "score": None}
    assert newest.after == {"status": "closed", "final_level": "good", "score": "80.00"}
    assert newest.changed_fields == ["final_level", "score", "status"]
    assert newest.actor_name == world.user("son").username
    others = auditing.history(evaluation_of(world, "hoa"))[0]
    assert others.pk == newest.pk and others.object_id != newest.object_id  # one line, two views
    page = _history_page(world, ev)
    assert page.status_code == 200 and "80.00" in page.content.decode()


def test_a_different_before_is_kept_per_evaluation(world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    type(ev).objects.filter(pk=ev.pk).update(final_level="complete", score="60.00")
    closing.close_period(unit=world.snv, period=month.code)
    assert auditing.history(ev)[0].before == {
        "status": "approved",
        "final_level": "complete",
        "score": "60.00",
    }
    line = AuditEntry.objects.filter(model_label="appraisal.evaluationperiod").latest("id")
    assert list(line.after[auditing.MEMBERS]["items_before"]) == [str(ev.pk)]


def test_nothing_is_audited_when_the_close_is_refused(world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    type(ev).objects.filter(pk=ev.pk).update(status="reviewed")
    count = AuditEntry.objects.count()
    with pytest.raises(closing.NotReady):
        closing.close_period(unit=world.snv, period=month.code)
    assert AuditEntry.objects.count() == count
    assert EvaluationPeriod.objects.get(pk=month.pk).status == "open"


def _history_page(world, ev):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(world.user("quan"))
    return client.get(reverse("audit:history", args=["appraisal.evaluation", ev.pk]))
