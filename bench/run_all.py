"""Run every benchmark of this folder one after the other, each with its own defaults (city
scale: this takes a long while), and print their figures. `make bench` calls it; pass names to
run only some: `.venv/bin/python bench/run_all.py import appraisal`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        print(f"== {script.name}: exit {done.returncode} in {time.perf_counter() - started:.0f} s")
        if done.returncode != 0:
            failed.append(script.name)
    if failed:
        print("missed a target or failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
