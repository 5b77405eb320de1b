"""The rotation API: the due list for those who may see it, carrying out a move with the
version read, refusals in the one error format."""

from __future__ import annotations

import pytest

from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db


def test_it_serves_the_due_list_to_personnel_only(api_for, listed) -> None:  # type: ignore[no-untyped-def]
    response = api_for("lan").get("/api/v1/rotation/due/?as_of=2025-03-01&within=0")
    assert response.status_code == 200
    assert [(r["staff"], r["status"]) for r in response.json()] == [("P005", "due")]
    assert api_for("hoa").get("/api/v1/rotation/due/?as_of=2025-03-01").status_code == 403
    assert api_for("binh").get("/api/v1/rotation/due/?as_of=2025-03-01").status_code == 403


def test_it_carries_out_a_rotation_and_refuses_a_bad_one(api_for, world, listed) -> None:  # type: ignore[no-untyped-def]
    version = Staff.objects.get(code="P005").version
    bad = api_for("lan").post(
        "/api/v1/rotation/rotations/",
        {
            "staff": "P005",
            "kind": "between_agencies",
            "to_unit": "SNV-TC",
            "effective_on": "2025-03-01",
            "version": version,
        },
        format="json",
    )
    assert bad.status_code == 400 and "to_unit" in bad.json()["error"]["fields"]
    ok = api_for("lan").post(
        "/api/v1/rotation/rotations/",
        {
            "staff": "P005",
            "kind": "between_divisions_same_specialty",
            "to_unit": "SNV-CC",
            "effective_on": "2025-03-01",
            "version": version,
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert Staff.objects.get(code="P005").unit.code == "SNV-CC"
    listing = api_for("an").get("/api/v1/rotation/rotations/").json()
    assert [r["staff"] for r in listing["results"]] == ["P005"]
    assert api_for("minh").get("/api/v1/rotation/rotations/").json()["count"] == 0
