"""Benchmark (not a test): inspection statistics for the whole city over a year.

    .venv/bin/python bench/bench_oversight_inspections.py [--engines sqlite,pg]
                                                          [--inspections 1200] [--per 4]
                                                          [--staff 2000]

For each engine, in a fresh database (PostgreSQL: `thenchot_bench_insp` on 127.0.0.1, dropped
and created here; SQLite: a temporary file), it writes the demo organisation
(`thenchot.demo.generator`, the 2025 restructuring included, so the year 2025 spans three tree
epochs), then `--inspections` inspections started over 2025 by departments, districts and
communes over units under them, with about `--per` recommendations each (done, open, overdue).
It prints the seconds taken by (target ≤ 1 s):
- the `inspections` report block for the whole city over 2025, cold and warm;
- the statistics a city-wide user sees, and those of one department's personnel officer
  (scoped: read filter, hidden surprises);
and the figures themselves.
"""

from __future__ import annotations

import datetime as dt
import random

from common import analyze, cold_and_warm, main_per_engine, setup_django, timed

YEAR_FROM, YEAR_TO = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def main() -> None:
    sizes = {"inspections": 1200, "per": 4, "staff": 2000}
    helps = {"per": "recommendations per inspection"}
    main_per_engine(__file__, "thenchot_bench_insp", worker, sizes, helps=helps)


def _write(inspections: int, per: int) -> tuple[int, int]:
    from thenchot.inspections.models import Inspection, Recommendation
    from thenchot.org.tree import tree

    rng = random.Random(2025)
    snap = tree()
    city = snap.by_code["HN"]
    kinds = ["planned"] * 7 + ["surprise"] * 2 + ["verification"]
    rows: list[Inspection] = []
    for n in range(inspections):
        started = YEAR_FROM + dt.timedelta(days=rng.randrange(365))
        agencies = [
            u
            for u in snap.children_on(city, started)
            if snap.units[u].kind in {"department", "district", "commune", "ward"}
        ]
        agency = rng.choice(agencies)
        under = sorted(snap.subtree_on(agency, started))
        rows.append(
            Inspection(
                code=f"B-{n:06d}",
                kind=rng.choice(kinds),
                conducted_by_id=agency,
                target_unit_id=rng.choice(under),
                started_on=started,
                ended_on=started + dt.timedelta(days=2),
                topics=["discipline"],
            )
        )
    Inspection.objects.bulk_create(rows, batch_size=2000)
    recs: list[Recommendation] = []
    for inspection in Inspection.objects.filter(code__startswith="B-").only(
        "pk", "code", "target_unit_id", "started_on"
    ):
        for i in range(rng.randint(max(per - 2, 0), per + 2)):
            due = inspection.started_on + dt.timedelta(days=rng.choice((30, 60, 90)))
            done = due - dt.timedelta(days=rng.randint(-10, 20)) if rng.random() < 0.7 else None
            recs.append(
                Recommendation(
                    code=f"{inspection.code}-{i}",
                    inspection_id=inspection.pk,
                    text="Chấn chỉnh kỷ luật, kỷ cương hành chính",
                    responsible_unit_id=inspection.target_unit_id,
                    due_on=due,
                    done_on=done,
                )
            )
    Recommendation.objects.bulk_create(recs, batch_size=2000)
    return len(rows), len(recs)


def worker(*, inspections: int, per: int, staff: int) -> None:
    setup_django()
    from thenchot.demo.generator import generate

    timed(f"demo organisation with {staff} staff", generate, staff=staff)
    n_insp, n_recs = timed("inspections and recommendations", _write, inspections, per)
    print(f"   {n_insp} inspections, {n_recs} recommendations", flush=True)
    analyze()

    from thenchot.accounts.scoping import Scope
    from thenchot.inspections.statistics import compute_block, inspection_statistics
    from thenchot.org.models import Unit
    from thenchot.org.tree import tree

    city = Unit.objects.get(code="HN")
    args = {"date_from": YEAR_FROM, "date_to": YEAR_TO, "as_of": YEAR_TO}
    block = cold_and_warm(
        "report block 'inspections', whole city, 2025", "<= 1 s", compute_block, unit=city, **args
    )
    print(
        f"   total {block['total']}, by kind {block['by_kind']}, "
        f"{len(block['by_conductor'])} conductors, recommendations {block['recommendations']}",
        flush=True,
    )
    snap = tree()
    everyone = Scope(user_id=0, city_wide=True)
    timed(
        "statistics page, city-wide user (target <= 1 s)",
        inspection_statistics,
        unit_id=city.pk,
        scope=everyone,
        **args,
    )
    dept = snap.by_code.get("STC") or city.pk
    officer = Scope(user_id=0, read_units=frozenset(snap.readable_from(dept, YEAR_TO)))
    stats = timed(
        "statistics page, one department's officer (scoped)",
        inspection_statistics,
        unit_id=dept,
        scope=officer,
        **args,
    )
    print(f"   STC subtree: {stats.total} inspections, {stats.recommendations}", flush=True)


if __name__ == "__main__":
    main()
