"""In the browser: a department self-scores with evidence, another appraises it, the council
settles the disagreement and publishes, and the ranking shows every score with its source —
the computed ones linked to their records — with the figures `thenchot report` gives."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from thenchot.directives.testing import TaskFactory
from thenchot.reform.models import AssessmentRound, EvidenceFile, Score
from thenchot.reform.testing import framework_with, round_for

pytestmark = pytest.mark.django_db
Y = 2026


def test_the_whole_round_in_the_browser(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    framework_with(Y, ("A", 10, "self"), ("T", 6, "computed", "on_time_task_rate"))
    rnd = round_for(Y, "self_scoring", secretariat_unit=world.snv)
    TaskFactory(
        lead_unit=world.snv_tc,
        assigned_on=dt.date(2026, 1, 5),
        deadline=dt.date(2026, 3, 1),
        completed_on=dt.date(2026, 2, 1),
    )
    lan, minh, hung = client_for("lan"), client_for("minh"), client_for("hung")
    url = reverse("reform:self", args=[Y, "SNV"])
    assert lan.get(url).status_code == 200
    assert client_for("minh").get(url).status_code == 403
    r = lan.post(
        url,
        {
            "criterion": "A",
            "points": "9",
            "evidence": "Kế hoạch 12/KH",
            "file": SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\nx"),
        },
    )
    assert r.status_code == 302
    assert EvidenceFile.objects.get().name == "ke-hoach.pdf"
    bad = lan.post(url, {"criterion": "A", "points": "12"}, follow=True)
    assert "12" in bad.content.decode()
    assert Score.objects.get().self_points == 9
    hung.post(
        reverse("reform:round_assign", args=[Y]), {"appraiser_unit": "STC", "assessed_unit": "SNV"}
    )
    hung.post(reverse("reform:round_advance", args=[Y]), {"version": rnd.version})
    r = minh.post(
        reverse("reform:appraise", args=[Y, "SNV"]),
        {"criterion": "A", "points": "7", "comment": "Thiếu minh chứng"},
    )
    assert r.status_code == 302 and Score.objects.get().appraised_points == 7
    rnd.refresh_from_db()
    hung.post(reverse("reform:round_advance", args=[Y]), {"version": rnd.version})
    page = lan.get(reverse("reform:council", args=[Y]))
    assert "Thiếu minh chứng" in page.content.decode()
    s = Score.objects.get()
    lan.post(
        reverse("reform:council_decide", args=[Y]),
        {"score": s.pk, "version": s.version, "points": "8", "reason": "Đủ minh chứng"},
    )
    assert Score.objects.get().council_points == 8
    rnd.refresh_from_db()
    lan.post(reverse("reform:publish", args=[Y]), {"version": rnd.version, "as_of": "2026-06-30"})
    assert AssessmentRound.objects.get().status == "published"
    ranking = client_for("an").get(reverse("reform:ranking", args=[Y])).content.decode()
    records_url = reverse("reform:records", args=[Y, "on_time_task_rate", "SNV"])
    assert records_url in ranking
    records = client_for("an").get(records_url).content.decode()
    assert "NV-" in records
    out = tmp_path / "report.json"
    call_command(
        "report",
        "--unit",
        "HN",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "json",
        "--output",
        str(out),
        stdout=StringIO(),
    )
    block = json.loads(out.read_text())["reform"]
    assert block == {"year": 2026, "units": [{"unit": "SNV", "total": 14, "rank": 1}]}
