"""Benchmark (not a test): the rotation due list and the discipline and rotation statistics at
Hanoi scale.

    .venv/bin/python bench/bench_oversight_rotation.py [--engines sqlite,pg] [--staff 200000]
                                                       [--decisions 20000] [--rotations 5000]

For each engine, in a fresh database (PostgreSQL: `thenchot_bench_rot` on 127.0.0.1, dropped
and created here; SQLite: a temporary file), it writes the demo organisation with `--staff`
people (`thenchot.demo.generator`), the demo discipline and rotation records
(`discipline.demo`, `rotation.demo`), then `--decisions` more decisions and `--rotations` more
rotations spread over 2025, and prints the seconds taken by:
- the due list for the whole city (targets ≤ 2 s), cold and warm, with its counts;
- the `discipline` and `rotations` report blocks for the city over 2025 (target ≤ 1 s each).
Each engine runs in its own process (settings read DATABASE_URL once).
"""

from __future__ import annotations

import datetime as dt
import random

from common import cold_and_warm, main_per_engine, setup_django, timed

YEAR_FROM, YEAR_TO = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
TODAY = dt.date(2026, 3, 1)


def main() -> None:
    sizes = {"staff": 200_000, "decisions": 20_000, "rotations": 5_000}
    main_per_engine(__file__, "thenchot_bench_rot", worker, sizes)


def _more_records(decisions: int, rotations: int) -> None:
    """Extra decisions and rotations over 2025, written directly (the figures, not history)."""
    from thenchot.discipline.models import DisciplineDecision
    from thenchot.org.tree import tree
    from thenchot.people.models import Staff
    from thenchot.rotation.models import Rotation

    rng = random.Random(2025)
    people = list(
        Staff.objects.filter(category="civil_servant").values_list("id", "unit_id", "is_leader")
    )
    snap = tree()
    days = (YEAR_TO - YEAR_FROM).days
    rows = []
    for i in range(decisions):
        pk, _unit, leader = rng.choice(people)
        on = YEAR_FROM + dt.timedelta(days=rng.randrange(days))
        form = rng.choice(["reprimand", "warning", "forced_dismissal"])
        rows.append(
            DisciplineDecision(
                code=f"KL-BENCH-{i:06d}",
                staff_id=pk,
                form=form,
                decided_on=on,
                effective_on=on,
                violation=f"VB-{i // 2:06d}",
            )
        )
    DisciplineDecision.objects.bulk_create(rows, batch_size=2000)
    units = [u.id for u in snap.units.values() if u.kind == "division" and u.valid_on(YEAR_TO)]
    moves = []
    for i in range(rotations):
        pk, unit, _leader = rng.choice(people)
        target = rng.choice(units)
        kind = "between_fields_within_division" if target == unit else "between_agencies"
        moves.append(
            Rotation(
                code=f"CDVT-BENCH-{i:06d}",
                staff_id=pk,
                kind=kind,
                from_unit_id=unit,
                to_unit_id=target,
                effective_on=YEAR_FROM + dt.timedelta(days=rng.randrange(days)),
            )
        )
    Rotation.objects.bulk_create(moves, batch_size=2000)


def worker(*, staff: int, decisions: int, rotations: int) -> None:
    setup_django()
    from thenchot.demo.generator import generate
    from thenchot.discipline.demo import load_demo_discipline
    from thenchot.rotation.demo import load_demo_rotation

    result = timed(f"demo organisation with {staff} staff", generate, staff=staff)
    print(f"   {result.counts}", flush=True)
    timed("demo discipline", load_demo_discipline, seed=2026, today=TODAY)
    timed("demo rotation", load_demo_rotation, seed=2026, today=TODAY)
    timed(
        f"{decisions} decisions and {rotations} rotations over 2025",
        _more_records,
        decisions,
        rotations,
    )
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum would do after a bulk load
        cursor.execute("ANALYZE")

    from thenchot.accounts.scoping import Scope
    from thenchot.discipline.statistics import compute_block as discipline_block
    from thenchot.org.models import Unit
    from thenchot.rotation.selectors import due_list, due_summary
    from thenchot.rotation.statistics import compute_block as rotation_block

    scope = Scope(user_id=0, city_wide=True)
    city = Unit.objects.get(code="HN")
    lines = cold_and_warm(
        "due list, whole city, within 6 months",
        "<= 2 s",
        due_list,
        scope=scope,
        unit_id=None,
        on=TODAY,
        within_months=6,
    )
    print(f"   {len(lines)} lines: {due_summary(lines)}", flush=True)
    year = {"unit": city, "date_from": YEAR_FROM, "date_to": YEAR_TO, "as_of": YEAR_TO}
    for name, compute in (("discipline", discipline_block), ("rotations", rotation_block)):
        block = cold_and_warm(f"report block '{name}', city, 2025", "<= 1 s", compute, **year)
        print(f"   {block}", flush=True)
    nine = timed(
        "report blocks for the nine months of 2023",
        lambda: (
            discipline_block(
                unit=city,
                date_from=dt.date(2023, 1, 1),
                date_to=dt.date(2023, 9, 30),
                as_of=dt.date(2023, 9, 30),
            ),
            rotation_block(
                unit=city,
                date_from=dt.date(2023, 1, 1),
                date_to=dt.date(2023, 9, 30),
                as_of=dt.date(2023, 9, 30),
            ),
        ),
    )
    print(f"   {nine}", flush=True)


if __name__ == "__main__":
    main()
