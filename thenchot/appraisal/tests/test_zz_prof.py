import cProfile, pstats, time, datetime as dt
import pytest
from django.utils import timezone
def test_prof(db):
    from thenchot.demo.generator import generate
    from thenchot.appraisal.demo import load_demo_appraisal
    from thenchot.core.context import acting
    t=time.perf_counter(); generate(staff=2000, seed=7); print("generate", time.perf_counter()-t)
    pr=cProfile.Profile(); t=time.perf_counter()
    with acting(source="command", reason="demo data"):
        pr.enable(); load_demo_appraisal(seed=7, today=timezone.localdate()); pr.disable()
    print("appraisal", time.perf_counter()-t)
    from thenchot.appraisal.models import Evaluation
    print(Evaluation.objects.count())
    pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
