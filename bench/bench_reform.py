"""Benchmark (not a test): the reform index of every listed unit for a city year.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thenchot_bench_reform \
        .venv/bin/python bench/bench_reform.py [staff] [tasks] [cases] [answers]

Builds, once (a second run reuses it): the organisation of bench_processes (30 departments of 10
divisions), `cases` cases received over 2025 on 600 procedures (bench_processes' own data when the
database was made from its copy: `createdb -T thenchot_bench_processes thenchot_bench_reform`),
`staff` people with their assignments, `tasks` top-level tasks due over 2025, 5,000 inspection
recommendations, survey responses holding `answers` answers, and a 2025 framework of 12
criteria (every method, a penalty) with scores of the 30 departments and their 300 divisions.
It also writes, once, in bulk SQL, the closed monthly evaluations of the year (one per person
and month worked, 2% missing; December still open in three agencies) after changing a few careers
(moves, arrivals, departures) — see `_evaluations`. Then times `reform.index.compute_index` (every
listed unit, live figures) `BENCH_RUNS` times (default 5) and prints the median, the figures
(sums of the computed criteria's counts, to compare two versions), the median of each part and
the load average. Target: ≤ 2 s at full scale.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time

from common import city_of_divisions, load_average, month_period, setup_django


def main() -> None:
    setup_django()
    n_staff = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    n_tasks = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    n_cases = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    n_answers = int(sys.argv[4]) if len(sys.argv) > 4 else 50_000

    from decimal import Decimal

    from django.db import connection

    from thenchot.directives.models import Task
    from thenchot.inspections.models import Inspection, Recommendation
    from thenchot.org.models import Unit
    from thenchot.org.tree import invalidate
    from thenchot.people.models import Assignment, Staff
    from thenchot.processes.models import Case, Process
    from thenchot.reform.index import compute_index
    from thenchot.reform.models import Score
    from thenchot.reform.rates import COMPUTERS, Window
    from thenchot.reform.testing import framework_with
    from thenchot.surveys.models import Answer, Question, Response, Survey

    rng = random.Random(15)
    epoch = dt.date(2020, 1, 1)
    year = 2025
    t0 = time.perf_counter()
    city_of_divisions(epoch)
    divisions = list(Unit.objects.filter(code__startswith="B", kind="division"))
    departments = list(Unit.objects.filter(code__startswith="B", kind="department"))

    if Case.objects.count() < n_cases:
        process = Process.objects.filter(
            owner_unit__in=divisions
        ).first() or Process.objects.create(
            code="QT-BR",
            name="Quy trình",
            level="department",
            owner_unit=divisions[0],
            approved_on=dt.date(2024, 1, 1),
        )
        have = Case.objects.count()
        batch = []
        for i in range(have, n_cases):
            received = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            due = received + dt.timedelta(days=rng.randrange(3, 20))
            done = (
                max(received, due + dt.timedelta(days=rng.randrange(-5, 4)))
                if rng.random() < 0.9
                else None
            )
            batch.append(
                Case(
                    code=f"HSR-{i:07d}",
                    process=process,
                    unit=rng.choice(divisions),
                    received_on=received,
                    due_on=due,
                    completed_on=done,
                )
            )
            if len(batch) == 20_000:
                Case.objects.bulk_create(batch)
                batch = []
        Case.objects.bulk_create(batch)
    print(f"cases: {Case.objects.count()}", flush=True)

    if Staff.objects.filter(code__startswith="BS").count() < n_staff:
        have = Staff.objects.filter(code__startswith="BS").count()
        for start in range(have, n_staff, 10_000):
            people = [
                Staff(
                    code=f"BS{i:07d}",
                    full_name=f"Nguyễn Văn {i}",
                    category="civil_servant",
                    unit=rng.choice(divisions),
                    joined_on=epoch,
                )
                for i in range(start, min(n_staff, start + 10_000))
            ]
            Staff.objects.bulk_create(people)
            Assignment.objects.bulk_create(
                Assignment(staff=p, unit_id=p.unit_id, valid_from=epoch) for p in people
            )
    print(f"staff: {Staff.objects.count()}", flush=True)
    _evaluations(year, departments)

    if Task.objects.filter(code__startswith="NVB").count() < n_tasks:
        have = Task.objects.filter(code__startswith="NVB").count()
        rows = []
        for i in range(have, n_tasks):
            assigned = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(300))
            deadline = assigned + dt.timedelta(days=rng.randrange(10, 60))
            done = (
                deadline + dt.timedelta(days=rng.randrange(-10, 5)) if rng.random() < 0.8 else None
            )
            rows.append(
                Task(
                    code=f"NVB{i:06d}",
                    title=f"Nhiệm vụ {i}",
                    lead_unit=rng.choice(divisions),
                    assigned_on=assigned,
                    deadline=deadline,
                    completed_on=done,
                    weight=Decimal(1),
                )
            )
        Task.objects.bulk_create(rows, batch_size=5000)
    print(f"tasks: {Task.objects.count()}", flush=True)

    if not Recommendation.objects.filter(code__startswith="KNB").exists():
        ins = Inspection.objects.create(
            code="KTB-1",
            kind="planned",
            conducted_by=departments[0],
            target_unit=departments[1],
            started_on=dt.date(year, 1, 5),
            topics=["discipline"],
        )
        Recommendation.objects.bulk_create(
            Recommendation(
                code=f"KNB{i:05d}",
                inspection=ins,
                text="Chấn chỉnh",
                responsible_unit=rng.choice(divisions),
                due_on=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
                done_on=dt.date(year, 6, 1) if rng.random() < 0.6 else None,
            )
            for i in range(5000)
        )

    if Answer.objects.count() < n_answers:
        surveys = []
        for a, dept in enumerate(departments):
            s, _ = Survey.objects.get_or_create(
                code=f"KSB-{a:02d}",
                defaults={
                    "title": "Khảo sát",
                    "unit": dept,
                    "opens_on": dt.date(year, 1, 1),
                    "short_code": f"kb{a:02d}",
                },
            )
            if not s.questions.exists():
                for pos, el in enumerate(
                    ["access", "procedure", "civil_servant", "result", "feedback"], 1
                ):
                    Question.objects.create(
                        survey=s, position=pos, code=f"Q{pos}", text=f"Câu {pos}", element=el
                    )
            surveys.append(s)
        questions = {s.pk: list(s.questions.all()) for s in surveys}
        responses = Response.objects.bulk_create(
            Response(
                code=f"TLB{i:06d}",
                survey=surveys[i % len(surveys)],
                submitted_on=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365)),
            )
            for i in range(n_answers // 5)
        )
        Answer.objects.bulk_create(
            (
                Answer(response=r, question=q, score=rng.randint(1, 5))
                for r in responses
                for q in questions[r.survey_id]
            ),
            batch_size=10_000,
        )
    print(f"survey answers: {Answer.objects.count()}", flush=True)

    if not Score.objects.filter(criterion__framework__year=year).exists():
        framework_with(
            year,
            ("1.1", 3, "self"),
            ("1.2", 6, "computed", "on_time_task_rate"),
            ("2.1", 6, "appraised"),
            ("2.2", 6, "computed", "recommendations_done_rate"),
            ("3.1", 10, "computed", "case_on_time_rate"),
            ("3.2", 6, "appraised"),
            ("5.1", 6, "computed", "evaluation_coverage"),
            ("6.1", 7, "self"),
            ("7.1", 8, "appraised"),
            ("8.1", 20, "survey", "satisfaction_index"),
            ("9.1", 2, "self"),
            ("9.2", -3, "appraised"),
        )
        from thenchot.reform.models import Criterion

        crit = list(
            Criterion.objects.filter(framework__year=year, method__in=["self", "appraised"])
        )
        Score.objects.bulk_create(
            Score(unit=u, criterion=c, self_points=max(c.max_points, 0) if c.max_points > 0 else 0)
            for u in departments + divisions
            for c in crit
        )
    print(f"setup {time.perf_counter() - t0:.1f} s; engine {connection.vendor}", flush=True)

    as_of = dt.date(year, 12, 31)
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    print(f"load average before: {load_average()}", flush=True)
    took = []
    for _ in range(runs):
        invalidate()
        t = time.perf_counter()
        idx = compute_index(year=year, as_of=as_of, live=True)
        took.append(time.perf_counter() - t)
    print(
        f"index for {len(idx.units)} units ({len(idx.criteria)} criteria), {runs} runs: "
        f"median {statistics.median(took):.2f} s (min {min(took):.2f}, max {max(took):.2f})",
        flush=True,
    )
    # The figures themselves, to show that a change of method left them as they were.
    sums: dict[str, list[int]] = {}
    for u in idx.units:
        for p in u.points:
            if p.denominator is not None:
                pair = sums.setdefault(p.criterion.code, [0, 0])
                pair[0] += p.numerator or 0
                pair[1] += p.denominator
    print(
        "figures: total of totals "
        f"{sum(u.total for u in idx.units)}; per computed criterion Σnumerator/Σdenominator "
        + ", ".join(f"{code} {n}/{d}" for code, (n, d) in sorted(sums.items())),
        flush=True,
    )
    from thenchot.org.tree import tree
    from thenchot.reform.index import _survey
    from thenchot.reform.rates import _tuned

    listed = {u.unit_id for u in idx.units}
    w = Window.of(year, as_of)
    parts = {source: (lambda fn=fn: fn(tree(), listed, w)) for source, fn in COMPUTERS.items()}
    parts["satisfaction_index"] = lambda: _survey(sorted(listed), w)
    for name, part in parts.items():
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            with _tuned():
                part()
            times.append(time.perf_counter() - t)
        print(f"  {name}: median {statistics.median(times):.2f} s", flush=True)
    print(f"load average after: {load_average()}", flush=True)


def _evaluations(year: int, departments: list) -> None:
    """Closed monthly evaluations of the year, written in bulk SQL, once: every person's
    career changed a little first (5% moved to another division on 15 June, 1% joined on 10
    April, 1% left on 20 September), then one evaluation per person and month they held an
    assignment in (2% missing), in the monthly period of the agency of that month's unit
    (lowest unit id when a person held two). December is still open in the last three agencies,
    so one month is closed in some agencies and not in others, as at a year's end."""
    import calendar as pycalendar

    from django.db import connection, transaction

    from thenchot.appraisal.models import Evaluation, EvaluationPeriod

    if Evaluation.objects.filter(period_code__startswith=f"{year}-").exists():
        return
    d = dt.date
    months = [
        (f"{year}-{m:02d}", d(year, m, 1), d(year, m, pycalendar.monthrange(year, m)[1]), m)
        for m in range(1, 13)
    ]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO people_assignment (staff_id, unit_id, valid_from, valid_to, note, reason) "
            "SELECT a.staff_id, COALESCE((SELECT MIN(u.id) FROM org_unit u WHERE u.kind = "
            "'division' AND u.code LIKE 'B%%' AND u.id > a.unit_id), (SELECT MIN(u.id) FROM "
            "org_unit u WHERE u.kind = 'division' AND u.code LIKE 'B%%')), %s, NULL, '', "
            "'transfer' FROM people_assignment a JOIN people_staff s ON s.id = a.staff_id "
            "WHERE s.code LIKE 'BS%%' AND a.staff_id %% 20 = 0",
            [d(year, 6, 15)],
        )
        cur.execute(
            "UPDATE people_assignment SET valid_to = %s WHERE staff_id %% 20 = 0 "
            "AND valid_to IS NULL AND (valid_from IS NULL OR valid_from < %s)",
            [d(year, 6, 14), d(year, 6, 15)],
        )
        cur.execute(
            "UPDATE people_assignment SET valid_from = %s WHERE staff_id %% 100 = 1",
            [d(year, 4, 10)],
        )
        cur.execute(
            "UPDATE people_assignment SET valid_to = %s WHERE staff_id %% 100 = 2",
            [d(year, 9, 20)],
        )
    open_late = {u.pk for u in departments[-3:]}
    EvaluationPeriod.objects.bulk_create(
        month_period(
            dept, code, first, last, status="open" if m == 12 and dept.pk in open_late else "closed"
        )
        for dept in departments
        for code, first, last, m in months
    )
    reasons = (
        '[{"rule": "decree-335.grade", "params": {"score": "76.69", "tasks": "54.69", '
        '"general": "22"}, "level_after": "good", "level_before": null}]'
    )
    t = time.perf_counter()
    for code, first, last, m in months:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                "INSERT INTO appraisal_evaluation (created_at, updated_at, version, period_code, "
                "category, is_leader, is_head, rule_pack, pack_version, general_points, "
                "task_points, task_calculation, evidence, achievements, proposed_level, "
                "submitted_late, reviewed_level, review_comment, handled_by_manager, "
                "approval_comment, quota_demoted, status, final_level, score, reasons, imported, "
                "staff_id, unit_id, period_id) "
                "SELECT %s, %s, 2, %s, 'civil_servant', FALSE, FALSE, 'decree-335-2025', '1', "
                "22, 54.69, '{}', '', '', '', FALSE, '', '', FALSE, '', FALSE, 'closed', 'good', "
                "76.69, %s, FALSE, x.staff_id, x.unit_id, p.id FROM (SELECT a.staff_id, "
                "MIN(a.unit_id) AS unit_id FROM people_assignment a WHERE (a.valid_from IS NULL "
                "OR a.valid_from <= %s) AND (a.valid_to IS NULL OR a.valid_to >= %s) AND "
                "(a.staff_id * 7 + %s) %% 50 <> 0 GROUP BY a.staff_id) x "
                "JOIN org_unitlink l ON l.unit_id = x.unit_id "
                "JOIN appraisal_evaluationperiod p ON p.agency_id = l.parent_id AND p.code = %s",
                [last, last, code, reasons, last, first, m * 13, code],
            )
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE appraisal_evaluation")
            cur.execute("VACUUM ANALYZE people_assignment")
            cur.execute("ANALYZE appraisal_evaluationperiod")
    print(
        f"evaluations: {Evaluation.objects.count()} written in {time.perf_counter() - t:.0f} s",
        flush=True,
    )


if __name__ == "__main__":
    main()
