"""Opening a case: the person is chosen by name (a picker holding their code), and cases are
numbered in their year's series."""

from __future__ import annotations

import pytest

from thenchot.discipline.models import DisciplineCase

pytestmark = pytest.mark.django_db


def test_it_offers_a_staff_picker_on_the_case_form(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("lan").get("/discipline/cases/new/").content.decode()
    assert 'data-picker-url="/staff/pick/"' in page
    assert 'role="listbox"' in page and 'name="staff"' in page  # a plain code input without JS


def test_it_opens_cases_for_the_picked_person_with_numbers_of_the_year(client_for, world) -> None:  # type: ignore[no-untyped-def]
    DisciplineCase.objects.create(
        code="KL-2025-0007", staff=world.staff["an"], detected_on="2025-02-01", summary="x"
    )
    lan = client_for("lan")
    for day in ("2025-08-01", "2025-08-02"):
        response = lan.post(
            "/discipline/cases/new/", {"staff": "P005", "detected_on": day, "summary": "Đi muộn"}
        )
        assert response.status_code == 302
    codes = sorted(DisciplineCase.objects.values_list("code", flat=True))
    assert codes == ["KL-2025-0007", "KL-2025-0008", "KL-2025-0009"]
