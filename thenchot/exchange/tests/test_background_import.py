"""Issue 18: a large file sent from the page is imported in the background (`core.jobs`): the
page shows a progress bar that asks for the run's state every second, then the result; only
the person who started it may see it. A small file is imported while the page waits."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thenchot.audit.models import AuditEntry
from thenchot.core import jobs
from thenchot.exchange import background
from thenchot.exchange.tests.conftest import json_file
from thenchot.people.models import Staff

URL = "/exchange/import/"
ROW = {"code": "CB9", "full_name": "Hoàng Thị Mai", "category": "civil_servant", "unit": "SNV-TC"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def _queued() -> list[tuple[str, dict[str, Any]]]:
    out = []
    while not jobs._queue.empty():
        out.append(jobs._queue.get_nowait())
    return out


@pytest.fixture(autouse=True)
def _background(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.THENCHOT_IMPORT_BACKGROUND_BYTES = 100
    settings.THENCHOT_IMPORT_SPOOL = str(tmp_path)
    _queued()
    yield
    _queued()


def _post(client: Any, data: bytes, name: str = "staff.json", **extra: Any) -> Any:
    upload = SimpleUploadedFile(name, data, content_type="application/json")
    return client.post(URL, {"file": upload}, **extra)


def _token(html: str) -> str:
    found = re.search(r'hx-get="/exchange/import/([^/"]+)/"', html)
    assert found, html
    return found.group(1)


def _run_queued() -> None:
    for name, kwargs in _queued():
        assert name == background.JOB
        jobs.run_now(name, **kwargs)


def test_it_imports_a_large_file_in_the_background_with_a_progress_bar(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for("lan", lang="en")
    response = _post(client, json_file(staff=[ROW]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-progress"' in html and 'data-status="queued"' in html
    assert "<progress" in html and 'hx-trigger="every 1s"' in html
    assert not Staff.objects.filter(code="CB9").exists(), "nothing before the job runs"
    token = _token(html)
    assert list(background.spool_dir().iterdir()), "the upload waits in the spool"

    _run_queued()

    response = client.get(f"{URL}{token}/", **HTMX)
    assert response.status_code == 200
    assert b'data-result="ok"' in response.content
    assert b'id="import-progress"' not in response.content, "the polling stops"
    staff = Staff.objects.get(code="CB9")
    entry = AuditEntry.objects.get(model_label="people.staff", object_id=str(staff.pk))
    assert entry.actor_name == "lan" and entry.source == "import"
    assert not list(background.spool_dir().iterdir()), "the spooled file is gone"
    # The page of the run, opened without htmx, shows the result inside the import page.
    page = client.get(f"{URL}{token}/")
    assert page.status_code == 200
    assert b'data-result="ok"' in page.content and b"<form" in page.content


def test_it_shows_how_far_a_running_import_has_gone(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for("lan", lang="en")
    token = _token(_post(client, json_file(staff=[ROW]), **HTMX).content.decode())
    from thenchot.exchange.progress import WRITE, Step

    background._save(token, status=background.RUNNING, step=Step(WRITE, "staff", 1, 4).__dict__)
    html = client.get(f"{URL}{token}/", **HTMX).content.decode()
    assert 'data-status="running"' in html and 'data-percent="62"' in html
    assert "Writing staff: 1 of 4 records (62 %)" in html


def test_it_lists_the_problems_of_a_refused_file_and_writes_nothing(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for("lan", lang="en")
    token = _token(
        _post(client, json_file(staff=[dict(ROW, unit="SNV-P9")]), **HTMX).content.decode()
    )
    _run_queued()
    html = client.get(f"{URL}{token}/", **HTMX).content.decode()
    assert 'data-result="errors"' in html
    assert "staff[0].unit: unknown unit code &#x27;SNV-P9&#x27;" in html
    assert not Staff.objects.filter(code="CB9").exists()


def test_only_the_person_who_started_it_sees_it(client_for, world) -> None:  # type: ignore[no-untyped-def]
    token = _token(_post(client_for("lan"), json_file(staff=[ROW]), **HTMX).content.decode())
    assert client_for("quan").get(f"{URL}{token}/", **HTMX).status_code == 404
    assert client_for("lan").get(f"{URL}not-a-run/", **HTMX).status_code == 404


def test_a_small_file_or_a_page_without_htmx_is_imported_while_it_waits(
    client_for, world, settings
) -> None:  # type: ignore[no-untyped-def]
    response = _post(client_for("lan"), json_file(staff=[ROW]))
    assert b'data-result="ok"' in response.content
    settings.THENCHOT_IMPORT_BACKGROUND_BYTES = 10_000
    response = _post(client_for("lan"), json_file(staff=[dict(ROW, code="CB8")]), **HTMX)
    assert b'data-result="ok"' in response.content
    assert Staff.objects.filter(code__in=["CB8", "CB9"]).count() == 2
    assert not _queued()
