"""The round's deadlines as a source of reminders (contract: `core.due`, policy "reform.round").

Before the self-scoring deadline: the heads of the units that have not scored every criterion
scored by hand; before the appraisal deadline: the heads of the appraiser units with an
assessed unit still to appraise. The notifications job sends them on its reminder days (and
after the deadline, while the step is still undone). A fixed number of queries per round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from thenchot.core.due import DueItem
from thenchot.org.models import Unit
from thenchot.people.selectors import head_user_ids
from thenchot.reform.choices import Method, RoundStatus
from thenchot.reform.models import AppraiserAssignment, AssessmentRound, Criterion, Score

POLICY_KEY = "reform.round"


def _wanted(day: dt.date | None, on: dt.date, due_dates: set[dt.date], overdue: bool) -> bool:
    return day is not None and (day in due_dates or (overdue and day < on))


class RoundDueSource:
    policy_key = POLICY_KEY

    def items(self, *, on: dt.date, due_dates: set[dt.date], overdue: bool) -> Iterable[DueItem]:
        for rnd in AssessmentRound.objects.exclude(status=RoundStatus.PUBLISHED):
            scored = Criterion.objects.filter(
                framework__year=rnd.year,
                method__in=[Method.SELF, Method.APPRAISED],
                children__isnull=True,
            ).count()
            if rnd.status in (RoundStatus.OPEN, RoundStatus.SELF_SCORING) and _wanted(
                rnd.self_scoring_deadline, on, due_dates, overdue
            ):
                assert rnd.self_scoring_deadline is not None
                yield from self._late(
                    rnd, "self", rnd.self_scoring_deadline, scored, "self_points", None
                )
            if rnd.status == RoundStatus.APPRAISING and _wanted(
                rnd.appraisal_deadline, on, due_dates, overdue
            ):
                assert rnd.appraisal_deadline is not None
                yield from self._late(
                    rnd, "appraisal", rnd.appraisal_deadline, scored, "appraised_points", on
                )

    def _late(
        self,
        rnd: AssessmentRound,
        step: str,
        due_on: dt.date,
        scored: int,
        column: str,
        on: dt.date | None,
    ) -> Iterable[DueItem]:
        done = dict(
            Score.objects.filter(
                criterion__framework__year=rnd.year,
                criterion__method__in=[Method.SELF, Method.APPRAISED],
                **{f"{column}__isnull": False},
            )
            .values_list("unit_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        if step == "self":
            units = set(
                Score.objects.filter(criterion__framework__year=rnd.year).values_list(
                    "unit_id", flat=True
                )
            )
            late = sorted(u for u in units if done.get(u, 0) < scored)
            owners = {u: u for u in late}
        else:
            owners = {}
            for appraiser, assessed in AppraiserAssignment.objects.filter(round=rnd).values_list(
                "appraiser_unit_id", "assessed_unit_id"
            ):
                if done.get(assessed, 0) < scored:
                    owners.setdefault(appraiser, appraiser)
            late = sorted(owners)
        heads = head_user_ids(set(late), on or due_on) if late else {}
        url = reverse("reform:round", args=[rnd.year])
        codes = dict(Unit.objects.filter(pk__in=late).values_list("pk", "code"))
        for unit_id in late:
            recipients = tuple(sorted({u for u in heads.get(unit_id, ()) if u is not None}))
            if not recipients:
                continue
            yield DueItem(
                model_label=f"reform.{step}",
                object_id=rnd.pk * 1_000_000 + unit_id,
                title=(
                    (
                        _("Reform index %(year)s: self-scoring of %(unit)s")
                        if step == "self"
                        else _("Reform index %(year)s: appraisal by %(unit)s")
                    )
                    % {"year": rnd.year, "unit": codes.get(unit_id, unit_id)}
                )[:300],
                due_on=due_on,
                url=url,
                recipients=recipients,
            )


round_due_source = RoundDueSource()
