"""The step deadlines as a due-date source, the `evaluations` report block, the opening job."""

from __future__ import annotations

import datetime as dt

from thenchot.appraisal import closing
from thenchot.appraisal.due import step_due_source
from thenchot.appraisal.jobs import open_periods
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.selectors import report_block
from thenchot.appraisal.testing import approved, evaluation_of, open_period, with_snv_head
from thenchot.core.registry import due_sources, report_blocks


def test_it_reminds_each_step_to_the_right_people(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    period = open_period(world)
    an = evaluation_of(world, "an")
    Evaluation.objects.filter(pk=an.pk).update(status="self_assessed")
    items = {
        i.object_id: i
        for i in step_due_source.items(
            on=period.self_due, due_dates={period.self_due, period.review_due}, overdue=False
        )
    }
    assert items[evaluation_of(world, "lan").pk].recipients == (world.user("lan").pk,)
    assert items[an.pk].recipients == (world.user("hoa").pk,)  # review: the head of SNV-TC
    assert items[an.pk].due_on == period.review_due
    assert "appraisal.step" in due_sources


def test_it_counts_final_levels_of_closed_months(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    period = open_period(world, "2026-10")
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")
    approved(evaluation_of(world, "an", "2026-10"), general="10", tasks="30")
    closing.close_period(unit=world.snv, period="2026-10")
    block = report_block(
        unit=world.snv,
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 12, 31),
        as_of=dt.date(2026, 11, 1),
    )
    assert block["by_level"]["good"] == 4 and block["by_level"]["not_complete"] == 1
    assert block["rated"] == 5 and block["active_staff"] >= 5
    city = report_block(
        unit=world.stc,
        date_from=dt.date(2026, 1, 1),
        date_to=dt.date(2026, 12, 31),
        as_of=dt.date(2026, 11, 1),
    )
    assert city["rated"] == 0
    assert "evaluations" in report_blocks


def test_it_opens_every_agency_once(world):  # type: ignore[no-untyped-def]
    first = open_periods(on=dt.date(2026, 11, 5))
    assert first["created"] >= 7
    assert set(EvaluationPeriod.objects.values_list("agency__code", flat=True)) >= {"SNV", "STC"}
    assert open_periods(on=dt.date(2026, 11, 5)) == {"created": 0}
