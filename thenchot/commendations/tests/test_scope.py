"""Who reads and who commends: a personnel officer or a unit head inside their subtree, the
city-wide roles anywhere; a reader outside the subtree gets 404 (the record does not exist for
them), a reader without the right to write gets 403, on the pages and the API alike."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.commendations import services
from thenchot.commendations.models import Commendation
from thenchot.commendations.testing import CommendationFactory
from thenchot.core.errors import OutOfScope

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 1, 15)


@pytest.fixture
def an_commended(world) -> Commendation:
    return CommendationFactory.create(code="KTH-AN", staff=world.staff["an"])


def test_a_personnel_officer_commends_inside_their_subtree_only(world, scope_of) -> None:
    scope = scope_of("lan")
    services.commendation_create(scope=scope, staff=world.staff["an"], kind="other", decided_on=DAY)
    services.commendation_create(scope=scope, unit=world.snv_tc, kind="other", decided_on=DAY)
    with pytest.raises(OutOfScope):
        services.commendation_create(scope=scope, unit=world.stc, kind="other", decided_on=DAY)
    with pytest.raises(OutOfScope):
        services.commendation_create(
            scope=scope, staff=world.staff["minh"], kind="other", decided_on=DAY
        )
    assert Commendation.objects.count() == 2


def test_the_head_of_an_agency_commends_in_it_and_a_division_manager_does_not(
    world, scope_of
) -> None:
    services.commendation_create(
        scope=scope_of("minh"), staff=world.staff["binh"], kind="other", decided_on=DAY
    )
    with pytest.raises(OutOfScope):
        services.commendation_create(
            scope=scope_of("minh"), unit=world.snv, kind="other", decided_on=DAY
        )
    with pytest.raises(OutOfScope):
        services.commendation_create(
            scope=scope_of("hoa"), staff=world.staff["an"], kind="other", decided_on=DAY
        )


def test_an_outsider_cannot_correct_or_delete(world, scope_of, an_commended) -> None:
    with pytest.raises(OutOfScope):
        services.commendation_update(
            scope=scope_of("minh"),
            commendation=an_commended,
            expected_version=1,
            staff=world.staff["an"],
            kind="medal",
            decided_on=DAY,
        )
    with pytest.raises(OutOfScope):
        services.commendation_delete(
            scope=scope_of("minh"), commendation=an_commended, expected_version=1
        )
    an_commended.refresh_from_db()
    assert an_commended.kind == "certificate"


def test_moving_a_commendation_out_of_ones_subtree_is_refused(
    world, scope_of, an_commended
) -> None:
    with pytest.raises(OutOfScope):
        services.commendation_update(
            scope=scope_of("lan"),
            commendation=an_commended,
            expected_version=1,
            unit=world.stc,
            kind="certificate",
            decided_on=DAY,
        )


@pytest.mark.parametrize("path", ["detail", "edit"])
def test_a_reader_outside_the_subtree_gets_404_on_the_pages(client_for, an_commended, path) -> None:
    from django.urls import reverse

    response = client_for("minh").get(reverse(f"commendations:{path}", args=[an_commended.code]))
    assert response.status_code == 404


def test_the_person_reads_their_own_and_cannot_change_it(client_for, an_commended) -> None:
    from django.urls import reverse

    client = client_for("an")
    assert client.get(reverse("commendations:detail", args=[an_commended.code])).status_code == 200
    assert client.get(reverse("commendations:edit", args=[an_commended.code])).status_code == 403
    assert client.get(reverse("commendations:new")).status_code == 403
    response = client.post(
        reverse("commendations:delete", args=[an_commended.code]), {"version": 1}
    )
    assert response.status_code == 403
    assert Commendation.objects.filter(pk=an_commended.pk).exists()


def test_a_reader_without_the_right_gets_403_on_a_post(client_for, an_commended) -> None:
    from django.urls import reverse

    # Hoa manages SNV-TC's division: she reads An's record but commends nobody.
    client = client_for("hoa")
    assert client.get(reverse("commendations:detail", args=[an_commended.code])).status_code == 200
    response = client.post(
        reverse("commendations:edit", args=[an_commended.code]),
        {"staff": "P005", "kind": "medal", "decided_on": "2026-01-15", "version": 1},
    )
    assert response.status_code == 403


def test_the_list_holds_only_what_the_reader_may_read(world, client_for, an_commended) -> None:
    from django.urls import reverse

    CommendationFactory.create(code="KTH-STC", unit=world.stc)
    minh = client_for("minh").get(reverse("commendations:list")).content.decode()
    assert "KTH-STC" in minh and "KTH-AN" not in minh
    lan = client_for("lan").get(reverse("commendations:list")).content.decode()
    assert "KTH-AN" in lan and "KTH-STC" not in lan


def test_the_api_answers_404_outside_the_subtree_and_403_without_the_right(
    world, client_for, an_commended
) -> None:
    url = f"/api/v1/commendations/{an_commended.code}/"
    assert client_for("minh").get(url).status_code == 404
    assert client_for("an").get(url).status_code == 200
    response = client_for("an").patch(
        url,
        {
            "staff": world.staff["an"].code,
            "kind": "medal",
            "decided_on": "2026-01-15",
            "version": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    response = client_for("hoa").post(
        "/api/v1/commendations/",
        {"staff": world.staff["an"].code, "kind": "medal", "decided_on": "2026-01-15"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Commendation.objects.count() == 1
