"""Properties of the close over random small agencies: a final state never breaks a quota;
closing twice changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thenchot.appraisal import closing, rules
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import add_staff, approved, open_period

points = st.tuples(
    st.integers(min_value=0, max_value=3000).map(lambda n: Decimal(n) / 100),  # general ≤ 30
    st.integers(min_value=0, max_value=7000).map(lambda n: Decimal(n) / 100),  # tasks ≤ 70
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(points, min_size=1, max_size=9), leaders=st.integers(0, 3))
def test_it_never_leaves_a_quota_broken_and_closes_once(world, people, leaders):  # type: ignore[no-untyped-def]
    with transaction.atomic():
        staff = add_staff(world, len(people), prefix="H")
        for s in staff[:leaders]:
            s.is_leader = True
            s.save()
        period = open_period(world)
        evaluations = list(Evaluation.objects.filter(period=period, staff__in=staff))
        others = Evaluation.objects.filter(period=period).exclude(staff__in=staff)
        for ev in others:
            approved(ev, general="20", tasks="40")
        by_staff = {ev.staff_id: ev for ev in evaluations}
        for s, (general, tasks) in zip(staff, people, strict=True):
            approved(by_staff[s.pk], general=general, tasks=tasks)
        result = closing.close_period(unit=world.snv, period=period.code, resolve_quota="by-score")
        for use in result.quota_use:
            assert use["top"] <= use["allowed"]
        rows = list(
            Evaluation.objects.filter(period=period).values_list(
                "staff_id", "final_level", "score", "is_leader"
            )
        )
        final = [
            rules.QuotaCandidate(
                staff_id=s, agency="SNV", level=rules.Level(lvl), score=sc, is_leader=lead
            )
            for s, lvl, sc, lead in rows
        ]
        assert (
            rules.check_quota(final, rules.registry.get("decree-335-2025").defaults().quota) == ()
        )
        for _s, lvl, sc, _lead in rows:
            expected = rules.Bands().level_for(sc)
            assert rules.Level(lvl).rank <= expected.rank  # the quota only lowers
        state = sorted(
            Evaluation.objects.filter(period=period).values_list(
                "pk", "final_level", "reasons", "version"
            )
        )
        again = closing.close_period(unit=world.snv, period=period.code, resolve_quota="by-score")
        assert again.periods_closed == 0
        assert (
            sorted(
                Evaluation.objects.filter(period=period).values_list(
                    "pk", "final_level", "reasons", "version"
                )
            )
            == state
        )
        transaction.set_rollback(True)
