"""Benchmark (not a test): what sealing a close costs, and checking the seals.

    .venv/bin/python bench/bench_integrity.py [staff]          # SQLite, bench/out/integrity.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thenchot_bench_integrity \
        .venv/bin/python bench/bench_integrity.py 200000

Generates the demo city of `staff` people (default 20,000) unless the database has one, opens
last month's periods, fills them with approved assessments and closes the month for the city
(the close seals each period: thenchot.integrity). Then times the sealing alone (three rounds,
rolled back) and `verify` of every period (two rounds), and prints the seals' stored size.
"""

import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
(ROOT / "bench" / "out").mkdir(exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'out' / 'integrity.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
os.environ.setdefault("THENCHOT_TESTING", "1")
import django  # noqa: E402

django.setup()
from bench_appraisal import approve_with_spread  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from thenchot.appraisal import closing, services  # noqa: E402
from thenchot.appraisal.models import Evaluation, EvaluationPeriod  # noqa: E402
from thenchot.core.context import acting  # noqa: E402
from thenchot.demo.generator import generate  # noqa: E402
from thenchot.integrity import sealing, verifying  # noqa: E402
from thenchot.integrity.models import SealEntry  # noqa: E402
from thenchot.org.models import Unit  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(label, f, *a, **k):
    w, c = time.perf_counter(), cpu()
    out = f(*a, **k)
    print(
        f"{label}: wall {time.perf_counter() - w:.2f} s, cpu {cpu() - c:.2f} s, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return out


call_command("migrate", verbosity=0)

if not Evaluation.objects.exists():
    timed(f"generate {N}", generate, staff=N)
    today = timezone.localdate()
    first = today.replace(day=1)

    prev = first - dt.timedelta(days=1)
    mid = prev.replace(day=15)
    with acting(source="command", reason="bench"), transaction.atomic():
        timed("open periods", services.open_current_periods, on=mid)
    code = f"{prev.year}-{prev.month:02d}"
    approve_with_spread(code)  # bench_appraisal's spread of points, every one approved
code = EvaluationPeriod.objects.order_by("-starts_on").values_list("code", flat=True).first()
city = Unit.objects.filter(kind="city").first()
print(
    "evaluations",
    Evaluation.objects.filter(period_code=code).count(),
    "periods",
    EvaluationPeriod.objects.filter(code=code).count(),
)
if not EvaluationPeriod.objects.filter(code=code, status="closed").exists():
    with acting(source="command", reason="bench"):
        timed(
            "close (with sealing)",
            closing.close_period,
            unit=city,
            period=code,
            resolve_quota="by-score",
        )
ids = list(EvaluationPeriod.objects.filter(code=code).values_list("pk", flat=True))
for i in range(3):
    with transaction.atomic():
        sp = transaction.savepoint()
        timed(f"seal_periods alone, round {i + 1}", sealing.seal_periods, period_ids=ids)
        transaction.savepoint_rollback(sp)
periods = list(EvaluationPeriod.objects.filter(code=code).select_related("agency"))
for i in range(2):
    rep = timed(f"verify, round {i + 1}", verifying.verify, periods)
print(
    "ok",
    rep.ok,
    "rows",
    rep.rows_checked,
    "chain",
    rep.chain_length,
    "blob bytes",
    sum(len(b) for b in SealEntry.objects.values_list("rows", flat=True)),
)
