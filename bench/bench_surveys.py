"""Benchmark (not a test): the satisfaction index of every unit, and the public form under load.

    .venv/bin/python bench/bench_surveys.py [answers] [clients] [rounds] [think seconds]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thenchot_bench_surveys \
        .venv/bin/python bench/bench_surveys.py

Defaults: 50,000 answers (10,000 responses of 5 questions) over 2025 to the surveys of ~300
units (a city, 20 departments, 14 districts that end on 30/6/2025 and 266 communes moved under
the city on 1/7/2025, so the index scopes through two trees); `surveys.index.
satisfaction_for_units` for every unit over the year, timed cold (tree loaded) and warm, and
checked against the per-unit rule on a sample. Then the public form: a threaded WSGI server
(Django's runserver server) on 127.0.0.1:8731 with the rate limit raised, and `clients`
threads each doing `rounds` (default 3) times GET the form, think (default ~15 s, uniformly 0.5–1.5 times
that: a person answers five questions in well under a minute), POST the answers (urllib, own cookies): median / p95 /
max latency and errors. Then the same with no think time at all, the saturation figure: with
50 clients in a closed loop the median is 50 / throughput (Little's law), so it measures the
server's requests per second on this machine rather than a person's wait. The SQLite database is /tmp/thenchot_bench_surveys.sqlite3
unless DATABASE_URL says otherwise; it is recreated each run.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SQLITE = "/tmp/thenchot_bench_surveys.sqlite3"
PORT = int(os.environ.get("BENCH_PORT", "8731"))
YEAR = 2025


def _env() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE}"
    sys.path.insert(0, ROOT)


def serve() -> None:
    """The server process: Django's threaded development server, rate limit raised."""
    _env()
    import django

    django.setup()
    from django.conf import settings
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    settings.THENCHOT_SURVEY_RATE_LIMIT = (10**9, 3600)
    # Plain HTTP on loopback: no redirect to HTTPS, cookies sent over HTTP.
    settings.SECURE_SSL_REDIRECT = False
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = False
    run("127.0.0.1", PORT, get_wsgi_application(), threading=True)


def build(n_answers: int) -> tuple[list, object]:
    from django.core.management import call_command

    from thenchot.org.models import Unit, UnitLink
    from thenchot.org.tree import invalidate
    from thenchot.surveys.choices import STANDARD_QUESTIONS
    from thenchot.surveys.models import Answer, Question, Response, Survey

    call_command("migrate", verbosity=0)
    rng = random.Random(14)
    epoch, end, start = dt.date(2020, 1, 1), dt.date(YEAR, 6, 30), dt.date(YEAR, 7, 1)
    city = Unit.objects.create(code="HN", name="Hà Nội", kind="city", valid_from=epoch)
    units = [city]
    links = []
    for i in range(20):
        u = Unit.objects.create(
            code=f"S{i:02d}", name=f"Sở {i}", kind="department", valid_from=epoch
        )
        units.append(u)
        links.append(UnitLink(unit=u, parent=city, valid_from=epoch))
    districts = []
    for i in range(14):
        d = Unit.objects.create(
            code=f"H{i:02d}", name=f"Huyện {i}", kind="district", valid_from=epoch, valid_to=end
        )
        districts.append(d)
        units.append(d)
        links.append(UnitLink(unit=d, parent=city, valid_from=epoch, valid_to=end))
    for i in range(266):
        c = Unit.objects.create(code=f"X{i:03d}", name=f"Xã {i}", kind="commune", valid_from=epoch)
        units.append(c)
        links.append(UnitLink(unit=c, parent=districts[i % 14], valid_from=epoch, valid_to=end))
        links.append(UnitLink(unit=c, parent=city, valid_from=start))
    UnitLink.objects.bulk_create(links)
    invalidate()
    surveyed = [u for u in units if u.kind in {"department", "commune"}]
    surveys = Survey.objects.bulk_create(
        Survey(
            code=f"KS-{u.code}",
            title=f"Khảo sát {u.name}",
            unit=u,
            opens_on=dt.date(YEAR, 1, 1),
            short_code=f"b{u.code.lower()}",
        )
        for u in surveyed
    )
    questions = Question.objects.bulk_create(
        Question(survey=s, position=p, code=c, text=t, element=e)
        for s in surveys
        for p, (c, t, e) in enumerate(STANDARD_QUESTIONS, start=1)
    )
    by_survey: dict[int, list] = {}
    for q in questions:
        by_survey.setdefault(q.survey_id, []).append(q)
    n_responses = n_answers // 5
    responses = Response.objects.bulk_create(
        (
            Response(
                code=f"R{n:07d}",
                survey=surveys[n % len(surveys)],
                submitted_on=dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365)),
            )
            for n in range(n_responses)
        ),
        batch_size=5000,
    )
    Answer.objects.bulk_create(
        (
            Answer(response=r, question=q, score=rng.choice((1, 2, 3, 4, 4, 5, 5, 5)))
            for r in responses
            for q in by_survey[r.survey_id]
        ),
        batch_size=5000,
    )
    return units, surveys[0]


def naive(unit, date_from: dt.date, date_to: dt.date):  # type: ignore[no-untyped-def]
    """The rule record by record (slow, for checking): subtree on each response's day."""
    from decimal import Decimal

    from thenchot.org.tree import tree
    from thenchot.surveys.models import Answer

    snap = tree()
    pooled: dict[str, list[int]] = {}
    for element, score, day, unit_id in Answer.objects.filter(
        response__submitted_on__range=(date_from, date_to)
    ).values_list(
        "question__element", "score", "response__submitted_on", "response__survey__unit_id"
    ):
        if unit_id in snap.subtree_on(unit.pk, day):
            pair = pooled.setdefault(element, [0, 0])
            pair[0] += score >= 4
            pair[1] += 1
    shares = [Decimal(s) * 100 / Decimal(n) for s, n in pooled.values()]
    return sum(shares, Decimal(0)) / len(shares) if shares else None


def bench_index(units: list) -> None:
    from thenchot.org import tree as tree_module
    from thenchot.surveys.index import satisfaction_for_units
    from thenchot.surveys.models import Answer

    date_from, date_to = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    print(f"answers: {Answer.objects.count():,}; units: {len(units)}")
    tree_module._cache = None
    t0 = time.perf_counter()
    result = satisfaction_for_units(units=units, date_from=date_from, date_to=date_to)
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(5):
        t0 = time.perf_counter()
        result = satisfaction_for_units(units=units, date_from=date_from, date_to=date_to)
        warm.append(time.perf_counter() - t0)
    print(
        f"satisfaction_for_units, every unit, one year: cold {cold * 1000:.0f} ms, "
        f"warm median {statistics.median(warm) * 1000:.0f} ms (bound 1000 ms)"
    )
    by_code = {u.code: u for u in units}
    for code in ("HN", "S00", "H03", "X007"):
        expected = naive(by_code[code], date_from, date_to)
        got = result[by_code[code].pk].index
        assert (expected is None and got is None) or abs(expected - got) < 1e-18, (
            code,
            got,
            expected,
        )
    print("checked against the per-record rule on HN, S00, H03, X007: equal")


def _client(
    base: str, short: str, rounds: int, think: float, latencies: list, errors: list
) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    url = f"{base}/s/{short}/"
    rng = random.Random()
    for _ in range(rounds):
        try:
            t0 = time.perf_counter()
            html = opener.open(url, timeout=30).read().decode()
            latencies.append(("get", time.perf_counter() - t0))
            token = re.search(r'name="form" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
            if think:
                time.sleep(rng.uniform(0.5, 1.5) * think)  # the citizen reading and tapping
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": csrf,
                    "form": token,
                    **{f"answer-Q{i}": str(rng.randint(1, 5)) for i in range(1, 6)},
                }
            ).encode()
            request = urllib.request.Request(url, data=body, headers={"Referer": url})
            t0 = time.perf_counter()
            try:
                opener.open(request, timeout=30)
                status = 200
            except urllib.error.HTTPError as exc:
                status = exc.code
            latencies.append(("post", time.perf_counter() - t0))
            if status != 302:
                errors.append(status)
        except Exception as exc:  # noqa: BLE001 - counted, reported
            errors.append(repr(exc))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def bench_form(short: str, clients: int, rounds: int, think: float) -> None:
    from thenchot.surveys.models import Response

    before = Response.objects.count()
    server = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--serve"],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # one access-log line per request
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/s/{short}/", timeout=2).read()
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.2)
        latencies: list = []
        errors: list = []
        threads = [
            threading.Thread(target=_client, args=(base, short, rounds, think, latencies, errors))
            for _ in range(clients)
        ]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(10)
    for kind in ("get", "post"):
        values = sorted(v for k, v in latencies if k == kind)
        if values:
            print(
                f"public form {kind.upper()}: {len(values)} requests, median "
                f"{statistics.median(values) * 1000:.0f} ms, p95 "
                f"{values[int(len(values) * 0.95) - 1] * 1000:.0f} ms, max {values[-1] * 1000:.0f} ms"
            )
    every = sorted(v for _k, v in latencies) or [float("nan")]
    print(
        f"{clients} concurrent clients x {rounds} rounds, think time ~{think:g} s, in "
        f"{elapsed:.1f} s ({len(every) / elapsed:.0f} req/s): all requests median "
        f"{statistics.median(every) * 1000:.0f} ms (bound 100 ms); errors: {len(errors)}"
        + (f" {errors[:5]}" if errors else "")
    )
    print(f"responses recorded: {Response.objects.count() - before}")


def main() -> None:
    if "--serve" in sys.argv:
        serve()
        return
    _env()
    if os.environ["DATABASE_URL"] == f"sqlite:///{SQLITE}":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(SQLITE + suffix):
                os.remove(SQLITE + suffix)
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_answers = int(args[0]) if args else 50_000
    clients = int(args[1]) if len(args) > 1 else 50
    rounds = int(args[2]) if len(args) > 2 else 3
    import django

    django.setup()
    t0 = time.perf_counter()
    units, survey = build(n_answers)
    print(f"built in {time.perf_counter() - t0:.1f} s ({os.environ['DATABASE_URL'].split(':')[0]})")
    bench_index(units)
    think = float(args[3]) if len(args) > 3 else 15.0
    bench_form(survey.short_code, clients, rounds, think)  # type: ignore[attr-defined]
    if think:
        bench_form(survey.short_code, clients, rounds, 0.0)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
