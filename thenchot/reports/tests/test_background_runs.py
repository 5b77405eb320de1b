"""A large report is built in the background through the job interface: the page shows its
progress (htmx polling), then the figures or the file; runs are their reader's own."""

from __future__ import annotations

import pytest
from django.test import Client

from thenchot.core import jobs
from thenchot.reports.models import ReportRun, RunStatus

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def large(settings):
    # Every unit counts as large: the city of the tests has a handful.
    settings.THENCHOT_REPORTS_BACKGROUND_UNITS = 1


@pytest.fixture
def queued(monkeypatch):
    """What `enqueue` handed over (the in-process queue has no scheduler thread in tests)."""
    sent: list[tuple[str, dict]] = []
    monkeypatch.setattr("thenchot.reports.services.enqueue", lambda n, **kw: sent.append((n, kw)))
    return sent


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def test_a_large_page_is_built_in_the_background_with_progress(
    article, world, large, queued, media, django_capture_on_commit_callbacks
):
    client = _client(world, "hung")
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get("/reports/?unit=HN&kind=nine_months&year=2023")
    html = page.content.decode()
    run = ReportRun.objects.get()
    assert run.status == RunStatus.QUEUED and run.format == "html"
    assert queued == [("reports.build_run", {"run_id": run.pk})]
    assert f'hx-get="/reports/runs/{run.pk}/progress/"' in html and 'hx-trigger="every 1s"' in html
    # Asking again while it is queued shows the same run.
    client.get("/reports/?unit=HN&kind=nine_months&year=2023")
    assert ReportRun.objects.count() == 1
    assert jobs.run_now("reports.build_run", run_id=run.pk)["status"] == "done"
    run.refresh_from_db()
    assert run.progress == 100 and run.result["inspections"]["total"] == 53
    fragment = client.get(f"/reports/runs/{run.pk}/progress/").content.decode()
    assert "hx-trigger" not in fragment  # finished: the polling stops
    assert "53" in fragment and "Kiểm tra công vụ" in fragment
    # A second worker finds the run taken and does nothing.
    assert jobs.run_now("reports.build_run", run_id=run.pk)["status"] == "skipped"


def test_progress_is_told_block_by_block(article, world, large, queued, media):
    from thenchot.reports import services

    run = services.run_request(
        scope=__import__("thenchot.accounts.scoping", fromlist=["x"]).compute_scope(
            world.user("hung")
        ),
        user=world.user("hung"),
        unit_id=article.pk,
        date_from=__import__("datetime").date(2023, 1, 1),
        date_to=__import__("datetime").date(2023, 9, 30),
        as_of=__import__("datetime").date(2023, 9, 30),
        fmt="xlsx",
    )
    progress: list[int] = []
    from thenchot.reports import blocks

    real = blocks.build_report

    def watching(request, *, on_block=None):
        def tell(done, total):
            on_block(done, total)
            progress.append(ReportRun.objects.get(pk=run.pk).progress)

        return real(request, on_block=tell)

    import thenchot.reports.services as svc

    svc.build_report, saved = watching, svc.build_report
    try:
        services.build_run(run_id=run.pk)
    finally:
        svc.build_report = saved
    assert progress == sorted(progress) and progress[-1] == 90 and len(progress) >= 4


def test_a_large_download_is_built_then_offered(
    article, world, large, queued, media, django_capture_on_commit_callbacks
):
    client = _client(world, "hung")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.get("/reports/download/?unit=HN&kind=nine_months&year=2023&format=xlsx")
    run = ReportRun.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/reports/runs/{run.pk}/"
    page = client.get(answer["Location"]).content.decode()
    assert "every 1s" in page
    assert client.get(f"/reports/runs/{run.pk}/file/").status_code == 404  # not built yet
    jobs.run_now("reports.build_run", run_id=run.pk)
    page = client.get(f"/reports/runs/{run.pk}/").content.decode()
    assert f"/reports/runs/{run.pk}/file/" in page
    file = client.get(f"/reports/runs/{run.pk}/file/")
    assert file.status_code == 200
    assert b"".join(file.streaming_content)[:2] == b"PK"
    assert "XLSX" in client.get("/reports/runs/").content.decode()


def test_a_run_is_its_readers_own(article, world, large, queued, media):
    import datetime as dt

    from thenchot.accounts.scoping import compute_scope
    from thenchot.reports import services

    run = services.run_request(
        scope=compute_scope(world.user("minh")),
        user=world.user("minh"),
        unit_id=world.stc.pk,
        date_from=dt.date(2023, 1, 1),
        date_to=dt.date(2023, 12, 31),
        as_of=dt.date(2023, 12, 31),
        fmt="xlsx",
    )
    services.build_run(run_id=run.pk)
    for name in ("hung", "binh", "an"):
        client = _client(world, name)
        assert client.get(f"/reports/runs/{run.pk}/").status_code == 404
        assert client.get(f"/reports/runs/{run.pk}/file/").status_code == 404
    assert _client(world, "minh").get(f"/reports/runs/{run.pk}/file/").status_code == 200
    # Nobody asks for a run of a unit outside their scope.
    from thenchot.core.errors import OutOfScope

    with pytest.raises(OutOfScope):
        services.run_request(
            scope=compute_scope(world.user("minh")),
            user=world.user("minh"),
            unit_id=world.snv.pk,
            date_from=dt.date(2023, 1, 1),
            date_to=dt.date(2023, 12, 31),
            as_of=dt.date(2023, 12, 31),
            fmt="pdf",
        )
