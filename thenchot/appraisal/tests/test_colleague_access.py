"""Colleagues see the published result, not the working papers (issue 10, point 10).

A closed month of SNV: An (SNV-TC) is reviewed by Hoa and approved by Sơn; two people of
SNV-CC ("Thử") are An's colleagues, outside Hoa's line. An and Hoa read the colleagues'
evaluations as published (who, period, final level); the person, the reviewer, the approver,
the personnel officer and the City read everything; Minh (another agency) reads nothing.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import closing, panels, selectors
from thenchot.appraisal.api.serializers import PUBLISHED_FIELDS
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import (
    add_staff,
    approved,
    evaluation_of,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)

EVIDENCE = "Bằng chứng riêng 7731"
COMMENT = "Nhận xét riêng 4410"
FULL_READERS = ("an", "hoa", "son", "lan", "hung", "quan")
REASONS = 'class="mb-0 ps-3 small reasons"'  # the trace's list (appraisal/_reasons.html)


@pytest.fixture
def closed(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    colleagues = add_staff(world, 2)  # SNV-CC
    code = month_before(this_month())
    period = open_period(world, code)
    first, second = sorted(
        Evaluation.objects.filter(period=period, staff__in=colleagues), key=lambda e: e.pk
    )
    # Scores in the opposite order of the rows' keys: an order by score would show it.
    points = {first.pk: ("25", "60"), second.pk: ("15", "40")}
    for ev in period.evaluations.all():
        general, tasks = points.get(ev.pk, ("25", "50"))
        approved(ev, general=general, tasks=tasks)
    Evaluation.objects.filter(period=period).update(
        evidence=EVIDENCE, achievements=EVIDENCE, review_comment=COMMENT
    )
    closing.close_period(unit=world.snv, period=code, by=world.user("son"))
    world.colleagues = [first, second]
    return period


def _api(ev: Evaluation) -> str:
    return f"/api/v1/evaluations/{ev.pk}/"


# -- the API -----------------------------------------------------------------------------------
def test_it_gives_a_colleague_only_the_published_fields_in_the_list(world, closed, api_for):  # type: ignore[no-untyped-def]
    rows = api_for("an").get(f"/api/v1/evaluations/?period={closed.code}").json()["results"]
    by_staff = {r["staff"]: r for r in rows}
    colleague = by_staff[world.colleagues[0].staff.code]
    assert set(colleague) == set(PUBLISHED_FIELDS) and colleague["access"] == "published"
    assert colleague["final_level"]
    own = by_staff[world.staff["an"].code]
    assert own["access"] == "full" and own["evidence"] == EVIDENCE and own["score"] is not None


def test_it_gives_a_colleague_only_the_published_fields_in_the_detail(world, closed, api_for):  # type: ignore[no-untyped-def]
    for reader in ("an", "hoa"):  # hoa manages SNV-TC, not SNV-CC
        body = api_for(reader).get(_api(world.colleagues[0])).json()
        assert set(body) == set(PUBLISHED_FIELDS), reader
        assert EVIDENCE not in json.dumps(body) and COMMENT not in json.dumps(body)


def test_it_keeps_everything_for_the_person_and_their_line_and_nothing_for_outsiders(  # type: ignore[no-untyped-def]
    world, closed, api_for
):
    an = evaluation_of(world, "an", closed.code)
    for reader in FULL_READERS:
        body = api_for(reader).get(_api(an)).json()
        assert body["access"] == "full", reader
        assert body["evidence"] == EVIDENCE and body["review_comment"] == COMMENT, reader
        assert body["score"] is not None and body["reasons"], reader
    assert api_for("minh").get(_api(an)).status_code == 404
    assert api_for("minh").get(_api(world.colleagues[0])).status_code == 404
    listed = api_for("minh").get(f"/api/v1/evaluations/?period={closed.code}").json()
    assert [r for r in listed["results"] if r["agency"] == "SNV"] == []


def test_it_does_not_order_a_colleagues_rows_by_their_scores(world, closed, api_for):  # type: ignore[no-untyped-def]
    first, second = world.colleagues
    assert Evaluation.objects.get(pk=first.pk).score > Evaluation.objects.get(pk=second.pk).score
    url = f"/api/v1/evaluations/?period={closed.code}&unit=SNV-CC&ordering=score"
    seen = [r["id"] for r in api_for("an").get(url).json()["results"]]
    assert seen == [first.pk, second.pk]  # by key, not by the hidden scores
    managed = [r["id"] for r in api_for("son").get(url).json()["results"]]
    assert managed == [second.pk, first.pk]  # the approver sorts by score


def test_it_documents_both_shapes_in_the_schema() -> None:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    read = schema["components"]["schemas"]["EvaluationRead"]
    assert read["discriminator"]["propertyName"] == "access"
    assert set(read["discriminator"]["mapping"]) == {"full", "published"}
    detail = schema["paths"]["/api/v1/evaluations/{id}/"]["get"]["responses"]["200"]
    assert detail["content"]["application/json"]["schema"]["$ref"].endswith("/EvaluationRead")


# -- the pages ---------------------------------------------------------------------------------
def test_it_shows_a_colleague_the_published_level_only_on_the_evaluation_page(  # type: ignore[no-untyped-def]
    client_for, world, closed
):
    url = reverse("appraisal:evaluation", args=[world.colleagues[0].pk])
    for reader in ("an", "hoa"):
        html = client_for(reader).get(url).content.decode()
        assert 'id="evaluation-published-only"' in html, reader
        assert EVIDENCE not in html and COMMENT not in html, reader
        assert 'id="evaluation-points"' not in html and REASONS not in html, reader
    full = client_for("son").get(url).content.decode()
    assert EVIDENCE in full and COMMENT in full and 'id="evaluation-points"' in full
    assert 'id="evaluation-published-only"' not in full
    assert client_for("minh").get(url).status_code == 404


def test_it_leaves_the_score_and_reasons_out_of_a_colleagues_panel(world, closed):  # type: ignore[no-untyped-def]
    staff = world.colleagues[0].staff
    seen = panels.panel_context(compute_scope(world.user("an")), staff)
    assert seen is not None and seen["rows"]
    assert all(not r["full"] and r["reasons"] == [] for r in seen["rows"])
    own = panels.panel_context(compute_scope(world.user("son")), staff)
    assert own is not None and all(r["full"] and r["reasons"] for r in own["rows"])
    assert panels.panel_context(compute_scope(world.user("minh")), staff) is None


def test_it_keeps_the_change_log_for_full_readers(client_for, world, closed):  # type: ignore[no-untyped-def]
    url = reverse("audit:history", args=["appraisal.evaluation", world.colleagues[0].pk])
    assert client_for("an").get(url).status_code == 404
    assert client_for("son").get(url).status_code == 200


def test_it_exports_no_colleagues_working_papers(client_for, world, closed):  # type: ignore[no-untyped-def]
    url = reverse("exchange:export") + "?section=evaluations&format=json"
    body = client_for("an").get(url).content.decode()
    assert world.staff["an"].code in body
    assert all(ev.staff.code not in body for ev in world.colleagues)
    assert world.colleagues[0].staff.code in client_for("son").get(url).content.decode()


def test_it_hides_the_reasons_outside_the_readers_line_on_the_close_screen(  # type: ignore[no-untyped-def]
    client_for, world, closed
):
    # A division manager opens the close screen of her division's agency (SNV).
    url = reverse("appraisal:close") + f"?unit=SNV-TC&period={closed.code}"
    html = client_for("hoa").get(url).content.decode()
    colleague = Evaluation.objects.get(pk=world.colleagues[0].pk)
    row = html[html.index(f'data-staff="{colleague.staff.code}"') :].split("</tr>", 1)[0]
    assert REASONS not in row and f"{colleague.score:g}" not in row
    own = html[html.index(f'data-staff="{world.staff["an"].code}"') :].split("</tr>", 1)[0]
    assert REASONS in own


# -- one rule --------------------------------------------------------------------------------
def test_it_decides_the_access_the_same_way_for_lists_and_one_row(world, closed):  # type: ignore[no-untyped-def]
    for name in (*FULL_READERS, "minh", "binh"):
        scope = compute_scope(world.user(name))
        for ev in selectors.evaluation_queryset(scope):
            assert ev.full_access == selectors.is_full_reader(scope, ev), (name, ev.staff_id)
    an = compute_scope(world.user("an"))
    colleague = Evaluation.objects.get(pk=world.colleagues[0].pk)  # not annotated
    assert selectors.access_of(an, colleague) == selectors.PUBLISHED
    assert selectors.access_of(None, colleague) == selectors.PUBLISHED
    assert selectors.access_of(compute_scope(world.user("lan")), colleague) == selectors.FULL
