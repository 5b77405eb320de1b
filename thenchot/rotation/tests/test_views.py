"""Rotation pages: the due list with reasons and its XLSX export, for personnel and leaders
only; the plan page with completion and publication."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from thenchot.discipline.models import DisciplineCase
from thenchot.rotation import services

pytestmark = pytest.mark.django_db


def test_it_shows_who_is_postponed_and_why(client_for, world, listed) -> None:  # type: ignore[no-untyped-def]
    DisciplineCase.objects.create(
        code="KL-1", staff=world.staff["an"], detected_on=dt.date(2025, 2, 1), summary="x"
    )
    html = (
        client_for("lan")
        .get("/rotation/?on=2025-03-01&within=0", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert 'data-status="postponed"' in html and "Nguyễn Văn An" in html
    assert client_for("hoa").get("/rotation/").status_code == 403
    assert client_for("binh").get("/rotation/").status_code == 403


def test_it_exports_the_due_list(client_for, listed) -> None:  # type: ignore[no-untyped-def]
    response = client_for("lan").get("/rotation/?on=2025-03-01&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["P005"]


def test_it_publishes_a_plan_from_its_page(client_for, world, scope_of, listed) -> None:  # type: ignore[no-untyped-def]
    plan = services.plan_create(scope=scope_of("lan"), agency=world.snv, year=2025)
    page = client_for("lan").get(f"/rotation/plans/{plan.code}/")
    assert page.status_code == 200 and 'id="plan-publish"' in page.content.decode()
    assert client_for("an").get(f"/rotation/plans/{plan.code}/").status_code == 404
    client_for("lan").post(f"/rotation/plans/{plan.code}/publish/", {"version": plan.version})
    plan.refresh_from_db()
    assert plan.published_on is not None
    assert (
        client_for("minh").post(f"/rotation/plans/{plan.code}/publish/", {"version": 2}).status_code
        == 404
    )
